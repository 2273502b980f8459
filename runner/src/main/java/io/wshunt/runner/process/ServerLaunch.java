package io.wshunt.runner.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How to start one server process: its classpath (this build's or another's), JVM flags, server
 * flags, and the CPUs it may run on ({@code taskset -c}; empty: any).
 */
public record ServerLaunch(String classpath, String jvmArgs, String serverArgs, String cpus) {
    /**
     * A young generation capped at 96 MB: the parallel collector otherwise grows it under a burst
     * of connects and keeps its pages, which more than doubles the resident memory per idle
     * connection, for a few percent more CPU per ack and per delivery (results/MEASUREMENTS.md).
     */
    public static final String DEFAULT_JVM_ARGS = "-Xms256m -Xmx1g -XX:+UseParallelGC -XX:MaxNewSize=96m";

    public ServerLaunch withServerArgs(String more) {
        return new ServerLaunch(classpath, jvmArgs, (serverArgs + " " + more).trim(), cpus);
    }

    /** The command line, ending with the server flags; the caller adds ports and the like. */
    List<String> command() {
        List<String> command = new ArrayList<>();
        if (!cpus.isBlank()) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(Java.command());
        command.addAll(words(jvmArgs));
        command.addAll(List.of("-cp", classpath, "io.wshunt.server.Main"));
        command.addAll(words(serverArgs));
        return command;
    }

    private static List<String> words(String line) {
        return line.isBlank() ? List.of() : Arrays.asList(line.trim().split("\\s+"));
    }
}
