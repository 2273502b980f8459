package io.wshunt.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Every setting the simulations read, a system property each ({@code -Dusers=5000}), with its
 * default and what it does: the one list that the simulations read, the runner writes for each
 * injector, and the README's table is held to (a test reads the table against it).
 * <p>
 * A default of {@code null} is worked out from other settings (see each one). Settings the runner
 * alone sets, to share a run between injectors, are not in the README's table.
 */
public enum SimulationSetting {
    TARGET("target", "", "the server to drive, ws://host:port; empty: start one for the run"),
    STATS_URL("statsUrl", "", "the server's /stats, for server-side counts"),
    USERS("users", "1000", "virtual users, one WebSocket each"),
    CONNECT_RATE("connectRate", "250", "users started per second"),
    HOLD_SECONDS("holdSeconds", "5", "how long ConnectionRamp holds every user once all are connected"),
    USER_ID_OFFSET("userIdOffset", "0", "the first user id is u<offset>"),
    MODE("mode", "ack", "ack: await each ack; fire: send without waiting"),
    MESSAGES_PER_USER("messagesPerUser", "20", "benchmark messages per user"),
    BURST_SENDERS("burstSenders", "0", "users of the whole run who send MessageThroughput's burst, spread evenly over them; 0: every user"),
    CONTENT_BYTES("contentBytes", "64", "content size of a message"),
    ENDURANCE_SECONDS("enduranceSeconds", "20", "Endurance's duration"),
    ENDURANCE_RATE("enduranceRate", "2000", "Endurance's msg/s over all users"),
    CHAT_SENDERS("chatSenders", "10", "users who chat"),
    CHAT_MESSAGES_PER_SENDER("chatMessagesPerSender", "5", "chat messages per sender"),
    CHAT_INTERVAL_MILLIS("chatIntervalMillis", "200", "gap between one sender's chat messages"),
    AWAIT_SECONDS("awaitSeconds", "60", "longest wait for a welcome, ack or echo"),
    FAIL_ON_LOSS("failOnLoss", "true", "fail the run when any message is lost end to end"),
    MAX_ERROR_PERCENT("maxErrorPercent", "0", "Gatling assertion: failed requests at most"),
    MAX_P99_MILLIS("maxP99Millis", "10000", "Gatling assertion: p99 at most"),
    MIN_REQUESTS_PER_SECOND("minRequestsPerSecond", "0", "Gatling assertion: requests/s at least"),
    /** Default: the system property {@code wshunt.defaultCountersDir} (the pom sets it), else {@code target/wshunt}. */
    COUNTERS_DIR("countersDir", null, "where accounting and the server's log go"),
    SERVER_ARGS("serverArgs", "", "extra flags of the server a run starts"),
    SERVER_JVM_ARGS("serverJvmArgs", ServerCommand.DEFAULT_JVM_ARGS, "JVM flags of the server a run starts"),
    PROFILE("profile", "wshunt", "what the server speaks: a built-in profile name or a JSON file"),

    CLUSTER_STATS_URLS("clusterStatsUrls", "", "every server's /stats, comma-separated", true),
    /** For a server without counters: the folder every injector of the run shares, where they wait for each other (see the simulations' Peers). */
    PEERS_DIR("peersDir", "", "a folder every injector of the run shares, to wait for each other in when the servers give no counters", true),
    /** Default: {@link #USERS}. */
    CLUSTER_USERS("clusterUsers", null, "users over every injector", true),
    /** Default: {@link #CHAT_SENDERS} x {@link #CHAT_MESSAGES_PER_SENDER}. */
    CLUSTER_CHAT_MESSAGES("clusterChatMessages", null, "chat messages over every injector", true),
    /** Default: {@link #CHAT_SENDERS}. */
    CLUSTER_CHAT_SENDERS("clusterChatSenders", null, "chat senders over every injector", true),
    CHAT_SENDER_OFFSET("chatSenderOffset", "0", "how many of the run's chat senders come before this injector's", true),
    /** The limit finder's ladder: when given, Endurance holds each rate for {@link #STEP_SECONDS} instead of {@link #ENDURANCE_RATE}. */
    ENDURANCE_STEPS("enduranceSteps", "", "Endurance's msg/s over all users per step, comma-separated", true),
    /** The limit finder's connect ladder: when given, users connect at these rates instead of {@link #CONNECT_RATE}, the last step taking the rest. */
    CONNECT_STEPS("connectSteps", "", "users connected per second over all injectors per step, comma-separated", true),
    /** The limit finder's chat ladder: when given, ChatBroadcast's senders send on slots of these rates instead of {@link #CHAT_INTERVAL_MILLIS}. */
    CHAT_STEPS("chatSteps", "", "deliveries per second over all users per step (each chat message is one delivery to every user), comma-separated", true),
    STEP_SECONDS("stepSeconds", "10", "how long each of enduranceSteps, connectSteps or chatSteps is held", true),
    /** Read by the runner's injectors only: {@code mvn gatling:test} runs one JVM that nothing else shares the machine with. */
    INJECTOR_WARM_UP("injectorWarmUp", "5000", "users each of a run's injectors connects and closes before ConnectionRamp (at most 1,000 of them send 100,000 messages to a server of its own before a fire-and-forget burst or sustained rate), so that its JIT has compiled the path; 0: none", true);

    private final String key;
    private final String defaultValue;
    private final String meaning;
    private final boolean setByRunner;

    SimulationSetting(String key, String defaultValue, String meaning) {
        this(key, defaultValue, meaning, false);
    }

    SimulationSetting(String key, String defaultValue, String meaning, boolean setByRunner) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
        this.setByRunner = setByRunner;
    }

    /** The servers the runner and the simulations start speak only the default profile: any other needs a target. */
    public static boolean needsTarget(String profile) {
        return !profile.equals(PROFILE.defaultValue);
    }

    /** The system property's name. */
    public String key() {
        return key;
    }

    /** The default; null where it is worked out from other settings. */
    public String defaultValue() {
        return defaultValue;
    }

    public String meaning() {
        return meaning;
    }

    /** Set by the runner for each injector, to share one run between them; not a user's setting. */
    public boolean setByRunner() {
        return setByRunner;
    }

    /** The default as a whole number. */
    public int intDefault() {
        return Integer.parseInt(defaultValue);
    }

    /** The given value, else the default (or {@code orElse} where the default is worked out). */
    public String from(Properties properties, String orElse) {
        String raw = properties.getProperty(key);
        return raw == null || raw.isBlank() ? orElse : raw.trim();
    }

    public String from(Properties properties) {
        return from(properties, defaultValue);
    }

    /** The same, from settings given as a map (the runner's {@code -D} flags, an injector's environment). */
    public String from(Map<String, String> values) {
        String raw = values.get(key);
        return raw == null || raw.isBlank() ? defaultValue : raw.trim();
    }

    /** A whole number (underscores allowed: 50_000); a clear error names the setting otherwise. */
    public int intFrom(Properties properties, int orElse) {
        return wholeNumber(properties.getProperty(key), orElse);
    }

    public int intFrom(Properties properties) {
        return intFrom(properties, intDefault());
    }

    /** The same, from settings given as a map (the runner's {@code -D} flags, an injector's environment). */
    public int intFrom(Map<String, String> values) {
        return wholeNumber(values.get(key), intDefault());
    }

    private int wholeNumber(String raw, int orElse) {
        if (raw == null || raw.isBlank()) return orElse;
        try {
            return Integer.parseInt(raw.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + key + " takes a whole number, not '" + raw + "'");
        }
    }

    /** Whole numbers separated by commas (empty: none); a clear error names the setting otherwise. */
    public List<Integer> intsFrom(String raw) {
        if (raw == null || raw.isBlank()) return List.of();
        return Arrays.stream(raw.split(",")).map(item -> wholeNumber(item, 0)).toList();
    }

    public double decimalFrom(Properties properties) {
        String raw = properties.getProperty(key);
        if (raw == null || raw.isBlank()) return Double.parseDouble(defaultValue);
        try {
            return Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + key + " takes a number, not '" + raw + "'");
        }
    }

    public boolean booleanFrom(Properties properties) {
        return Boolean.parseBoolean(from(properties));
    }
}
