package io.wshunt.simulations;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.http.HttpDsl.ws;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.http.action.ws.WsInboundMessage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.WsConnectActionBuilder;
import io.wshunt.contract.Profile;

/**
 * The steps a virtual user takes, shared by every simulation, in the words of the server's
 * {@link Profile}. Each user gets an id ({@code u<offset+n>}) and an index, so that injectors can
 * split the users between them.
 */
final class ChatSteps {
    static final String WELCOME = "welcome";
    static final String ACK = "ack";
    static final String ECHO = "broadcast echo";
    static final String CONNECT = "connect";
    static final String JOIN = "join";
    /** When the user last sent a heartbeat, in System.nanoTime(). */
    private static final String LAST_BEAT = "lastBeat";

    private static final ObjectMapper JSON = new ObjectMapper();
    static final long NOT_A_BROADCAST = Long.MIN_VALUE;
    private static final Duration SHORTEST_POLL = Duration.ofMillis(250);
    /** Without the servers' counts, deliveries are over once none has arrived for this long (or for three looks, if longer). */
    private static final Duration QUIET = Duration.ofSeconds(5);
    /** Wakeups per second of all the users of one injector that wait for the others, at most. */
    private static final int POLLS_PER_SECOND = 10_000;

    private final Settings settings;
    private final Profile profile;
    private final Counters counters;
    private final ClusterView cluster;
    private final String content;
    /** When a user of this injector first saw everyone connected, since the start; -1 before (not released). */
    private volatile long releasedAtNanos = -1;
    /**
     * How often a waiting user looks again. Every look is a Gatling wakeup, taken from the last
     * users connecting or the broadcasts arriving, so the users of one injector look 10,000 times
     * a second at most, however many they are.
     */
    private final Duration poll;

    ChatSteps(Settings settings, Profile profile, Counters counters, ClusterView cluster) {
        this.settings = settings;
        this.profile = profile;
        this.counters = counters;
        this.cluster = cluster;
        this.content = "x".repeat(settings.contentBytes());
        Duration spread = Duration.ofSeconds(1).multipliedBy(settings.users()).dividedBy(POLLS_PER_SECOND);
        this.poll = spread.compareTo(SHORTEST_POLL) > 0 ? spread : SHORTEST_POLL;
    }

    /** The request whose latency says how long a user took to connect: its welcome, or the upgrade itself when the server sends none. */
    String connectLatency() {
        return profile.welcome() != null ? WELCOME : profile.join() != null ? JOIN : CONNECT;
    }

    /**
     * Connects, checks the welcome if the server sends one, joins if the server wants a join, and
     * counts the user as arrived either way; a failed user stops here.
     */
    ChainBuilder connect() {
        WsConnectActionBuilder open = ws(CONNECT).connect(profile.path());
        Profile.Matcher welcome = profile.welcome();
        if (welcome != null) {
            open = open.await(settings.awaitSeconds()).on(ws.checkTextMessage(WELCOME)
                    .check(bodyString().transform(body -> welcome.matches(parse(body))).is(true)));
        }
        return feed(userIds())
                .exec(session -> {
                    counters.connecting();
                    return session;
                })
                .exec(open)
                .doIf(session -> !session.isFailed()).then(join()) // a join that fails fails the user too
                .exec(session -> session.set(LAST_BEAT, System.nanoTime()))
                .exec(session -> {
                    if (session.isFailed()) {
                        counters.connectFailed.increment();
                    } else {
                        counters.connectedNow();
                    }
                    return session;
                })
                .exitHereIfFailed();
    }

    /**
     * Waits until every user of this injector has connected or failed and, when the servers are
     * known, until they hold every user of the run (or the ramp is long overdue).
     */
    ChainBuilder awaitEveryoneConnected() {
        long rampNanos = settings.rampDuration().toNanos();
        long giveUpNanos = rampNanos + Duration.ofSeconds(settings.awaitSeconds()).toNanos();
        if (profile.heartbeat() != null) {
            // Waits no longer than a heartbeat apart: a server that expects them drops a silent user.
            return waitWhile(session -> elapsedNanos() < rampNanos || !everyoneConnected() && elapsedNanos() < giveUpNanos);
        }
        return exec(pause(session -> remaining(rampNanos)))
                .asLongAs(session -> !everyoneConnected() && elapsedNanos() < giveUpNanos)
                .on(pause(poll));
    }

    /**
     * Latched: once everyone was connected, users that look later pass too, although the first to
     * finish may already have closed and taken the count below the total again.
     */
    private boolean everyoneConnected() {
        if (releasedAtNanos < 0) {
            boolean here = counters.arrived() >= settings.users();
            boolean everywhere = !cluster.known() || cluster.connections() >= settings.clusterUsers();
            if (here && everywhere) {
                releasedAtNanos = elapsedNanos();
            }
        }
        return releasedAtNanos >= 0;
    }

    /**
     * Every sender of the run is done. A ladder's senders skip the slots they miss, so the number of
     * messages says nothing there: its senders are done once its last step is over.
     */
    private boolean everySenderDone() {
        boolean here = counters.sendersDone.sum() >= sendersThatConnected();
        boolean everywhere = settings.chatSteps().isEmpty()
                ? !cluster.known() || cluster.chatMessagesSinceStart() >= settings.clusterChatMessages()
                : elapsedNanos() >= startTogetherNanos() + settings.chatLadderEnd().toNanos();
        return here && everywhere;
    }

    ChainBuilder hold() {
        if (profile.heartbeat() == null) {
            return exec(pause(Duration.ofSeconds(settings.holdSeconds())));
        }
        return exec(session -> session.set("holdUntil", System.nanoTime() + Duration.ofSeconds(settings.holdSeconds()).toNanos()))
                .exec(waitWhile(session -> System.nanoTime() < session.getLong("holdUntil")));
    }

    /** The profile's join, sent once connected, and its reply awaited; nothing for a server without one. */
    private ChainBuilder join() {
        Profile.Join join = profile.join();
        if (join == null) {
            return exec(session -> session);
        }
        return exec(ws(JOIN).sendText(ProfileExpressions.join(profile)).await(settings.awaitSeconds()).on(
                ws.checkTextMessage(JOIN).matching(bodyString().transform(body -> join.reply().matches(parse(body))).is(true))
                        .check(bodyString().exists())));
    }

    /** A poll at a time while {@code waiting} holds, with the profile's heartbeat when one is due. */
    private ChainBuilder waitWhile(Function<Session, Boolean> waiting) {
        return asLongAs(waiting).on(exec(beatIfDue()).pause(poll));
    }

    /** The profile's heartbeat, when one is due; nothing for a server without one. */
    private ChainBuilder beatIfDue() {
        Profile.Heartbeat heartbeat = profile.heartbeat();
        if (heartbeat == null) {
            return exec(session -> session);
        }
        long intervalNanos = Duration.ofSeconds(heartbeat.intervalSeconds()).toNanos();
        return doIf(session -> System.nanoTime() - session.getLong(LAST_BEAT) >= intervalNanos).then(
                exec(ws("heartbeat").sendText(heartbeat.message()))
                        .exec(session -> session.set(LAST_BEAT, System.nanoTime())));
    }

    ChainBuilder close() {
        return exec(ws("close").close());
    }

    /** {@code messagesPerUser} benchmark messages from each burst sender, each acked (round trip measured) or sent without waiting. */
    ChainBuilder benchmarkBurst() {
        requireBenchmarks();
        return doIf(session -> settings.sendsBurst(session.getInt("index"))).then(repeat(settings.messagesPerUser(), "i").on(benchmarkMessage()));
    }

    /**
     * Waits until every user of this injector that connected has sent its burst and, when the
     * servers are known, until they counted every user's burst (or {@code awaitSeconds} went by):
     * a user that closed as soon as it was done would have its close compete with the others'
     * messages, and every user gone lowers the concurrency the burst is measured at (at 100,000
     * users, 5 messages each, the first closes came 9 s into a 69 s burst).
     */
    ChainBuilder awaitEveryBurstDone() {
        long giveUpNanos = Duration.ofSeconds(settings.awaitSeconds()).toNanos();
        return exec(session -> {
            counters.burstsDone.increment();
            return session.set("burstDoneAt", System.nanoTime());
        }).exec(waitWhile(session -> !everyBurstDone() && System.nanoTime() - session.getLong("burstDoneAt") < giveUpNanos));
    }

    private boolean everyBurstDone() {
        boolean here = counters.burstsDone.sum() >= counters.connected.sum();
        boolean everywhere = !cluster.readsServerCounters()
                || cluster.benchmarkMessagesSinceStart() >= settings.clusterBurstMessages();
        return here && everywhere;
    }

    /**
     * One benchmark message every {@code endurancePace}, for {@code enduranceSeconds}. Users start
     * staggered over one pace, by index: released together, they would otherwise all send at once
     * and then all wait, a burst instead of a rate. The stagger counts from one instant for all:
     * one poll after the release, by when every waiting user has seen it, so that the rate holds
     * from the first message to the last instead of ramping over a poll at both ends.
     */
    ChainBuilder benchmarkSustained() {
        requireBenchmarks();
        if (!settings.enduranceSteps().isEmpty()) {
            return benchmarkStepped();
        }
        long paceNanos = settings.endurancePace().toNanos();
        // exitASAP=false: a user leaves only between messages, so every message counted is sent and every ack counted.
        return exec(pause(session -> remaining(startTogetherNanos() + paceNanos * session.getInt("index") / settings.users())))
                .during(Duration.ofSeconds(settings.enduranceSeconds()), "i", false).on(
                        pace(settings.endurancePace()).exec(benchmarkMessage()));
    }

    /**
     * The limit finder's ladder: each user sends on its own slots of the step's pace (see
     * {@link Settings#nextStepSlot}), so that a new rate holds from the step's start even when a
     * user's gap is longer than the step. A slot missed while an ack was awaited is skipped, not
     * caught up: the rate achieved then falls short of the rate offered, as it should.
     */
    private ChainBuilder benchmarkStepped() {
        return stepped(benchmarkMessage(), "i", settings::nextStepSlot);
    }

    /** A user's slots in a ladder: its first at or after a time since the ladder's start, by its index; empty past the last step. */
    private interface Slots {
        Optional<Duration> next(Duration since, int index);
    }

    /** Sends {@code message} on the user's slots of a ladder, counting them in {@code counter}. */
    private ChainBuilder stepped(ChainBuilder message, String counter, Slots slots) {
        // The start is read once: read again, a wait that gave up would make it "now" at every message, and the ladder endless.
        return exec(session -> nextSlot(session.set("ladderStart", startTogetherNanos()), 0, slots))
                .asLongAs(session -> session.getLong("slot") >= 0, counter, false).on(
                        pause(session -> remaining(session.getLong("ladderStart") + session.getLong("slot"))),
                        message,
                        exec(session -> nextSlot(session, session.getLong("slot") + 1, slots)));
    }

    /** Keeps the user's next slot (nanoseconds after the ladder's start, -1 past the last step), no earlier than {@code notBefore} nor now. */
    private Session nextSlot(Session session, long notBefore, Slots slots) {
        Duration since = Duration.ofNanos(Math.max(notBefore, elapsedNanos() - session.getLong("ladderStart")));
        return session.set("slot", slots.next(since, session.getInt("index")).map(Duration::toNanos).orElse(-1L));
    }

    /** Refuses, before any load, a simulation of benchmark messages the profile cannot send or count. */
    private void requireBenchmarks() {
        profile.cannotSendBenchmarks(settings.acked()).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
    }

    private ChainBuilder benchmarkMessage() {
        ChainBuilder count = exec(session -> {
            counters.benchmarkSent.increment();
            counters.sent();
            return session;
        });
        if (!settings.acked()) {
            // wshunt's fire message has no id, so the server sends no ack that nobody awaits.
            return count.exec(ws("benchmark").sendText(ProfileExpressions.benchmark(profile, false, content)));
        }
        String message = ProfileExpressions.benchmark(profile, true, content);
        // The match parses each incoming frame once and the check the matched ack once more: plain Jackson, no JSON path.
        return count
                .exec(ws("benchmark").sendText(message).await(settings.awaitSeconds()).on(
                        ws.checkTextMessage(ACK)
                                .matching(bodyString().transformWithSession(this::ackOf).isEL(ProfileExpressions.MESSAGE_ID))
                                .check(bodyString().transformWithSession(this::ackOf).saveAs("acked"))))
                .exec(countIfSaved("acked", session -> messageTag(session, "i"), counters.acksReceived));
    }

    /**
     * The first {@code chatSenders} users each send {@code chatMessagesPerSender} chat messages, one
     * every {@code chatIntervalMillis}, and check that their own came back through the broadcast;
     * every user then counts the broadcasts it received, so that deliveries can be set against what
     * was expected. The senders of all injectors start spread over one interval, and each keeps its
     * pace while it waits for its echo: a pause after the echo would stretch every interval by the
     * echo's time, and the run would offer less than it says.
     */
    ChainBuilder chatRound() {
        if (profile.chat() == null) {
            throw new IllegalArgumentException("profile " + profile.name() + " has no chat message: ChatBroadcast cannot run against it");
        }
        boolean ladder = !settings.chatSteps().isEmpty();
        ChainBuilder send = ladder ? chatStepped() : exec(pause(session -> remaining(startTogetherNanos()
                + settings.chatSenderStart(session.getInt("index")).toNanos())))
                .repeat(settings.chatMessagesPerSender(), "n").on(pace(Duration.ofMillis(settings.chatIntervalMillis())), chatMessage());
        long giveUpNanos = settings.rampDuration().toNanos() + Duration.ofSeconds(settings.awaitSeconds()).toNanos() * 3
                + (ladder ? settings.chatLadderEnd().toNanos()
                : (long) settings.chatMessagesPerSender() * Duration.ofMillis(settings.chatIntervalMillis()).toNanos());
        // A waiting user counts what it has received at every look: broadcasts kept until the end of
        // the round outlive young collections, and copying them pauses the injector.
        ChainBuilder countAndWait = exec(ws.processUnmatchedMessages(this::countBroadcasts)).exec(beatIfDue()).pause(poll);
        return doIf(session -> session.getInt("index") < settings.chatSenders())
                .then(exec(send).exec(session -> {
                    counters.sendersDone.increment();
                    return session;
                }))
                .asLongAs(session -> !everySenderDone() && elapsedNanos() < giveUpNanos)
                .on(countAndWait)
                .asLongAs(session -> !everyDeliverySettled() && elapsedNanos() < giveUpNanos)
                .on(countAndWait)
                .pause(drain())
                .exec(ws.processUnmatchedMessages(this::countBroadcasts));
    }

    /**
     * One chat message, its echo checked: the broadcasts that arrived before it counted first, since
     * Gatling clears the unmatched buffer when a check starts.
     */
    private ChainBuilder chatMessage() {
        return exec(ws.processUnmatchedMessages(this::countBroadcasts))
                .exec(session -> {
                    counters.chatSentNow();
                    return session;
                })
                .exec(ws("chat").sendText(ProfileExpressions.chat(profile)).await(settings.awaitSeconds()).on(
                        ws.checkTextMessage(ECHO)
                                .matching(bodyString().transformWithSession(this::tallyAndMatchOwnEcho).is(true))
                                .check(bodyString().transformWithSession(this::ownTag).saveAs("echo"))))
                .exec(countIfSaved("echo", session -> messageTag(session, "n"), counters.echoesReceived));
    }

    /**
     * The limit finder's chat ladder: each sender sends on its own slots of the step's rate (see
     * {@link Settings#nextChatSlot}); a slot missed while an echo was awaited is skipped, not caught up.
     */
    private ChainBuilder chatStepped() {
        return stepped(chatMessage(), "n", settings::nextChatSlot);
    }

    /** Senders are the first users by index; one that failed to connect never sends. */
    private long sendersThatConnected() {
        return Math.min(settings.chatSenders(), counters.connected.sum());
    }

    /**
     * The servers have written (or dropped) one delivery of every chat message to every user they
     * hold. Without their counts: this injector's users have received every chat message the run
     * sent, or nothing has arrived for a while (a server that dropped some: the loss is counted).
     */
    private boolean everyDeliverySettled() {
        if (cluster.readsServerCounters()) {
            return cluster.deliveriesSettledSinceStart() >= cluster.chatMessagesSinceStart() * cluster.connections();
        }
        long sent = cluster.known() ? cluster.chatMessagesSinceStart() : counters.chatSent.sum();
        return counters.broadcastsReceived.sum() >= sent * counters.connected.sum() || counters.nothingArrivedFor(quiet());
    }

    /** How long without a delivery counts as the end of them: a few of the users' looks, which is when arrivals are counted. */
    private Duration quiet() {
        Duration looks = poll.multipliedBy(3);
        return looks.compareTo(QUIET) > 0 ? looks : QUIET;
    }

    /** Time for the last written frames to cross loopback. */
    private Duration drain() {
        return Duration.ofSeconds(2);
    }

    /** Broadcasts that arrived while the user was not awaiting a check, buffered by Gatling. */
    private Session countBroadcasts(List<WsInboundMessage> messages, Session session) {
        for (WsInboundMessage inbound : messages) {
            if (inbound instanceof WsInboundMessage.Text text) {
                tally(text.message(), text.timestamp());
            }
        }
        return session;
    }

    /**
     * The match condition of a sender's echo check. Gatling evaluates it once for every message that
     * arrives while the check waits and drops the ones that do not match, so it is also where
     * those broadcasts are counted.
     */
    private boolean tallyAndMatchOwnEcho(String body, Session session) {
        tally(body, System.currentTimeMillis());
        return !ownTag(body, session).isEmpty();
    }

    /** The sender's tag when one of the frame's messages is its own echo, else "". */
    private String ownTag(String body, Session session) {
        String tag = messageTag(session, "n");
        for (String text : messagesOf(body)) {
            JsonNode message = parse(text);
            if (profile.chat().broadcast().matches(message) && tag.equals(Profile.read(message, profile.chat().tagField()).asText())) {
                return tag;
            }
        }
        return "";
    }

    private void tally(String body, long arrivalMillis) {
        for (String text : messagesOf(body)) {
            long sentAt = broadcastTimestamp(text, profile.chat());
            if (sentAt != NOT_A_BROADCAST) {
                counters.broadcastReceived(arrivalMillis, sentAt);
            }
        }
    }

    /** The messages one frame carries: one, or one per line for a hub that batches what it has queued. */
    private List<String> messagesOf(String body) {
        return profile.chat().newlineSeparated() && body.indexOf('\n') >= 0 ? List.of(body.split("\n")) : List.of(body);
    }

    /** The id of an acknowledgement, or "" for any other frame. */
    private String ackOf(String body, Session session) {
        Profile.Ack ack = profile.benchmark().ack();
        JsonNode message = parse(body);
        return ack.matcher().matches(message) ? Profile.read(message, ack.idField()).asText() : "";
    }

    /**
     * The timestamp of a broadcast as the profile recognises one (wshunt: {@code {"type":"message",...}}
     * with the server's {@code timestamp}), 0 when it has none, read in one streaming pass without
     * building a tree: every user reads every broadcast, and trees cost a fifth of an injector's
     * CPU in a chat round. {@link #NOT_A_BROADCAST} for any other
     * message, or one that is not JSON.
     */
    static long broadcastTimestamp(String text, Profile.Chat chat) {
        if (chat.broadcast().field().startsWith("/") || chat.timestampField().startsWith("/")) {
            // Nested fields (JSON pointers): a tree, since a streaming pass reads top-level fields only.
            JsonNode message = parse(text);
            if (!chat.broadcast().matches(message)) return NOT_A_BROADCAST;
            JsonNode timestamp = Profile.read(message, chat.timestampField());
            return timestamp.isIntegralNumber() ? timestamp.asLong() : 0;
        }
        try (JsonParser parser = JSON.getFactory().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return NOT_A_BROADCAST;
            }
            boolean broadcast = false;
            long timestamp = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(chat.broadcast().field())) {
                    broadcast = value == JsonToken.VALUE_STRING && parser.getText().equals(chat.broadcast().is());
                } else if (field.equals(chat.timestampField()) && value == JsonToken.VALUE_NUMBER_INT) {
                    timestamp = parser.getLongValue();
                } else {
                    parser.skipChildren();
                }
            }
            return broadcast ? timestamp : NOT_A_BROADCAST;
        } catch (IOException e) {
            return NOT_A_BROADCAST;
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    /** What a user puts in its n-th message, {@code #{userId}-#{counter}}, to know the answer to it. */
    private static String messageTag(Session session, String counter) {
        return session.getString("userId") + "-" + session.getInt(counter);
    }

    private static Function<Session, Session> countIfSaved(String key, Function<Session, String> expected,
                                                           LongAdder counter) {
        return session -> {
            if (expected.apply(session).equals(session.getString(key))) {
                counter.increment();
            }
            return session.remove(key);
        };
    }

    private Iterator<Map<String, Object>> userIds() {
        AtomicInteger next = new AtomicInteger();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map<String, Object> next() {
                int index = next.getAndIncrement();
                return Map.of("index", index, "userId", "u" + (settings.userIdOffset() + index));
            }
        };
    }

    /**
     * The instant from which paced senders of this injector stagger their starts, since the start:
     * one poll after the release, by when every waiting user has seen it; now if the wait gave up.
     */
    private long startTogetherNanos() {
        long releasedAt = releasedAtNanos;
        return releasedAt >= 0 ? releasedAt + poll.toNanos() : elapsedNanos();
    }

    private Duration remaining(long offsetNanos) {
        return Duration.ofNanos(Math.max(0, offsetNanos - elapsedNanos()));
    }

    private long elapsedNanos() {
        return System.nanoTime() - counters.startNanos();
    }
}
