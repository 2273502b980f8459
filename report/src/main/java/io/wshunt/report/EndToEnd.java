package io.wshunt.report;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The one loss calculation, used by each injector's own verdict and by the runner over all of
 * them: every count set against what it should be. Fewer is lost, more is duplicated, and the two
 * are kept apart so that a duplicate can never cancel a loss.
 *
 * @param users             what the users sent and received (one injector's, or every injector's summed)
 * @param acked             every benchmark message asked for an ack
 * @param benchmarkCounted  benchmark messages the servers counted, when their counters are known
 * @param chatCounted       chat messages the servers counted, when known
 */
public record EndToEnd(InjectorAccounting.Counts users, boolean acked, OptionalLong benchmarkCounted, OptionalLong chatCounted) {

    /** One count against what it should be. */
    public record Tally(String what, long expected, long arrived) {
        public long lost() {
            return Math.max(0, expected - arrived);
        }

        public long duplicated() {
            return Math.max(0, arrived - expected);
        }
    }

    /** Each chat message is delivered to every connected user, the sender too. */
    public long deliveriesExpected() {
        return users.chatSent() * users.connected();
    }

    public Tally benchmark() {
        return new Tally("benchmark messages counted by the servers", users.benchmarkSent(), benchmarkCounted.orElse(users.benchmarkSent()));
    }

    /** Every benchmark message that asked for an ack should have one back. */
    public Tally acks() {
        return new Tally("acks received", acked ? users.benchmarkSent() : 0, acked ? users.acksReceived() : 0);
    }

    public Tally chat() {
        return new Tally("chat messages counted by the servers", users.chatSent(), chatCounted.orElse(users.chatSent()));
    }

    public Tally deliveries() {
        return new Tally("deliveries received", deliveriesExpected(), users.broadcastsReceived());
    }

    /** Every tally that can be judged: the servers' only when their counters are known. */
    public List<Tally> tallies() {
        List<Tally> tallies = new ArrayList<>();
        if (benchmarkCounted.isPresent()) tallies.add(benchmark());
        tallies.add(acks());
        if (chatCounted.isPresent()) tallies.add(chat());
        tallies.add(deliveries());
        return tallies;
    }

    /**
     * What cannot be counted with what the server gives, each with why: never read as nothing lost.
     * Benchmark messages with neither an acknowledgement nor server counters have no loss figure at
     * all; chat messages without server counters still have their deliveries counted at the receivers.
     */
    public List<String> notCounted() {
        List<String> notCounted = new ArrayList<>();
        if (!lossCounted()) {
            notCounted.add("benchmark messages: not counted (no acknowledgement and no server counters), so their loss is unknown");
        }
        if (users.chatSent() > 0 && chatCounted.isEmpty()) {
            notCounted.add("chat messages received by the servers: not counted (no server counters); deliveries are counted at the receivers");
        }
        return notCounted;
    }

    /** Whether every message's fate is known: false when benchmark messages went out with nothing to count them against. */
    public boolean lossCounted() {
        return !(users.benchmarkSent() > 0 && !acked && benchmarkCounted.isEmpty());
    }

    public long lost() {
        return tallies().stream().mapToLong(Tally::lost).sum();
    }

    public long duplicated() {
        return tallies().stream().mapToLong(Tally::duplicated).sum();
    }
}
