package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.wshunt.runner.process.ChildProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Redis in Docker through Testcontainers, where a Docker API answers (GitHub's runners; podman's
 * socket here, see results/MEASUREMENTS.md): it answers, and its port is published on loopback
 * alone, never on every interface. Skipped, and reported so, where no Docker API exists.
 */
@EnabledIf("io.wshunt.runner.RedisLauncher#dockerAvailable")
class RedisLauncherDockerTest {
    @Test
    void redisInDockerAnswersOnLoopbackOnly() throws Exception {
        try (ChildProcesses children = new ChildProcesses()) {
            String uri = RedisLauncher.startContainer(children);

            assertThat(uri).startsWith("redis://127.0.0.1:");
            assertThat(new RedisWatch(uri).answers()).isTrue();
            String port = uri.substring(uri.lastIndexOf(':') + 1);
            assertThat(new RedisWatch("redis://127.0.0.2:" + port).answers())
                    .as("published on 127.0.0.1 alone: another address of this machine gets nothing").isFalse();
        }
    }
}
