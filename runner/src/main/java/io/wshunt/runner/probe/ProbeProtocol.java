package io.wshunt.runner.probe;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;
import io.wshunt.contract.Profile;

/**
 * What the probe sends and how it tells what comes back apart: wshunt's own protocol, told by a
 * prefix (the server writes "type" first, so no frame is parsed), or a server's protocol profile,
 * each frame parsed as JSON. A message the server has no equivalent for is null, and the phase
 * that needs it cannot be probed.
 *
 * @param name      what to call it in a message
 * @param path      where connection {@code user} connects
 * @param fire      a benchmark message that awaits nothing; null: none
 * @param acked     a benchmark message that awaits an ack; null: no ack
 * @param chat      a chat message; null: the server broadcasts nothing
 * @param reader    what one frame is: how many broadcasts it carries, or {@link #ACK}; read once per frame
 * @param counters  the server's stats in wshunt's counter names
 * @param cannotProbe why the server cannot be probed at all (a join it would need); empty when it can
 */
public record ProbeProtocol(String name, UnaryOperator<String> path, String fire, String acked, String chat, ToIntFunction<String> reader,
                            UnaryOperator<JsonNode> counters, Optional<String> cannotProbe) {
    /** What {@link #read} says of an ack; 0 is a frame that is neither an ack nor a broadcast. */
    static final int ACK = -1;
    private static final String CONTENT = "x".repeat(64);
    private static final String ACK_PREFIX = "{\"type\":\"ack\"";
    private static final String BROADCAST_PREFIX = "{\"type\":\"message\"";

    /** The wshunt server's protocol, as the probe has always spoken it. */
    public static final ProbeProtocol WSHUNT = new ProbeProtocol("wshunt", user -> "/ws/" + user,
            "{\"type\":\"benchmark_test\",\"content\":\"" + CONTENT + "\"}",
            "{\"type\":\"benchmark_test\",\"id\":1,\"content\":\"" + CONTENT + "\"}",
            "{\"type\":\"chat_message\",\"content\":\"" + CONTENT + "\"}",
            text -> text.startsWith(BROADCAST_PREFIX) ? 1 : text.startsWith(ACK_PREFIX) ? ACK : 0, UnaryOperator.identity(), Optional.empty());

    /** A server's protocol from its profile ({@code -Dprofile}'s name or file). */
    public static ProbeProtocol of(Profile profile) {
        Profile.Benchmark benchmark = profile.benchmark();
        Profile.Chat chat = profile.chat();
        String acked = benchmark == null || benchmark.ack() == null ? null : message(benchmark.message());
        String fire = benchmark == null ? null : message(benchmark.fireMessage() != null ? benchmark.fireMessage() : benchmark.message());
        Profile.Matcher ack = acked == null ? null : benchmark.ack().matcher();
        List<String> needs = new ArrayList<>();
        if (profile.join() != null) needs.add("a join");
        if (profile.heartbeat() != null) needs.add("a heartbeat");
        Optional<String> cannotProbe = needs.isEmpty() ? Optional.empty()
                : Optional.of("profile " + profile.name() + " needs " + String.join(" and ", needs) + ", which the probe does not send");
        return new ProbeProtocol(profile.name(), user -> profile.path().replace("#{userId}", user), fire, acked, chat == null ? null : message(chat.message()),
                text -> read(text, chat, ack), profile::counters, cannotProbe);
    }

    /** Why this protocol cannot drive the probe's {@code phase}: a message it does not have; empty when it can. */
    public Optional<String> lacks(String phase) {
        if (cannotProbe.isPresent()) return cannotProbe;
        String missing = switch (phase) {
            case "fire" -> fire == null ? "no benchmark message" : null;
            case "ack" -> acked == null ? "no acknowledgement" : null;
            case "broadcast" -> chat == null ? "no chat message" : null;
            default -> null;
        };
        return Optional.ofNullable(missing).map(what -> "the " + name + " protocol has " + what);
    }

    /** What one frame is: how many broadcasts it carries, {@link #ACK}, or 0. */
    int read(String frame) {
        return reader.applyAsInt(frame);
    }

    boolean isAck(String frame) {
        return read(frame) == ACK;
    }

    int broadcastsIn(String frame) {
        return Math.max(0, read(frame));
    }

    /** Where connection {@code user} of a server at {@code server} (its scheme and authority count) connects. */
    URI uri(URI server, String user) {
        return URI.create(server.getScheme() + "://" + server.getRawAuthority() + path.apply(user));
    }

    /** A profile's template with the probe's values: one id, one tag, a fixed payload and time (the probe times round trips itself). */
    private static String message(String template) {
        return template.replace("#{userId}", "probe").replace("#{messageId}", "1").replace("#{tag}", "probe").replace("#{content}", CONTENT)
                .replace("#{sentAt}", "0");
    }

    /** A frame of a profile's server, parsed once: a batch of broadcasts one per line, one broadcast, an ack, or neither. */
    private static int read(String frame, Profile.Chat chat, Profile.Matcher ack) {
        if (chat != null && chat.newlineSeparated() && frame.indexOf('\n') >= 0) {
            int count = 0;
            for (String message : frame.split("\n")) {
                if (!message.isBlank() && chat.broadcast().matches(parse(message))) count++;
            }
            return count;
        }
        JsonNode message = parse(frame);
        if (chat != null && chat.broadcast().matches(message)) return 1;
        return ack != null && ack.matches(message) ? ACK : 0;
    }

    /** A frame as JSON; null (matching nothing) when it is not JSON. */
    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }
}
