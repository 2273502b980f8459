package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.Ports;
import org.junit.jupiter.api.Test;

class RedisWatchTest {
    @Test
    void aRunningRedisAnswersAndAKilledOneDoesNot() throws Exception {
        Path dir = Files.createTempDirectory("wshunt-redis-watch");
        try (ChildProcesses children = new ChildProcesses()) {
            String uri = RedisLauncher.start(RedisLauncher.Source.PROCESS, children, dir);
            RedisWatch watch = new RedisWatch(uri);
            assertThat(watch.answers()).isTrue();

            ProcessHandle redis = ProcessHandle.current().descendants()
                    .filter(handle -> handle.info().command().orElse("").contains("redis")).findFirst().orElseThrow();
            redis.destroyForcibly();
            redis.onExit().get();

            assertThat(watch.answers()).isFalse();
        }
    }

    @Test
    void nothingListeningIsNoRedis() {
        assertThat(new RedisWatch("redis://127.0.0.1:" + Ports.free()).answers()).isFalse();
    }
}
