package io.wshunt.preflight;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short command with a bound on its time: its output is read on a thread of its own, so
 * that the wait can end while the command still writes, and a command past its time is killed
 * with everything it started.
 */
public final class Shell {
    /** A finished (or killed) command: its exit code (-1 when killed), what it printed, and whether it ran out of time. */
    public record Result(int exit, String output, boolean timedOut) {
        public boolean ok() {
            return !timedOut && exit == 0;
        }
    }

    private Shell() {
    }

    /** The standard output of one shell command line, or null when it fails or takes longer than 10 s. */
    public static String output(String commandLine) {
        try {
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", commandLine).redirectError(ProcessBuilder.Redirect.DISCARD);
            Result result = bounded(builder.start(), Duration.ofSeconds(10));
            return result.ok() ? result.output() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs {@code command} with these environment variables added, standard error merged into its output. */
    public static Result run(List<String> command, Map<String, String> environment, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return bounded(builder.start(), timeout);
    }

    private static Result bounded(Process process, Duration timeout) {
        FutureTask<byte[]> reading = new FutureTask<>(() -> readAll(process.getInputStream()));
        Thread reader = new Thread(reading, "output of pid " + process.pid());
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output;
        try {
            // A child that outlived the command may hold the pipe: what arrived by then is all there is.
            output = new String(reading.get(finished ? 5 : 1, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            output = "";
        } catch (ExecutionException | TimeoutException e) {
            output = "";
        }
        return new Result(finished ? process.exitValue() : -1, output, !finished);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
