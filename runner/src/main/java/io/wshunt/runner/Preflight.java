package io.wshunt.runner;

/** Prints the limits that decide how far a run can go, and what the plan needs of each. */
final class Preflight {
    private Preflight() {
    }

    static String table(HostLimits limits, RunPlan plan) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Preflight for %,d users on %s, %d CPUs: %d server process(es), %d injector(s) on %s%n",
                plan.users(), limits.os(), limits.cpus(), plan.servers(), plan.injectors(), String.join(", ", plan.injectorAddresses())));
        String format = "  %-42s %-26s %-40s %s%n";
        out.append(String.format(format, "limit", "value", "needed", "verdict"));
        for (RunPlan.Check check : plan.checks()) {
            out.append(String.format(format, check.limit(), check.value(), check.needed(), check.verdict()));
        }
        plan.checks().stream().filter(check -> !check.ok()).forEach(check ->
                out.append(String.format("  %s %s: %s%n", check.blocking() ? "fix" : "tip", check.limit(), check.fix())));
        out.append(plan.firstBottleneck()
                .map(check -> "First bottleneck: " + check.limit() + " (" + check.value() + ", needs " + check.needed() + ")\n")
                .orElse("No limit stands in the way.\n"));
        return out.toString();
    }
}
