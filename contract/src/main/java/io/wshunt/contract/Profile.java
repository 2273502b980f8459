package io.wshunt.contract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the server under test speaks, read from a small JSON file ({@code -Dprofile=NAME|path}):
 * where a user connects, the welcome it gets if any, the benchmark message and how its
 * acknowledgement is recognised if there is one, the chat message and how a broadcast of it is
 * recognised. The simulations and the capacity probe speak it; what a server does not give (no ack,
 * no counters) is then not counted rather than counted as nothing lost.
 * <p>
 * Templates hold wshunt's own placeholders: {@code #{userId}}, {@code #{messageId}} (unique per
 * benchmark message), {@code #{content}} (the payload), {@code #{tag}} (unique per chat message)
 * and {@code #{sentAt}} (the sender's clock, ms).
 *
 * @param name      what {@code -Dprofile} calls it
 * @param about     one sentence on the servers it fits
 * @param path      where a user connects, with {@code #{userId}} in the path or the query
 * @param welcome   the first message a server sends to a new user; null: none is awaited
 * @param join      a message each user sends once connected, and the reply it awaits (a channel join); null: none
 * @param heartbeat a message each user sends while it waits, to stay connected; null: none
 * @param benchmark benchmark messages; null: the server has none, and only connect and chat simulations run
 * @param chat      chat messages; null: the server broadcasts nothing
 * @param stats     where wshunt's counters are in the server's own stats ({@code -DstatsUrl}): a counter name
 *                  ({@code connections}, {@code benchmark_messages}, {@code chat_messages}, {@code deliveries}, ...) to a
 *                  field of the server's JSON; null: the server's stats use wshunt's names
 */
public record Profile(String name, String about, String path, Matcher welcome, Join join, Heartbeat heartbeat, Benchmark benchmark, Chat chat,
                      Map<String, String> stats) {

    /** The profiles that ship, under {@code profiles/} on the classpath. */
    public static final List<String> BUILT_IN = List.of("wshunt", "broadcast-hub", "echo", "phoenix");

    /**
     * A message whose {@code field} holds the text {@code is}. A field is a top-level name, or a
     * JSON pointer ({@code /payload/status}) into a nested message; so is every field of a profile.
     */
    public record Matcher(String field, String is) {
        public boolean matches(JsonNode message) {
            JsonNode value = read(message, field);
            return value.isTextual() && value.asText().equals(is);
        }
    }

    /** A field of a message, by name or JSON pointer; missing when the message has none (or is null). */
    public static JsonNode read(JsonNode message, String field) {
        if (message == null) return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        return field.startsWith("/") ? message.at(field) : message.path(field);
    }

    /**
     * The server's stats in wshunt's names: each counter of {@link #stats} read from its field, the
     * others left out, so that they read "not counted" rather than 0. Without a mapping, as they are.
     */
    public JsonNode counters(JsonNode serverStats) {
        if (stats == null) return serverStats;
        com.fasterxml.jackson.databind.node.ObjectNode counters = JSON.createObjectNode();
        stats.forEach((counter, field) -> {
            JsonNode value = read(serverStats, field);
            if (value.isNumber()) counters.set(counter, value);
        });
        return counters;
    }

    /** A message sent once connected, and how its reply is recognised. */
    public record Join(String message, Matcher reply) {
    }

    /** A message sent every {@code intervalSeconds} while a user waits. */
    public record Heartbeat(String message, int intervalSeconds) {
    }

    /**
     * @param message     sent when each message awaits its acknowledgement
     * @param fireMessage sent when none is awaited ({@code -Dmode=fire}); null: {@code message}
     * @param ack         how the acknowledgement is recognised, its {@code idField} holding the message's id; null: no acknowledgement
     */
    public record Benchmark(String message, String fireMessage, Ack ack) {
    }

    public record Ack(String field, String is, String idField) {
        public Matcher matcher() {
            return new Matcher(field, is);
        }
    }

    /**
     * @param message          one chat message, carrying {@code #{tag}} in {@code tagField}
     * @param broadcast        how a broadcast of a chat message is recognised
     * @param tagField         the field of a broadcast that holds the sender's tag
     * @param timestampField   the field of a broadcast with a time in ms since the epoch (the server's or the sender's), for delivery latency
     * @param newlineSeparated a frame may carry several messages, one per line (hubs that batch what is queued)
     */
    public record Chat(String message, Matcher broadcast, String tagField, String timestampField, boolean newlineSeparated) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A built-in profile by name, or a profile file by path; a clear error for anything else. */
    public static Profile load(String nameOrPath) {
        String resource = "/profiles/" + nameOrPath + ".json";
        try (InputStream builtIn = Profile.class.getResourceAsStream(resource)) {
            Profile profile;
            if (builtIn != null) {
                profile = JSON.readValue(builtIn, Profile.class);
            } else if (Files.isRegularFile(Path.of(nameOrPath))) {
                profile = JSON.readValue(Path.of(nameOrPath).toFile(), Profile.class);
            } else {
                throw new IllegalArgumentException("-Dprofile=" + nameOrPath + " is neither a built-in profile " + BUILT_IN + " nor a file");
            }
            profile.validate(nameOrPath);
            return profile;
        } catch (IOException e) {
            throw new IllegalArgumentException("profile " + nameOrPath + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void validate(String source) {
        List<String> problems = new ArrayList<>();
        if (name == null || name.isBlank()) problems.add("name is missing");
        if (path == null || !path.startsWith("/") || !path.contains("#{userId}")) problems.add("path must start with / and hold #{userId}");
        if (welcome != null && (welcome.field() == null || welcome.is() == null)) problems.add("welcome needs field and is");
        if (join != null && (join.message() == null || join.reply() == null || join.reply().field() == null || join.reply().is() == null)) {
            problems.add("join needs message and reply (field and is)");
        }
        if (heartbeat != null && (heartbeat.message() == null || heartbeat.intervalSeconds() < 1)) {
            problems.add("heartbeat needs message and intervalSeconds of 1 or more");
        }
        if (benchmark != null) {
            if (benchmark.message() == null || !benchmark.message().contains("#{messageId}")) problems.add("benchmark.message must hold #{messageId}");
            Ack ack = benchmark.ack();
            if (ack != null && (ack.field() == null || ack.is() == null || ack.idField() == null)) {
                problems.add("benchmark.ack needs field, is and idField");
            }
        }
        if (chat != null) {
            if (chat.message() == null || !chat.message().contains("#{tag}")) problems.add("chat.message must hold #{tag}");
            if (chat.broadcast() == null || chat.broadcast().field() == null || chat.broadcast().is() == null || chat.tagField() == null) {
                problems.add("chat needs broadcast (field and is) and tagField");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("profile " + source + ": " + String.join("; ", problems));
        }
    }

    /** Why this profile cannot drive a simulation that needs benchmark messages (and acks when {@code acked}); empty when it can. */
    public Optional<String> cannotSendBenchmarks(boolean acked) {
        if (benchmark == null) {
            return Optional.of("profile " + name + " has no benchmark message: only ConnectionRamp and ChatBroadcast run against it");
        }
        if (acked && benchmark.ack() == null) {
            return Optional.of("profile " + name + " has no acknowledgement: run with -Dmode=fire");
        }
        return Optional.empty();
    }
}
