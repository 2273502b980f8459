package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisWatchTest {
    /** Redis's config (with the password) and log: removed after each test. */
    @TempDir
    Path dir;

    @Test
    void aRunningRedisAnswersAndAKilledOneDoesNot() throws Exception {
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

    @Test
    void theRunsRedisHasAPasswordThatNoCommandLineOrOutputShows() throws Exception {
        try (ChildProcesses children = new ChildProcesses()) {
            String uri = RedisLauncher.start(RedisLauncher.Source.PROCESS, children, dir);
            URI parsed = URI.create(uri);
            String password = parsed.getUserInfo().substring(1);
            assertThat(password).hasSizeGreaterThanOrEqualTo(32);

            try (Socket socket = new Socket(parsed.getHost(), parsed.getPort())) {
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readNBytes(7), StandardCharsets.US_ASCII);
                assertThat(answer).as("a client without the password").startsWith("-NOAUTH");
            }
            try (Socket socket = new Socket(parsed.getHost(), parsed.getPort())) {
                socket.getOutputStream().write(("AUTH " + password + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(answer).as("the servers, with it").isEqualTo("+OK\r\n+PONG\r\n");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("redis.conf")))).isEqualTo("rw-------");
            assertThat(ProcessHandle.current().descendants().map(handle -> handle.info().commandLine().orElse("")))
                    .as("no process list shows it").noneMatch(line -> line.contains(password));
            assertThat(RedisLauncher.shown(uri)).doesNotContain(password).isEqualTo("redis://127.0.0.1:" + parsed.getPort());
        }
    }
}
