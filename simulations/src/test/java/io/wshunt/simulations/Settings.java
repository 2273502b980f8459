package io.wshunt.simulations;

import static io.wshunt.contract.SimulationSetting.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Every setting of the simulations in one place, read from system properties
 * ({@code mvn gatling:test -Dusers=5000}) with defaults sized for an untuned laptop, validated
 * and printed before any load starts.
 */
public record Settings(
        String target,
        String statsUrl,
        int users,
        int connectRate,
        int holdSeconds,
        int userIdOffset,
        String mode,
        int messagesPerUser,
        int burstSenders,
        int contentBytes,
        int enduranceSeconds,
        int enduranceRate,
        int chatSenders,
        int chatMessagesPerSender,
        int chatIntervalMillis,
        int awaitSeconds,
        double maxErrorPercent,
        double minRequestsPerSecond,
        int maxP99Millis,
        boolean failOnLoss,
        String countersDir,
        String serverArgs,
        String serverJvmArgs,
        String clusterStatsUrls,
        String peersDir,
        int clusterUsers,
        long clusterChatMessages,
        int clusterChatSenders,
        int chatSenderOffset,
        String profile,
        List<Integer> enduranceSteps,
        List<Integer> connectSteps,
        List<Integer> chatSteps,
        int stepSeconds) {

    public static final String ACK = "ack";
    public static final String FIRE = "fire";

    public static Settings fromSystemProperties() {
        return from(System.getProperties());
    }

    static Settings from(Properties p) {
        int users = USERS.intFrom(p);
        int chatSenders = CHAT_SENDERS.intFrom(p);
        Settings settings = new Settings(
                TARGET.from(p),
                STATS_URL.from(p),
                users,
                CONNECT_RATE.intFrom(p),
                HOLD_SECONDS.intFrom(p),
                USER_ID_OFFSET.intFrom(p),
                MODE.from(p),
                MESSAGES_PER_USER.intFrom(p),
                BURST_SENDERS.intFrom(p),
                CONTENT_BYTES.intFrom(p),
                ENDURANCE_SECONDS.intFrom(p),
                ENDURANCE_RATE.intFrom(p),
                chatSenders,
                CHAT_MESSAGES_PER_SENDER.intFrom(p),
                CHAT_INTERVAL_MILLIS.intFrom(p),
                AWAIT_SECONDS.intFrom(p),
                MAX_ERROR_PERCENT.decimalFrom(p),
                MIN_REQUESTS_PER_SECOND.decimalFrom(p),
                MAX_P99_MILLIS.intFrom(p),
                FAIL_ON_LOSS.booleanFrom(p),
                COUNTERS_DIR.from(p, p.getProperty("wshunt.defaultCountersDir", "target/wshunt")),
                SERVER_ARGS.from(p),
                SERVER_JVM_ARGS.from(p),
                CLUSTER_STATS_URLS.from(p),
                PEERS_DIR.from(p),
                CLUSTER_USERS.intFrom(p, users),
                CLUSTER_CHAT_MESSAGES.intFrom(p, chatSenders * CHAT_MESSAGES_PER_SENDER.intFrom(p)),
                CLUSTER_CHAT_SENDERS.intFrom(p, chatSenders),
                CHAT_SENDER_OFFSET.intFrom(p),
                PROFILE.from(p),
                ENDURANCE_STEPS.intsFrom(ENDURANCE_STEPS.from(p)),
                CONNECT_STEPS.intsFrom(CONNECT_STEPS.from(p)),
                CHAT_STEPS.intsFrom(CHAT_STEPS.from(p)),
                STEP_SECONDS.intFrom(p));
        settings.validate();
        return settings;
    }

    /** Refuses, before any load, a combination that cannot run. */
    void validate() {
        List<String> problems = new ArrayList<>();
        if (users < 1) problems.add("users must be at least 1");
        if (connectRate < 1) problems.add("connectRate must be at least 1 user/s");
        if (!mode.equals(ACK) && !mode.equals(FIRE)) problems.add("mode must be 'ack' or 'fire', not '" + mode + "'");
        if (messagesPerUser < 1) problems.add("messagesPerUser must be at least 1");
        if (burstSenders < 0 || burstSenders > clusterUsers) problems.add("burstSenders must be between 0 (every user) and the run's users (" + clusterUsers + ")");
        if (enduranceRate < 1) problems.add("enduranceRate must be at least 1 msg/s");
        if (enduranceSteps.stream().anyMatch(rate -> rate < 1)) problems.add("every rate of enduranceSteps must be at least 1 msg/s");
        if (connectSteps.stream().anyMatch(rate -> rate < 1)) problems.add("every rate of connectSteps must be at least 1 user/s");
        if (chatSteps.stream().anyMatch(rate -> rate < 1)) problems.add("every rate of chatSteps must be at least 1 delivery/s");
        if (stepSeconds < 1) problems.add("stepSeconds must be at least 1");
        if (chatSenders < 0 || chatSenders > users) problems.add("chatSenders must be between 0 and users (" + users + ")");
        if (chatMessagesPerSender < 1) problems.add("chatMessagesPerSender must be at least 1");
        if (awaitSeconds < 1) problems.add("awaitSeconds must be at least 1");
        if (!target.isEmpty() && !target.matches("wss?://[^/]+")) problems.add("target must look like ws://host:port, not '" + target + "'");
        if (needsTarget(profile) && target.isEmpty()) problems.add("profile " + profile + " needs -Dtarget: the server started here speaks only the wshunt profile");
        if (clusterUsers < users) problems.add("clusterUsers (all injectors) must be at least users (this injector)");
        if (chatSenderOffset < 0 || chatSenderOffset + chatSenders > clusterChatSenders) {
            problems.add("this injector's chat senders (" + chatSenderOffset + " to " + (chatSenderOffset + chatSenders)
                    + ") must be among the run's " + clusterChatSenders);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid settings: " + String.join("; ", problems));
        }
    }

    public boolean acked() {
        return mode.equals(ACK);
    }

    /**
     * Whether user {@code index} of this injector sends the burst: every user, or {@code burstSenders}
     * of the run's users spread evenly over their ids, so that every injector and server gets its share.
     */
    public boolean sendsBurst(int index) {
        if (burstSenders == 0) return true;
        long id = (long) userIdOffset + index;
        return (id + 1) * burstSenders / clusterUsers > id * burstSenders / clusterUsers;
    }

    /** The burst's messages over every injector. */
    public long clusterBurstMessages() {
        return (long) (burstSenders == 0 ? clusterUsers : burstSenders) * messagesPerUser;
    }

    /** Whole seconds: Gatling injects nobody over a ramp shorter than one second. */
    public Duration rampDuration() {
        if (!connectSteps.isEmpty()) {
            Duration ladder = connectStepDurations().stream().reduce(Duration.ZERO, Duration::plus);
            return Duration.ofSeconds((ladder.toMillis() + 999) / 1000);
        }
        return Duration.ofSeconds(Math.max(1, (users + connectRate - 1) / connectRate));
    }

    /**
     * How long each step of {@link #connectStepUsers} lasts: {@code stepSeconds}, but the last connects
     * the rest at its rate, to the millisecond (whole seconds would lower its rate), and may last longer.
     */
    public List<Duration> connectStepDurations() {
        List<Integer> counts = connectStepUsers();
        List<Duration> durations = new ArrayList<>();
        for (int k = 0; k < counts.size() - 1; k++) {
            durations.add(Duration.ofSeconds(stepSeconds));
        }
        if (!counts.isEmpty()) {
            int last = counts.size() - 1;
            durations.add(Duration.ofMillis(Math.max(1_000, (counts.get(last) * 1_000L + connectSteps.get(last) - 1) / connectSteps.get(last))));
        }
        return durations;
    }

    /** The gap between two messages of one user that gives {@code enduranceRate} messages/s over all users. */
    public Duration endurancePace() {
        return Duration.ofNanos(users * 1_000_000_000L / enduranceRate);
    }

    /**
     * The limit finder's schedule: in step k (from {@code k * stepSeconds}, at {@code enduranceSteps[k]}
     * msg/s), user {@code index} sends at its phase, {@code index / users} of the step's gap, and then
     * every gap. Returns the user's first slot at or after {@code since} (both from the start
     * together); empty past the last step.
     */
    public Optional<Duration> nextStepSlot(Duration since, int index) {
        return nextSlot(enduranceSteps, users, 1, since, index);
    }

    /**
     * The chat ladder's schedule, the same way over this injector's senders: a step of D deliveries/s
     * is D / clusterUsers chat messages/s, since each is delivered to every user of the run.
     */
    public Optional<Duration> nextChatSlot(Duration since, int indexOfSender) {
        return nextSlot(chatSteps, chatSenders, clusterUsers, since, indexOfSender);
    }

    /** When the chat ladder's last step ends, from the start together. */
    public Duration chatLadderEnd() {
        return Duration.ofSeconds((long) stepSeconds * chatSteps.size());
    }

    private Optional<Duration> nextSlot(List<Integer> rates, int senders, long unitsPerMessage, Duration since, int index) {
        long stepNanos = Duration.ofSeconds(stepSeconds).toNanos();
        long at = Math.max(0, since.toNanos());
        for (int k = (int) (at / stepNanos); k < rates.size(); k++) {
            long stepStart = k * stepNanos;
            long gap = senders * unitsPerMessage * 1_000_000_000L / rates.get(k);
            long first = stepStart + gap * (index % senders) / senders;
            long slot = at <= first ? first : first + (at - first + gap - 1) / gap * gap;
            if (slot < stepStart + stepNanos) {
                return Optional.of(Duration.ofNanos(slot));
            }
            at = stepStart + stepNanos;
        }
        return Optional.empty();
    }

    /**
     * The limit finder's connect ladder: how many users connect in each step of {@code connectSteps},
     * {@code stepSeconds} at each rate while users are left; the last step connects the rest, at its
     * rate, so that every user connects. A ladder its users cannot fill is cut short.
     */
    public List<Integer> connectStepUsers() {
        List<Integer> counts = new ArrayList<>();
        int left = users;
        for (int k = 0; k < connectSteps.size() && left > 0; k++) {
            int count = k == connectSteps.size() - 1 ? left : (int) Math.min(left, (long) connectSteps.get(k) * stepSeconds);
            counts.add(count);
            left -= count;
        }
        return counts;
    }

    /**
     * When a chat sender sends its first message, after the start: the run's senders spread evenly
     * over one interval, so that together they offer a rate, not a burst of every sender at once.
     */
    public Duration chatSenderStart(int indexOfSender) {
        return Duration.ofMillis(chatIntervalMillis).multipliedBy(chatSenderOffset + indexOfSender).dividedBy(Math.max(1, clusterChatSenders));
    }

    /** Each chat message of the run (every injector's senders) is delivered to every connected user. */
    public long expectedDeliveriesPerUser() {
        return clusterChatMessages;
    }

    public String banner(String simulation) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("target", target.isEmpty() ? "(a server started for this run)" : target);
        shown.put("profile", profile);
        shown.put("users", users);
        shown.put("connectRate", connectSteps.isEmpty() ? connectRate + " users/s (ramp " + rampDuration().toSeconds() + " s)"
                : "steps of " + stepSeconds + " s at " + connectSteps + " users/s, " + connectStepUsers() + " users");
        shown.put("holdSeconds", holdSeconds);
        shown.put("userIdOffset", userIdOffset);
        shown.put("mode", mode);
        shown.put("messagesPerUser", messagesPerUser + (burstSenders == 0 ? "" : ", from " + burstSenders + " burst senders of the run"));
        shown.put("contentBytes", contentBytes);
        shown.put("enduranceSeconds", enduranceSeconds);
        shown.put("enduranceRate", enduranceSteps.isEmpty() ? enduranceRate + " msg/s"
                : "steps of " + stepSeconds + " s at " + enduranceSteps + " msg/s");
        shown.put("chatSenders x chatMessagesPerSender", chatSteps.isEmpty() ? chatSenders + " x " + chatMessagesPerSender + " (every " + chatIntervalMillis + " ms)"
                : chatSenders + " senders, steps of " + stepSeconds + " s at " + chatSteps + " deliveries/s");
        shown.put("awaitSeconds", awaitSeconds);
        if (!clusterStatsUrls.isEmpty() || !peersDir.isEmpty()) {
            shown.put("cluster (all injectors)", clusterUsers + " users, " + clusterChatMessages + " chat messages, "
                    + (clusterStatsUrls.isEmpty() ? "waited for through " + peersDir : "servers " + clusterStatsUrls));
        }
        shown.put("assertions", "errors <= " + maxErrorPercent + "%, p99 <= " + maxP99Millis + " ms"
                + (minRequestsPerSecond > 0 ? ", >= " + minRequestsPerSecond + " req/s" : "")
                + (failOnLoss ? ", no lost message" : ""));
        StringBuilder out = new StringBuilder("wshunt " + simulation + "\n");
        shown.forEach((key, value) -> out.append(String.format("  %-38s %s%n", key, value)));
        return out.toString();
    }
}
