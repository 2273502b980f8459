package io.wshunt.runner.probe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.wshunt.report.CeilingShare;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.ServerFleet;
import io.wshunt.runner.process.ServerLaunch;

/**
 * This machine's ceiling against the server: the capacity probe's fire, ack, broadcast and connect phases
 * against one fresh server process, after a warm-up pass. Every rate of a run is set beside it, so
 * that a user sees whether the run measured the server or the load generator.
 */
public record Ceiling(Map<String, CapacityProbe.Phase> phases) implements CeilingShare {
    public static Ceiling measure(ChildProcesses children, ServerLaunch launch, Path logDir) throws Exception {
        ServerFleet server = ServerFleet.start(children, launch, 1, null, logDir);
        try (CapacityProbe probe = CapacityProbe.of(server, new CapacityProbe.Settings(200, 16, Duration.ofMillis(500), Duration.ofMillis(1_000), 3, Duration.ofSeconds(10)))) {
            probe.connect();
            probe.run(CapacityProbe.PHASES); // the JIT's pass: a cold server shows half its ceiling
            Map<String, CapacityProbe.Phase> measured = new LinkedHashMap<>();
            probe.run(CapacityProbe.PHASES).forEach(phase -> measured.put(phase.name(), phase));
            return new Ceiling(measured);
        } finally {
            server.stop(children);
        }
    }

    public Optional<CapacityProbe.Phase> phase(String name) {
        return Optional.ofNullable(phases.get(name)).filter(CapacityProbe.Phase::measured);
    }

    @Override
    public Optional<Double> share(String phase, double rate) {
        return phase(phase).map(ceiling -> rate / ceiling.rate());
    }

    @Override
    public Optional<String> describe(String phase, double rate, String unit) {
        return phase(phase).map(ceiling -> {
            double share = rate / ceiling.rate();
            String meaning = share < 0.5 ? "the load generator set this rate, not the server"
                    : share < 0.8 ? "the server had room left" : "near what this machine can do";
            return String.format("%.0f%% of this machine's ceiling (%,.0f %s, probe %s): %s", share * 100, ceiling.rate(), unit, phase, meaning);
        });
    }

    public Map<String, Object> toMap() {
        return ProbeFigures.toMap(List.copyOf(phases.values()));
    }
}
