package io.wshunt.runner.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wshunt.contract.JavaCommand;

/**
 * One small suite run, {@code ci/run-suite.sh}'s runner started as a child exactly as a user
 * starts it, with a mark in its environment that every process it starts inherits: what is still
 * running with that mark afterwards was left behind.
 */
final class SuiteRun {
    static final String MARK = "WSHUNT_FAULT_MARK";

    private final Process process;
    private final Path dir;
    private final Path log;

    private SuiteRun(Process process, Path dir, Path log) {
        this.process = process;
        this.dir = dir;
        this.log = log;
    }

    static SuiteRun start(String runnerClasspath, String injectorClasspath, String mark, Path dir, List<String> args) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(JavaCommand.launcher());
        command.addAll(List.of("-cp", runnerClasspath, "io.wshunt.runner.SuiteRunner", "--classpath", injectorClasspath,
                "--out", dir.toString(), "--no-ceiling", "--timeout-minutes", "3"));
        command.addAll(args);
        Path log = dir.resolve("run.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put(MARK, mark);
        return new SuiteRun(builder.start(), dir, log);
    }

    Process process() {
        return process;
    }

    /** Waits until the run's output has a match of {@code pattern}; false when the run ended or the time ran out first. */
    boolean awaitOutput(java.util.regex.Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (pattern.matcher(output()).find()) return true;
            if (!process.isAlive()) return false;
            Thread.sleep(200);
        }
        return false;
    }

    /** The first process the run started whose command line holds {@code part}, such as the server's main class or redis-server. */
    Optional<ProcessHandle> child(String part) {
        return process.descendants().filter(handle -> commandLine(handle).contains(part)).findFirst();
    }

    /** From /proc: the JDK's own answer is empty for a command line as long as an injector's classpath. */
    private static String commandLine(ProcessHandle handle) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(handle.pid()), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** The run's exit code, or -1 when it did not end in time and was killed. */
    int finish(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return -1;
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    Optional<JsonNode> summary() {
        Path summary = dir.resolve("summary.json");
        try {
            return Files.exists(summary) ? Optional.of(new ObjectMapper().readTree(summary.toFile())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Path dir() {
        return dir;
    }
}
