package io.wshunt.runner.limit;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one unit of a path cost the servers and the injectors in CPU at the busiest step of its
 * ladders, and the rate each side would reach alone with every core of this machine. With both on
 * one box the knee is set by whichever saturates first; this says how far each side is from its
 * own limit, and the most the two can carry together on these cores at these costs (the kernel's
 * share left out, so a bound from above): a rate beyond it is out of this machine's reach.
 *
 * @param atPerS         the rate achieved at that step
 * @param serverMicros   CPU microseconds of the servers per unit (NaN: not sampled)
 * @param injectorMicros CPU microseconds of the injectors per unit (NaN: not sampled)
 */
public record Cost(double atPerS, double serverMicros, double injectorMicros, int cpus) {
    /** The judged step that achieved the most, held or not; empty when none achieved anything or no CPU was sampled. */
    static Optional<Cost> atBusiest(List<Step> steps, int cpus) {
        return steps.stream()
                .filter(step -> !step.warmUp() && step.achievedPerS() > 0)
                .max(Comparator.comparingDouble(Step::achievedPerS))
                .filter(step -> !Double.isNaN(step.serverCpuPercent()) || !Double.isNaN(step.injectorCpuPercent()))
                .map(step -> new Cost(step.achievedPerS(), micros(step.serverCpuPercent(), step.achievedPerS()),
                        micros(step.injectorCpuPercent(), step.achievedPerS()), cpus));
    }

    /** 100% is one core busy for the second: {@code percent / 100} core-seconds spread over {@code perS} units. */
    private static double micros(double cpuPercent, double perS) {
        return cpuPercent / 100 * 1_000_000 / perS;
    }

    /** The rate at which the servers alone would keep every core busy; NaN when their cost is unknown. */
    double serversAlonePerS() {
        return alonePerS(serverMicros);
    }

    double injectorsAlonePerS() {
        return alonePerS(injectorMicros);
    }

    /** The most both can carry together on these cores at these costs. */
    double bothAtMostPerS() {
        return alonePerS(serverMicros + injectorMicros);
    }

    private double alonePerS(double micros) {
        return micros > 0 ? cpus * 1_000_000 / micros : Double.NaN;
    }

    Map<String, Object> toMap(String unit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at_per_s", Math.round(atPerS));
        out.put("server_cpu_us_per_unit", tenths(serverMicros));
        out.put("injector_cpu_us_per_unit", tenths(injectorMicros));
        out.put("servers_alone_per_s", Step.roundedOrNull(serversAlonePerS()));
        out.put("injectors_alone_per_s", Step.roundedOrNull(injectorsAlonePerS()));
        out.put("both_at_most_per_s", Step.roundedOrNull(bothAtMostPerS()));
        out.put("in_words", inWords(unit));
        return out;
    }

    String inWords(String unit) {
        return String.format("at its busiest step (%,.0f %s) one unit cost the servers %s and the injectors %s of CPU; alone on this machine's %d "
                        + "cores the servers would take %s, the injectors drive %s, and both together at most %s", atPerS, unit, cpuShown(serverMicros),
                cpuShown(injectorMicros), cpus, rateShown(serversAlonePerS(), unit), rateShown(injectorsAlonePerS(), unit), rateShown(bothAtMostPerS(), unit));
    }

    private static String cpuShown(double micros) {
        return Double.isNaN(micros) ? "(not sampled)" : String.format("%,.1f µs", micros);
    }

    private static String rateShown(double perS, String unit) {
        return Double.isNaN(perS) ? "(not known)" : String.format("%,.0f %s", perS, unit);
    }

    private static Double tenths(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 10) / 10.0;
    }
}
