package io.wshunt.runner.probe;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.wshunt.contract.Json;
import io.wshunt.contract.Profile;
import io.wshunt.contract.ServerCommand;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.ServerFleet;
import io.wshunt.runner.process.ServerLaunch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code ci/probe.sh}: this machine's ceiling against one server process, measured alone. */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures one server process at its limit with a pipelined client (fire, ack, broadcast) and prints",
                "what it handled per second and per second of its own CPU. Starts a server unless --target is given;",
                "a server of another stack with --profile (its protocol) and, without --stats, counted at this client."})
public final class ProbeCommand implements Callable<Integer> {
    @Option(names = "--target", description = "ws://host:port of a running server (default: start one)")
    URI target;
    @Option(names = "--stats", description = "its /stats URL (with --target; without it, what arrives is counted here and the server's CPU is not known)")
    URI stats;
    @Option(names = "--profile", description = "the target's protocol: a built-in profile's name or a profile file (default: wshunt's own)")
    String profile;
    @Option(names = "--server-classpath", defaultValue = "server/target/wshunt-server.jar",
            description = "classpath of the server to start (default ${DEFAULT-VALUE})")
    String serverClasspath;
    @Option(names = "--server-args", defaultValue = "", description = "extra flags of the server to start")
    String serverArgs;
    @Option(names = "--server-jvm-args", defaultValue = ServerCommand.DEFAULT_JVM_ARGS, description = "JVM flags of the server to start (default ${DEFAULT-VALUE})")
    String serverJvmArgs;
    @Option(names = "--server-cpus", defaultValue = "", description = "taskset CPU list for the server (e.g. 1; default: any)")
    String serverCpus;
    @Option(names = "--connections", defaultValue = "200", converter = Numbers.class, description = "connections (default ${DEFAULT-VALUE})")
    int connections;
    @Option(names = "--depth", defaultValue = "16", converter = Numbers.class, description = "frames in flight per connection (default ${DEFAULT-VALUE})")
    int depth;
    @Option(names = "--warmup-ms", defaultValue = "1000", converter = Numbers.class, description = "warm-up before each window (default ${DEFAULT-VALUE})")
    int warmupMillis;
    @Option(names = "--window-ms", defaultValue = "2000", converter = Numbers.class, description = "measured window per phase (default ${DEFAULT-VALUE})")
    int windowMillis;
    @Option(names = "--windows", defaultValue = "1", converter = Numbers.class, description = "windows per phase; the median counts (default ${DEFAULT-VALUE})")
    int windows;
    @Option(names = "--phases", defaultValue = "fire,ack,broadcast,connect", split = ",", description = "which phases (default ${DEFAULT-VALUE})")
    List<String> phases;
    @Option(names = "--repeat", defaultValue = "1", converter = Numbers.class, description = "measure the phases this many times (default ${DEFAULT-VALUE})")
    int repeat;
    @Option(names = "--idle-connections", converter = Numbers.class,
            description = "instead of the phases: the server's live heap and resident memory per idle connection, over this many")
    Integer idleConnections;
    @Option(names = "--json", description = "write the figures to this file")
    Path json;
    @Option(names = "--out", defaultValue = "runs/probe", description = "where the server's log goes (default ${DEFAULT-VALUE})")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProbeCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            CapacityProbe.requireKnown(phases);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        CapacityProbe.Settings settings = new CapacityProbe.Settings(connections, depth, Duration.ofMillis(warmupMillis),
                Duration.ofMillis(windowMillis), windows, Duration.ofSeconds(10));
        List<Map<String, Object>> rounds = new ArrayList<>();
        boolean clean = true;
        try (ChildProcesses children = new ChildProcesses()) {
            if (profile != null && target == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--profile speaks to a server you started: give its --target");
            }
            if (idleConnections != null) {
                if (target != null) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--idle-connections measures a server the probe starts itself");
                }
                for (int round = 1; round <= repeat; round++) {
                    ServerFleet server = startServer(children);
                    try {
                        System.out.println(IdleMemory.measure(server.servers().get(0), server.webSocketUri(), idleConnections).line());
                    } finally {
                        server.stop(children);
                    }
                }
                return 0;
            }
            ProbeProtocol protocol = profile == null ? ProbeProtocol.WSHUNT : ProbeProtocol.of(loadProfile());
            CapacityProbe started = target != null ? new CapacityProbe(target, stats, protocol, settings)
                    : CapacityProbe.of(startServer(children), settings);
            try (CapacityProbe probe = started) {
                List<String> measurable = new ArrayList<>();
                for (String phase : phases) {
                    Optional<String> why = probe.cannotMeasure(phase);
                    // Not measured is a failure with its reason, never a quiet gap.
                    why.ifPresent(reason -> System.out.printf("%s: not measured: %s%n", phase, reason));
                    if (why.isEmpty()) measurable.add(phase);
                }
                clean = measurable.size() == phases.size();
                if (measurable.isEmpty()) return 1;
                probe.connect();
                System.out.println("counted at " + probe.countedAt());
                System.out.println(ProbeFigures.HEADER);
                for (int round = 1; round <= repeat; round++) {
                    List<CapacityProbe.Phase> measured = probe.run(measurable);
                    measured.forEach(phase -> System.out.println(ProbeFigures.line(phase)));
                    clean &= measured.stream().allMatch(phase -> phase.clean() && phase.measured());
                    rounds.add(ProbeFigures.toMap(measured));
                }
            }
        }
        if (json != null) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("rounds", rounds);
            Files.createDirectories(json.toAbsolutePath().getParent());
            Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), document);
        }
        return clean ? 0 : 1;
    }

    private Profile loadProfile() {
        try {
            return Profile.load(profile);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
    }

    /** The one server process this command measures, as its options describe it. */
    private ServerFleet startServer(ChildProcesses children) throws Exception {
        return ServerFleet.start(children, new ServerLaunch(serverClasspath, serverJvmArgs, serverArgs, serverCpus), 1, null, out.toAbsolutePath());
    }
}
