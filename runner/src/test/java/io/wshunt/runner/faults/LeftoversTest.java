package io.wshunt.runner.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LeftoversTest {
    @Test
    void findsAndKillsWhatStillRunsWithTheMarkAndNothingElse() throws Exception {
        String mark = "leftovers-test-" + ProcessHandle.current().pid();
        ProcessBuilder marked = new ProcessBuilder("sleep", "60");
        marked.environment().put(SuiteRun.MARK, mark);
        Process left = marked.start();
        Process unmarked = new ProcessBuilder("sleep", "60").start();
        try {
            assertThat(Leftovers.find(mark)).extracting(ProcessHandle::pid).containsExactly(left.pid());

            assertThat(Leftovers.reap(mark, Duration.ofMillis(600))).singleElement().asString().startsWith(left.pid() + " ");
            assertThat(left.onExit().get().isAlive()).isFalse();
            assertThat(unmarked.isAlive()).isTrue();
            assertThat(Leftovers.reap(mark, Duration.ofMillis(100))).isEmpty();
        } finally {
            left.destroyForcibly();
            unmarked.destroyForcibly();
        }
    }
}
