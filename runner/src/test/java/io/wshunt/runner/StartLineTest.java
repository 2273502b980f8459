package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartLineTest {
    @TempDir
    Path dir;

    @Test
    void anInjectorGoesOnlyOnceEveryOtherIsReady() throws Exception {
        StartLine line = new StartLine(dir.resolve("start-line"), 2);
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> {
            line.arriveAndAwait(0, Duration.ofSeconds(30));
            return System.nanoTime();
        });
        Thread.sleep(500);
        assertThat(first).as("the second injector is not there yet").isNotDone();

        long secondArrived = System.nanoTime();
        int ready = line.arriveAndAwait(1, Duration.ofSeconds(30));

        assertThat(ready).isEqualTo(2);
        assertThat(first.get(10, TimeUnit.SECONDS)).isGreaterThan(secondArrived);
    }

    @Test
    void anInjectorThatNeverComesIsWaitedForOnlySoLong() {
        StartLine line = new StartLine(dir.resolve("start-line"), 3);
        long started = System.nanoTime();

        int ready = line.arriveAndAwait(2, Duration.ofMillis(300));

        assertThat(ready).as("only itself").isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
}
