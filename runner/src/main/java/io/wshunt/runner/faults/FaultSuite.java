package io.wshunt.runner.faults;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wshunt.contract.JavaCommand;
import io.wshunt.contract.ServerCommand;
import io.wshunt.preflight.Shell;
import io.wshunt.runner.probe.CapacityProbe;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.ServerFleet;
import io.wshunt.runner.process.ServerLaunch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ci/faults.sh}: each fault against a small real run or a real server, and for each what
 * the run said, whether it named the fault, whether anything was lost without a word, and whether
 * any process was left running. Fails unless every fault is named, nothing is lost silently and
 * nothing is left.
 */
@Command(name = "faults", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Injects each fault into a small real run (or against a real server) and checks that it is named, that nothing is",
                "lost silently and that no process is left. Last line: faults: N of N named, 0 lost silently, 0 processes left."})
public final class FaultSuite implements Callable<Integer> {
    @Option(names = "--users", defaultValue = "300", description = "users of each small run (default ${DEFAULT-VALUE})")
    int users;
    @Option(names = "--only", split = ",", description = "run only these faults (names as in the table)")
    List<String> only;
    @Option(names = "--server-classpath", defaultValue = "server/target/wshunt-server.jar", description = "the server (default ${DEFAULT-VALUE})")
    String serverClasspath;
    @Option(names = "--out", defaultValue = "runs/faults", description = "where each fault's run goes (default ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--classpath", hidden = true, defaultValue = "${sys:java.class.path}", description = "the injectors' classpath (default: this JVM's, which holds the simulations)")
    String injectorClasspath;

    private static final Duration RUN_LIMIT = Duration.ofMinutes(4);
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final String SERVER_MAIN = "io.wshunt.server.Main";
    /** Every injector, the runner's too, starts as this class (see InjectorMain). */
    private static final String INJECTOR_MAIN = "io.wshunt.runner.InjectorMain";
    /** Simulation settings that keep a small run sending for a quarter of a minute or so, time to inject a fault mid-send. */
    private static final List<String> LONGER_SENDING = List.of("-Dmode=ack", "-DmessagesPerUser=300", "-DchatMessagesPerSender=40");

    /** One fault's row: what was done, what was said, and the three checks. */
    record Row(String fault, String injected, String reported, boolean named, boolean lostSilently, List<String> left, long seconds) {
        boolean ok() {
            return named && !lostSilently && left.isEmpty();
        }
    }

    /** What a fault observed, before the check for leftovers. */
    private record Seen(String reported, boolean named, boolean lostSilently) {
    }

    private interface Scenario {
        Seen run(String mark, Path dir) throws Exception;
    }

    private final String runnerClasspath = System.getProperty("java.class.path");
    private Path control;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FaultSuite()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        out = out.toAbsolutePath();
        control = controlRun();
        List<Row> rows = new ArrayList<>();
        fault(rows, "server-kill", "kill -9 of the server mid-send", (mark, dir) -> suiteFault(mark, dir, "MessageThroughput", List.of(),
                run -> signal(run.child(SERVER_MAIN), "KILL"), (run, exit, text) -> exit != 0 && text.contains("died at")));
        fault(rows, "server-stop", "SIGSTOP of the server (a hang, not a death)", (mark, dir) -> suiteFault(mark, dir, "MessageThroughput", List.of(),
                run -> signal(run.child(SERVER_MAIN), "STOP"), (run, exit, text) -> exit != 0 && (text.contains("not answering") || text.contains("did not answer"))));
        fault(rows, "redis-kill", "kill -9 of Redis mid-chat (2 servers)", (mark, dir) -> suiteFault(mark, dir, "ChatBroadcast", List.of("--servers", "2"),
                run -> signal(run.child("redis-server"), "KILL"), (run, exit, text) -> exit != 0 && text.contains("Redis at")));
        fault(rows, "injector-kill", "kill -9 of one of 2 injectors", (mark, dir) -> suiteFault(mark, dir, "MessageThroughput", List.of("--injectors", "2"),
                run -> signal(run.child(INJECTOR_MAIN), "KILL"), (run, exit, text) -> exit != 0 && text.contains("injector-")
                        && (text.contains("exited with") || text.contains("wrote no accounting"))));
        fault(rows, "runner-interrupt", "Ctrl-C (SIGINT) of the runner", (mark, dir) -> suiteFault(mark, dir, "MessageThroughput", List.of(),
                run -> interrupt(run), (run, exit, text) -> exit != 0 && text.contains("still running (Ctrl-C, SIGTERM): stopping them")));
        fault(rows, "runner-kill", "kill -9 of the runner", (mark, dir) -> suiteFault(mark, dir, "MessageThroughput", List.of(),
                run -> signal(Optional.of(run.process().toHandle()), "KILL"),
                (run, exit, text) -> Leftovers.reap(mark, GRACE).isEmpty()));  // named: each child's watchdog stopped it
        fault(rows, "slow-consumer", "a user that upgrades and never reads, during a broadcast to 200", this::slowConsumer);
        fault(rows, "chat-flood", "a user sending 20,000 chat messages as fast as it can, beside 200 acked users", this::flood);
        fault(rows, "slowloris", "10,000 sockets that never finish their upgrade request, beside 200 acked users", this::slowloris);
        fault(rows, "log-corrupt", "64 bytes overwritten in the middle of a simulation.log", (mark, dir) -> brokenLog(dir, true));
        fault(rows, "log-truncated", "the last 37 bytes of a simulation.log cut off", (mark, dir) -> brokenLog(dir, false));
        fault(rows, "baseline-missing", "a baseline figure without its value", (mark, dir) -> baselineWithoutValue(dir));
        return report(rows, Duration.ofNanos(System.nanoTime() - started));
    }

    private void fault(List<Row> rows, String name, String injected, Scenario scenario) throws InterruptedException {
        if (only != null && !only.contains(name)) return;
        String mark = name + "-" + ProcessHandle.current().pid();
        long started = System.nanoTime();
        System.out.printf("%n== %s: %s%n", name, injected);
        Seen seen;
        try {
            seen = scenario.run(mark, out.resolve(name));
        } catch (Exception e) {
            seen = new Seen("the fault could not be run: " + e, false, false);
        }
        List<String> left = Leftovers.reap(mark, GRACE);
        Row row = new Row(name, injected, seen.reported(), seen.named(), seen.lostSilently(), left, (System.nanoTime() - started) / 1_000_000_000);
        System.out.printf("-> %s | named %s | lost silently %s | left %s | %d s%n", row.reported(), row.named(), row.lostSilently(),
                left.isEmpty() ? "none" : left, row.seconds());
        rows.add(row);
    }

    private interface Action {
        void at(SuiteRun run) throws Exception;
    }

    private interface Check {
        boolean named(SuiteRun run, int exit, String output) throws Exception;
    }

    /** A small run of one simulation; once its users are sending, the fault; then what the run said. */
    private Seen suiteFault(String mark, Path dir, String simulation, List<String> extra, Action action, Check check) throws Exception {
        List<String> args = new ArrayList<>(List.of("--simulations", simulation, "--users", String.valueOf(users)));
        args.addAll(LONGER_SENDING);
        args.addAll(extra);
        SuiteRun run = SuiteRun.start(runnerClasspath, injectorClasspath, mark, dir, args);
        // Mid-send: a progress line with messages or deliveries moving.
        java.util.regex.Pattern sending = java.util.regex.Pattern.compile("\\[" + simulation + " [0-9:]+\\] connected .*(benchmark|deliveries) [1-9]");
        boolean reached = false;
        int exit;
        try {
            reached = run.awaitOutput(sending, Duration.ofMinutes(2));
            if (reached) action.at(run);
        } finally {
            exit = run.finish(reached ? RUN_LIMIT : Duration.ofSeconds(5));
        }
        if (!reached) {
            return new Seen("the run never reached its load (exit " + exit + "): see " + dir.resolve("run.log"), false, false);
        }
        String text = run.output();
        boolean named = check.named(run, exit, text);
        return new Seen("exit " + exit + "; " + problems(run, text), named, exit == 0);
    }

    /** The run's problems from its summary, else the last lines it printed. */
    private static String problems(SuiteRun run, String text) {
        Optional<JsonNode> summary = run.summary();
        List<String> found = new ArrayList<>();
        summary.ifPresent(node -> node.path("simulations").forEach(simulation -> simulation.path("problems").forEach(problem -> found.add(problem.asText()))));
        if (!found.isEmpty()) return String.join("; ", found);
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        return "no summary; last line: " + (lines.isEmpty() ? "(none)" : lines.get(lines.size() - 1));
    }

    /**
     * Ctrl-C of the runner. A process started in the background of a non-interactive shell has
     * SIGINT ignored, its children too, and a JVM that starts so never sees it: then the fault
     * cannot be run, and says so rather than reading as a runner that shrugged Ctrl-C off.
     */
    private static void interrupt(SuiteRun run) throws Exception {
        if (sigintIgnored()) {
            throw new IllegalStateException("SIGINT is ignored by this process and so by the runner it started (ci/faults.sh was started "
                    + "in the background of a non-interactive shell): run it from a terminal, or a shell with job control (set -m)");
        }
        signal(Optional.of(run.process().toHandle()), "INT");
    }

    /** SIGINT (signal 2) in a /proc signal mask, where signal n is bit n - 1. */
    private static final long SIGINT_BIT = 1L << 1;

    /** Whether this process ignores SIGINT (the SigIgn mask of /proc/self/status). */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & SIGINT_BIT) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    private static void signal(Optional<ProcessHandle> target, String signal) throws Exception {
        ProcessHandle handle = target.orElseThrow(() -> new IllegalStateException("no process to send SIG" + signal + " to"));
        Shell.Result sent = Shell.run(List.of("kill", "-" + signal, String.valueOf(handle.pid())), Map.of(), Duration.ofSeconds(5));
        if (!sent.ok()) {
            throw new IllegalStateException("kill -" + signal + " " + handle.pid() + " failed: " + sent.output().trim());
        }
    }

    /** The control: the same small run without a fault passes, and its log and summary feed the file faults. */
    private Path controlRun() throws Exception {
        Path dir = out.resolve("control");
        String mark = "control-" + ProcessHandle.current().pid();
        System.out.printf("== control: %,d users, MessageThroughput, no fault%n", users);
        SuiteRun run = SuiteRun.start(runnerClasspath, injectorClasspath, mark, dir, List.of("--simulations", "MessageThroughput", "--users", String.valueOf(users)));
        int exit = run.finish(RUN_LIMIT);
        List<String> left = Leftovers.reap(mark, GRACE);
        if (exit != 0 || !left.isEmpty()) {
            throw new IllegalStateException("the control run without a fault did not pass (exit " + exit + ", left " + left + "): see " + dir.resolve("run.log"));
        }
        return dir;
    }

    private interface OnServer {
        Seen run(ServerFleet server) throws Exception;
    }

    /** A fault against a server of its own, started with its defaults and stopped however the fault ends. */
    private Seen onServer(Path dir, OnServer fault) throws Exception {
        try (ChildProcesses children = new ChildProcesses()) {
            ServerFleet server = ServerFleet.start(children, new ServerLaunch(serverClasspath, ServerCommand.DEFAULT_JVM_ARGS, "", ""), 1, null, dir);
            try {
                return fault.run(server);
            } finally {
                server.stop(children);
            }
        }
    }

    private Seen slowConsumer(String mark, Path dir) throws Exception {
        return onServer(dir, server -> {
            try (RawSocket slow = RawSocket.upgraded(server.webSocketUri(), "never-reads", 4_096);
                 CapacityProbe probe = probe(server)) {
                probe.connect();
                // Broadcast passes until the reader's queue overflows (its socket buffers fill first), ten at most.
                long sent = 0;
                long arrived = 0;
                boolean clean = true;
                long dropped = 0;
                int passes = 0;
                while (dropped == 0 && passes < 10) {
                    CapacityProbe.Phase broadcast = probe.broadcast();
                    sent += broadcast.sent();
                    arrived += broadcast.arrived();
                    clean &= broadcast.clean();
                    dropped = stats(server).path("deliveries_dropped").asLong();
                    passes++;
                }
                return new Seen(String.format("after %d broadcast pass(es), the 200 readers: %,d sent, %,d arrived; the server dropped %,d deliveries "
                        + "to the one that never reads and counted them", passes, sent, arrived, dropped), dropped > 0, !clean);
            }
        });
    }

    private Seen flood(String mark, Path dir) throws Exception {
        int messages = 20_000;
        return onServer(dir, server -> {
            try (CapacityProbe probe = probe(server); RawSocket flooder = RawSocket.upgraded(server.webSocketUri(), "flooder", 4_096)) {
                probe.connect();
                JsonNode before = stats(server);
                Thread flooding = new Thread(() -> {
                    try {
                        for (int i = 0; i < messages; i++) {
                            flooder.sendText("{\"type\":\"chat_message\",\"content\":\"flood " + i + "\"}");
                        }
                    } catch (IOException e) {
                        System.out.println("the flooder stopped: " + e.getMessage());
                    }
                }, "flooder");
                flooding.start();
                CapacityProbe.Phase ack = probe.ack();
                flooding.join(Duration.ofSeconds(60).toMillis());
                JsonNode after = settled(server);
                long chats = after.path("chat_messages").asLong() - before.path("chat_messages").asLong();
                long made = after.path("deliveries").asLong() - before.path("deliveries").asLong();
                long dropped = after.path("deliveries_dropped").asLong() - before.path("deliveries_dropped").asLong();
                long recipients = after.path("connections").asLong();
                boolean accounted = chats == messages && made + dropped == chats * recipients;
                return new Seen(String.format("server counted %,d of %,d chat messages; %,d deliveries made + %,d dropped and counted = %,d of %,d; "
                                + "acked users meanwhile: %,d sent, %,d arrived, p99 %.0f ms", chats, messages, made, dropped, made + dropped, chats * recipients,
                        ack.sent(), ack.arrived(), ack.p99Millis()), accounted, !accounted || !ack.clean());
            }
        });
    }

    private Seen slowloris(String mark, Path dir) throws Exception {
        int sockets = 10_000;
        List<RawSocket> open = new ArrayList<>();
        return onServer(dir, server -> {
            try (CapacityProbe probe = probe(server)) {
                URI uri = server.webSocketUri();
                for (int i = 0; i < sockets; i++) {
                    open.add(RawSocket.halfRequest(uri));
                }
                probe.connect();
                CapacityProbe.Phase ack = probe.ack();
                JsonNode stats = stats(server);
                Optional<String> named = io.wshunt.runner.SuiteRunner.socketsNeverUpgraded(stats);
                return new Seen(String.format("server: %,d open sockets, %,d WebSocket connections; named: %s; acked users meanwhile: %,d sent, %,d arrived",
                        stats.path("open_sockets").asLong(), stats.path("connections").asLong(), named.orElse("no"), ack.sent(), ack.arrived()),
                        named.isPresent(), !ack.clean());
            } finally {
                open.forEach(RawSocket::close);
            }
        });
    }

    /** Merging a damaged copy of the control run's simulation.log: the merge must fail and name the file. */
    private Seen brokenLog(Path dir, boolean corrupt) throws Exception {
        Path original;
        try (Stream<Path> files = Files.walk(control)) {
            original = files.filter(path -> path.getFileName().toString().equals("simulation.log")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the control run left no simulation.log"));
        }
        byte[] bytes = Files.readAllBytes(original);
        Files.createDirectories(dir);
        Path damaged = dir.resolve(corrupt ? "corrupt-simulation.log" : "truncated-simulation.log");
        if (corrupt) {
            for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) bytes[i] = (byte) 0xFF;
            Files.write(damaged, bytes);
        } else {
            Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length - 37));
        }
        Result merged = java(dir.resolve("merge.log"), runnerClasspath + java.io.File.pathSeparator + injectorClasspath, "io.wshunt.runner.MergeCommand",
                "--out", dir.resolve("report").toString(), damaged.toString());
        boolean named = merged.exit() != 0 && merged.output().contains(damaged.getFileName().toString());
        String said = merged.output().lines().filter(line -> line.contains(damaged.getFileName().toString())).findFirst().orElse(lastLine(merged.output()));
        return new Seen("exit " + merged.exit() + "; " + said.trim(), named, merged.exit() == 0);
    }

    /** A baseline made from the control run, then one figure's value taken out: the comparison must fail and name it. */
    private Seen baselineWithoutValue(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path baseline = dir.resolve("baseline.json");
        Files.deleteIfExists(baseline); // update-baseline keeps what an earlier file held
        Path summary = control.resolve("summary.json");
        Result made = java(dir.resolve("update.log"), runnerClasspath, "io.wshunt.runner.gate.Gate", "update-baseline", "--summary", summary.toString(),
                "--baseline", baseline.toString());
        if (made.exit() != 0) {
            return new Seen("could not make a baseline from the control run: " + lastLine(made.output()), false, false);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode profile = (ObjectNode) json.readTree(baseline.toFile());
        String simulation = profile.path("metrics").fieldNames().next();
        ObjectNode metrics = (ObjectNode) profile.path("metrics").path(simulation);
        String metric = metrics.fieldNames().next();
        ((ObjectNode) metrics.path(metric)).remove("value");
        json.writerWithDefaultPrettyPrinter().writeValue(baseline.toFile(), profile);
        Result compared = java(dir.resolve("compare.log"), runnerClasspath, "io.wshunt.runner.gate.Gate", "compare", "--summary", summary.toString(),
                "--baseline", baseline.toString());
        boolean named = compared.exit() != 0 && compared.output().contains(metric);
        return new Seen("without " + simulation + "." + metric + ": exit " + compared.exit() + "; " + lastLine(compared.output()), named, compared.exit() == 0);
    }

    private record Result(int exit, String output) {
    }

    private static Result java(Path log, String classpath, String main, String... args) throws Exception {
        List<String> command = new ArrayList<>(JavaCommand.launcher());
        command.addAll(List.of("-cp", classpath, main));
        command.addAll(List.of(args));
        try (ChildProcesses children = new ChildProcesses()) {
            int exit = children.run(command, log, Duration.ofMinutes(2));
            return new Result(exit, Files.readString(log));
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).trim();
    }

    private static CapacityProbe probe(ServerFleet server) {
        return CapacityProbe.of(server, new CapacityProbe.Settings(200, 16, Duration.ofMillis(500), Duration.ofSeconds(2), 1, Duration.ofSeconds(10)));
    }

    private static JsonNode stats(ServerFleet server) {
        return server.stats().get(0).orElseThrow(() -> new IllegalStateException("the server did not answer /stats"));
    }

    /** /stats once deliveries have stopped moving (queues drained or dropped), within 20 s. */
    private static JsonNode settled(ServerFleet server) throws InterruptedException {
        JsonNode last = stats(server);
        for (int i = 0; i < 40; i++) {
            Thread.sleep(500);
            JsonNode now = stats(server);
            long moved = now.path("deliveries").asLong() + now.path("deliveries_dropped").asLong()
                    - last.path("deliveries").asLong() - last.path("deliveries_dropped").asLong();
            last = now;
            if (moved == 0) break;
        }
        return last;
    }

    private int report(List<Row> rows, Duration took) throws IOException {
        StringBuilder table = new StringBuilder("| fault | injected | what was reported | named | lost silently | left running | s |\n|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            table.append(String.format("| %s | %s | %s | %s | %s | %s | %d |%n", row.fault(), row.injected(), row.reported().replace("|", "/"),
                    row.named() ? "yes" : "**no**", row.lostSilently() ? "**yes**" : "no", row.left().isEmpty() ? "none" : "**" + row.left() + "**", row.seconds()));
        }
        long named = rows.stream().filter(Row::named).count();
        long lost = rows.stream().filter(Row::lostSilently).count();
        long left = rows.stream().mapToLong(row -> row.left().size()).sum();
        String last = String.format("faults: %d of %d named, %d lost silently, %d processes left", named, rows.size(), lost, left);
        Files.createDirectories(out);
        Files.writeString(out.resolve("faults.md"), table + "\nIn " + took.toSeconds() + " s.\n\n" + last + "\n");
        System.out.printf("%n%s%nIn %d s; table in %s%n%s%n", table, took.toSeconds(), out.resolve("faults.md"), last);
        return rows.stream().allMatch(Row::ok) && !rows.isEmpty() ? 0 : 1;
    }
}
