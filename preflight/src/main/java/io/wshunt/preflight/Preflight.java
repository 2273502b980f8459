package io.wshunt.preflight;

/**
 * The one preflight, for the suite runner and for a simulation run by Maven alike: the limits that
 * decide how far a run can go, what the plan needs of each, and the first bottleneck with how to lift it.
 */
public final class Preflight {
    private Preflight() {
    }

    public static String table(HostLimits limits, RunPlan plan) {
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

    /**
     * For one process that opens every connection itself (a simulation under {@code mvn gatling:test}):
     * prints the table and refuses, before any load, a run a limit would stop.
     */
    public static void requireOneProcess(int users) {
        HostLimits limits = HostLimits.read();
        RunPlan plan = RunPlan.derive(users, limits, 1, 1);
        System.out.print(table(limits, plan));
        plan.firstBottleneck().ifPresent(check -> {
            throw new IllegalStateException("Preflight: " + check.limit() + " is " + check.value() + " but " + users + " users in one process need "
                    + check.needed() + ". " + check.fix() + "; or spread the users over several processes with ci/run-suite.sh.");
        });
    }
}
