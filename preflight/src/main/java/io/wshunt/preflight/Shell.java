package io.wshunt.preflight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs one short shell command line and returns what it printed. */
public final class Shell {
    private Shell() {
    }

    /** The command's standard output, or null when it fails or takes longer than 10 s. */
    public static String output(String commandLine) {
        try {
            Process process = new ProcessBuilder("sh", "-c", commandLine).redirectErrorStream(false).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
