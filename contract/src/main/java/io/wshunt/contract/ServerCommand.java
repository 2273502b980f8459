package io.wshunt.contract;

import java.util.ArrayList;
import java.util.List;

/** How a chat server process is started, by the runner, the gate and the simulations alike. */
public final class ServerCommand {
    /**
     * A young generation capped at 96 MB: the parallel collector otherwise grows it under a burst
     * of connects and keeps its pages, which more than doubles the resident memory per idle
     * connection, for a few percent more CPU per ack and per delivery (results/MEASUREMENTS.md).
     * Metaspace sized so that loading the server's classes sets off no full collection: one came
     * in the middle of a ramp of 50,000 users and stopped that server for 0.8-1.3 s.
     */
    public static final String DEFAULT_JVM_ARGS = "-Xms256m -Xmx1g -XX:+UseParallelGC -XX:MaxNewSize=96m -XX:MetaspaceSize=64m";
    public static final String MAIN_CLASS = "io.wshunt.server.Main";

    private ServerCommand() {
    }

    /** Prints the default JVM flags, for the scripts that start a server themselves. */
    public static void main(String[] args) {
        System.out.println(DEFAULT_JVM_ARGS);
    }

    /** The launcher, the JVM flags (one line), the classpath and the server's own flags. */
    public static List<String> of(String jvmArgs, String classpath, List<String> serverArgs) {
        List<String> command = new ArrayList<>(JavaCommand.launcher());
        command.addAll(JavaCommand.words(jvmArgs));
        command.addAll(List.of("-cp", classpath, MAIN_CLASS));
        command.addAll(serverArgs);
        return command;
    }
}
