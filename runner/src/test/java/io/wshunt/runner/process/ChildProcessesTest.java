package io.wshunt.runner.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Children that never outlive what started them, and waits that end. */
class ChildProcessesTest {
    @TempDir
    Path dir;

    @Test
    void aChildIsStoppedOnceItsParentIsKilledOutright() throws Exception {
        Process parent = new ProcessBuilder("sleep", "300").start();
        Process child = new ProcessBuilder("sleep", "300").start();
        try {
            ChildProcesses.watch(child.pid(), parent.pid());
            assertThat(child.waitFor(2, TimeUnit.SECONDS)).as("alive while its parent is").isFalse();

            parent.destroyForcibly().waitFor();

            assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("stopped after its parent was killed").isTrue();
        } finally {
            parent.destroyForcibly();
            child.destroyForcibly();
        }
    }

    @Test
    void aCommandPastItsTimeIsStoppedAndSaysSo() throws Exception {
        try (ChildProcesses children = new ChildProcesses()) {
            long started = System.nanoTime();

            int exit = children.run(List.of("sleep", "300"), dir.resolve("sleep.log"), Duration.ofMillis(500));

            assertThat(exit).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
            assertThat(children.run(List.of("sh", "-c", "exit 3"), dir.resolve("three.log"), Duration.ofSeconds(30))).isEqualTo(3);
        }
    }
}
