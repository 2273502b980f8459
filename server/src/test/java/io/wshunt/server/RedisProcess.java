package io.wshunt.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.wshunt.contract.RedisCommand;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.Jedis;

/**
 * A real Redis for one test class: redis-server started as a process on a free loopback port,
 * or, where there is none (or WSHUNT_REDIS=docker) and Docker runs, redis:7-alpine through
 * Testcontainers. There is no stand-in and no silent skip: the tests print which Redis they use,
 * and without either they fail and say how to get one.
 */
final class RedisProcess implements AutoCloseable {
    private final String host;
    private final int port;
    private final AutoCloseable stop;

    private RedisProcess(String host, int port, AutoCloseable stop) {
        this.host = host;
        this.port = port;
        this.stop = stop;
    }

    static RedisProcess start() throws Exception {
        String binary = RedisCommand.executable();
        boolean dockerAsked = "docker".equals(System.getenv("WSHUNT_REDIS"));
        RedisProcess redis;
        if (!dockerAsked && RedisCommand.available()) {
            redis = startProcess();
            System.out.println("Redis for these tests: " + binary + " as a process on port " + redis.port);
        } else if (DockerClientFactory.instance().isDockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(RedisCommand.image())).withExposedPorts(6379);
            container.start();
            redis = new RedisProcess(container.getHost(), container.getMappedPort(6379), container::stop);
            System.out.println("Redis for these tests: " + RedisCommand.image() + " in Docker (Testcontainers) at " + redis.uri());
        } else {
            throw new IllegalStateException("These tests need a real Redis and found neither '" + binary + "' nor Docker: "
                    + "install it (apt-get install redis-server, brew install redis), set REDIS_SERVER, or start Docker.");
        }
        redis.awaitPing();
        return redis;
    }

    private static RedisProcess startProcess() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("wshunt-redis");
        Process process = new ProcessBuilder(RedisCommand.of(port, dir))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        return new RedisProcess("127.0.0.1", port, () -> {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            // Its config and log, so that test runs leave no directory behind in the temp folder.
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        });
    }

    String uri() {
        return "redis://" + host + ":" + port;
    }

    private void awaitPing() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Jedis jedis = new Jedis(host, port)) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("Redis did not answer PING at " + uri() + " within 10 s");
    }

    /** Stops Redis: also how a test makes the backplane go away. Twice is harmless. */
    @Override
    public void close() throws Exception {
        stop.close();
    }
}
