package io.wshunt.runner.process;

import java.util.ArrayList;
import java.util.List;

import io.wshunt.contract.JavaCommand;
import io.wshunt.contract.ServerCommand;

/**
 * How to start one server process: its classpath (this build's or another's), JVM flags, server
 * flags, and the CPUs it may run on ({@code taskset -c}; empty: any).
 */
public record ServerLaunch(String classpath, String jvmArgs, String serverArgs, String cpus) {
    public ServerLaunch withServerArgs(String more) {
        return new ServerLaunch(classpath, jvmArgs, (serverArgs + " " + more).trim(), cpus);
    }

    /** The command line, ending with the server flags; the caller adds ports and the like. */
    List<String> command() {
        List<String> command = new ArrayList<>();
        if (!cpus.isBlank()) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(ServerCommand.of(jvmArgs, classpath, JavaCommand.words(serverArgs)));
        return command;
    }
}
