package io.wshunt.simulations;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.JavaCommand;
import io.wshunt.contract.Json;
import io.wshunt.contract.Profile;
import io.wshunt.contract.ServerCommand;

/**
 * The server a simulation drives: the one named by {@code -Dtarget=ws://host:port}, or else a
 * chat server started here as a separate JVM from this classpath, stopped after the run and by a
 * shutdown hook when the run fails, so that no server outlives its run.
 */
final class TargetServer {
    private static final Pattern LISTENING = Pattern.compile("listening on (ws://\\S+?)/ws/\\{user_id}; stats at (http://\\S+?)/stats");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String webSocketBase;
    private final Optional<URI> statsUri;
    /** What the server speaks, and where its counters are. */
    private final Profile profile;
    private final Process process;
    private final Thread stopHook;

    private TargetServer(String webSocketBase, Optional<URI> statsUri, Profile profile, Process process) {
        this.webSocketBase = webSocketBase;
        this.statsUri = statsUri;
        this.profile = profile;
        this.process = process;
        this.stopHook = process == null ? null : new Thread(this::stopProcess, "stop-embedded-server");
        if (stopHook != null) {
            Runtime.getRuntime().addShutdownHook(stopHook);
        }
    }

    static TargetServer resolve(Settings settings, String simulation, Profile profile) {
        if (!settings.target().isEmpty()) {
            Optional<URI> stats = settings.statsUrl().isEmpty() ? Optional.empty() : Optional.of(URI.create(settings.statsUrl()));
            return new TargetServer(settings.target(), stats, profile, null);
        }
        return start(settings, simulation, profile);
    }

    /** ws://host:port, the base that Gatling's {@code wsBaseUrl} takes. */
    String webSocketBase() {
        return webSocketBase;
    }

    /** The {@code /stats} of the server, when it is known (always for an embedded server). */
    Optional<URI> statsUri() {
        return statsUri;
    }

    /** The server's counters in wshunt's names (its profile maps another server's own), when it has a /stats. */
    Optional<JsonNode> fetchStats() {
        return statsUri.flatMap(Json::get).map(profile::counters);
    }

    void stop() {
        if (process != null) {
            stopProcess();
            try {
                Runtime.getRuntime().removeShutdownHook(stopHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook runs anyway.
            }
        }
    }

    private static TargetServer start(Settings settings, String simulation, Profile profile) {
        Path log = Path.of(settings.countersDir(), simulation + "-server.log");
        List<String> serverArgs = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--admin-port", "0", "--node-id", "embedded"));
        serverArgs.addAll(JavaCommand.words(settings.serverArgs()));
        List<String> command = ServerCommand.of(settings.serverJvmArgs(), System.getProperty("java.class.path"), serverArgs);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            TargetServer server = awaitListening(process, log, profile);
            System.out.println("Started the chat server for this run (pid " + process.pid() + ", log " + log + "): " + server.webSocketBase);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded chat server: " + e.getMessage(), e);
        }
    }

    private static TargetServer awaitListening(Process process, Path log, Profile profile) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = LISTENING.matcher(Files.readString(log));
            if (matcher.find()) {
                return new TargetServer(matcher.group(1), Optional.of(URI.create(matcher.group(2) + "/stats")), profile, process);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The embedded chat server exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("The embedded chat server did not start within " + START_TIMEOUT + "; see " + log);
    }

    /** SIGTERM first, so the server closes its sessions with 1001 and prints its counters. */
    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server", e);
        }
    }
}
