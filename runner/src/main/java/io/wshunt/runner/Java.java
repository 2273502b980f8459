package io.wshunt.runner;

import java.nio.file.Path;

/** The java launcher of the JVM the runner itself runs on, for the processes it starts. */
final class Java {
    private Java() {
    }

    static String executable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
