package io.wshunt.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ShellTest {
    @Test
    void aCommandReturnsItsOutputAndExitCode() throws Exception {
        Shell.Result result = Shell.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Map.of("X", "1"), Duration.ofSeconds(10));

        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.output()).contains("out", "err");
        assertThat(result.timedOut()).isFalse();
        assertThat(Shell.output("echo $((2 + 3))")).isEqualTo("5\n");
    }

    @Test
    void aCommandPastItsTimeIsKilledWithWhatItStartedEvenWhileItKeepsTheOutputOpen() throws Exception {
        // The background sleep holds the output pipe open: a read to its end would wait for it.
        java.time.Instant started = java.time.Instant.now().minusSeconds(1);
        Shell.Result result = Shell.run(List.of("sh", "-c", "echo started; sleep 30 & sleep 30"), Map.of(), Duration.ofMillis(500));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.ok()).isFalse();
        assertThat(result.exit()).isEqualTo(-1);
        Thread.sleep(200);
        assertThat(ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().orElse("").equals("sleep 30"))
                .filter(process -> process.info().startInstant().map(started::isBefore).orElse(false)))
                .as("sleeps left running").isEmpty();
    }
}
