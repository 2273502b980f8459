package io.wshunt.contract;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How the runner and the simulations start a JVM of their own: this JDK's launcher and the flags a JVM that holds sockets needs on this OS. */
public final class JavaCommand {
    private JavaCommand() {
    }

    /** A tool of the JDK this JVM runs on, such as {@code java} or {@code jcmd}. */
    public static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** On macOS, JDK 17 builds before 17.0.13 cap a JVM at 10,240 open files unless started with -XX:-MaxFDLimit. */
    public static List<String> launcher() {
        List<String> command = new ArrayList<>(List.of(tool("java")));
        if (System.getProperty("os.name", "").startsWith("Mac")) {
            command.add("-XX:-MaxFDLimit");
        }
        return command;
    }

    /** Flags written as one line, split on white space; none for a blank line. */
    public static List<String> words(String line) {
        return line == null || line.isBlank() ? List.of() : Arrays.asList(line.trim().split("\\s+"));
    }
}
