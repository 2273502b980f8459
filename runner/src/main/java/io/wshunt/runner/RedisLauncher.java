package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import io.wshunt.contract.RedisCommand;
import io.wshunt.preflight.Shell;
import io.wshunt.preflight.RunPlan;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.Ports;

/**
 * The broadcast backplane when a run has several servers: a throwaway redis-server on loopback,
 * with a password of its own, when there is one on PATH, else {@code redis:7-alpine} (or {@code WSHUNT_REDIS_IMAGE}) in Docker through Testcontainers, else a
 * clear refusal before any load that names the three ways out.
 */
final class RedisLauncher {
    private RedisLauncher() {
    }

    static final String IMAGE = RedisCommand.image();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where this run's Redis comes from. */
    enum Source {
        GIVEN("--redis"), PROCESS("redis-server on PATH"), DOCKER(IMAGE + " in Docker (Testcontainers)"), NONE("none");

        final String words;

        Source(String words) {
            this.words = words;
        }
    }

    /** Said before any load when a run needs Redis and this machine has none to start. */
    static final String MISSING = """
            This run has several server processes: Redis carries each broadcast between them, and there is no
            redis-server on PATH and no Docker. Any one of these will do:
              1. install it: apt-get install redis-server (Debian, Ubuntu) or brew install redis (macOS)
              2. point at a running one: --redis redis://host:6379
              3. start Docker: the runner then starts redis:7-alpine itself (Testcontainers)
            """;

    static Source source(String givenUri) {
        if (givenUri != null) return Source.GIVEN;
        if (RedisCommand.available()) return Source.PROCESS;
        if (dockerAvailable()) return Source.DOCKER;
        return Source.NONE;
    }

    /** The preflight's row for Redis: only a run with several servers needs it. */
    static RunPlan.Check check(Source source, int servers) {
        return new RunPlan.Check("Redis backplane (" + servers + " servers)", source.words, "redis-server, --redis URL or Docker",
                source != Source.NONE, true, "apt-get install redis-server, or --redis redis://host:6379, or start Docker");
    }

    /** Asks Testcontainers only where a Docker socket or DOCKER_HOST exists: elsewhere its search is slow and loud. */
    static boolean dockerAvailable() {
        boolean hint = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        try {
            return hint && DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Starts Redis from the source the preflight found; returns its URI. */
    static String start(Source source, ChildProcesses children, Path dir) throws IOException, InterruptedException {
        return switch (source) {
            case PROCESS -> startProcess(children, dir);
            case DOCKER -> startContainer(children);
            case GIVEN, NONE -> throw new IllegalStateException("no Redis to start from " + source);
        };
    }

    static String startContainer(ChildProcesses children) {
        // Published on loopback only: Docker's default, every interface, would offer a Redis without a password to the network.
        int hostPort = Ports.free();
        String password = newPassword();
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(IMAGE)).withExposedPorts(6379)
                .withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(new com.github.dockerjava.api.model.PortBinding(
                        com.github.dockerjava.api.model.Ports.Binding.bindIpAndPort("127.0.0.1", hostPort),
                        com.github.dockerjava.api.model.ExposedPort.tcp(6379))))
                .withCommand("redis-server", "--save", "", "--appendonly", "no", "--client-output-buffer-limit", "pubsub 256mb 128mb 60",
                        "--requirepass", password);
        redis.start();
        children.onClose(redis::stop);
        return uri(redis.getHost(), redis.getMappedPort(6379), password);
    }

    /** A password for one run's Redis: whoever else reaches its port (another local user, a container) gets NOAUTH. */
    static String newPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String uri(String host, int port, String password) {
        return "redis://:" + password + "@" + host + ":" + port;
    }

    /** A Redis URI as it may be shown: without its password. */
    static String shown(String uri) {
        return uri.replaceFirst("//[^@/]*@", "//");
    }

    private static String startProcess(ChildProcesses children, Path dir) throws IOException, InterruptedException {
        int port = Ports.free();
        String password = newPassword();
        Files.createDirectories(dir);
        Path config = dir.resolve("redis.conf");
        Files.deleteIfExists(config);
        Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(config, "requirepass " + password + "\n");
        Process process = children.start(RedisCommand.of(port, dir, config), dir.resolve("redis.log"));
        String probe = "REDISCLI_AUTH=" + password + " redis-cli -p " + port + " ping";
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited at once; see " + dir.resolve("redis.log"));
            }
            String pong = Shell.output(probe);
            if (pong != null && pong.trim().equals("PONG")) {
                return uri("127.0.0.1", port, password);
            }
            Thread.sleep(100);
        }
        throw new IOException("redis-server did not answer on port " + port + " within 10 s");
    }
}
