package io.wshunt.runner.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The java launcher of the JVM the runner itself runs on, for the processes it starts. */
public final class Java {
    private Java() {
    }

    public static String executable() {
        return tool("java");
    }

    /** A tool of the JDK the runner runs on, such as {@code jcmd}. */
    public static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /**
     * The launcher and the flags every JVM that holds sockets needs on this OS: on macOS, JDK 17
     * builds before 17.0.13 cap a JVM at 10,240 open files unless started with -XX:-MaxFDLimit.
     */
    public static List<String> command() {
        List<String> command = new ArrayList<>(List.of(executable()));
        if (System.getProperty("os.name", "").startsWith("Mac")) {
            command.add("-XX:-MaxFDLimit");
        }
        return command;
    }
}
