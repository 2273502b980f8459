package io.wshunt.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Where the injectors of one run wait for each other before the timed simulation, in a folder they
 * share: JVMs that start a few seconds apart, and warm up for 30-70 s each, would otherwise time
 * their load while others still warm up, and together offer less than was asked at the start and
 * the end (four injectors ramping 50,000 users began 9.3 s apart, and the first seconds offered a
 * quarter of the rate). Bounded: an injector that never comes is waited for {@code within}, then
 * the others go and say so.
 */
final class StartLine {
    private static final Duration LOOK_EVERY = Duration.ofMillis(100);

    private final Path dir;
    private final int injectors;

    StartLine(Path dir, int injectors) {
        this.dir = dir;
        this.injectors = injectors;
    }

    /** Marks injector {@code index} (from 0) as ready and waits for the others; how many were ready when it went. */
    int arriveAndAwait(int index, Duration within) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("ready-" + (index + 1)), "ready\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark injector " + (index + 1) + " ready in " + dir, e);
        }
        long deadline = System.nanoTime() + within.toNanos();
        int ready = ready();
        while (ready < injectors && System.nanoTime() < deadline) {
            LockSupport.parkNanos(LOOK_EVERY.toNanos());
            ready = ready();
        }
        return ready;
    }

    private int ready() {
        try (Stream<Path> marks = Files.list(dir)) {
            return (int) marks.filter(path -> path.getFileName().toString().startsWith("ready-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read which injectors are ready in " + dir, e);
        }
    }
}
