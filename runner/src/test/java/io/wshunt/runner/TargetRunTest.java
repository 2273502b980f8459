package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;
import io.wshunt.preflight.HostLimits;
import io.wshunt.runner.probe.ProbeCommand;
import io.wshunt.runner.process.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ci/run-suite.sh --target}: the suite against a server of another stack that the user
 * started, here the Go hub of the simulations' tests (no welcome, no ack, no counters), through its
 * protocol profile. Needs Go with Debian's gorilla/websocket.
 */
class TargetRunTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    @Test
    void aHubOfAnotherStackIsDrivenByTwoInjectorsThatWaitForEachOtherAndWhatItCannotCountSaysSo() throws Exception {
        withHub(port -> {
            Path run = dir.resolve("run");

            int exit = SuiteRunner.run(new String[] {"--users", "2000", "--simulations", "ConnectionRamp,ChatBroadcast", "--target", "ws://127.0.0.1:" + port,
                    "--injectors", "2", "-Dprofile=broadcast-hub", "-DconnectRate=1000", "-DmaxP99Millis=120000", "--out", run.toString(),
                    "--history", dir.resolve("history.jsonl").toString()}, HostLimits.read());

            assertThat(exit).as("the run passes; see " + run).isZero();
            JsonNode summary = Json.MAPPER.readTree(run.resolve("summary.json").toFile());
            assertThat(summary.at("/plan/target").asText()).isEqualTo("ws://127.0.0.1:" + port);
            assertThat(summary.at("/plan/injectors").asInt()).isEqualTo(2);
            JsonNode ramp = summary.path("simulations").get(0);
            assertThat(ramp.path("users_connected").asLong()).isEqualTo(2000);
            JsonNode chat = summary.path("simulations").get(1).path("chat");
            assertThat(chat.path("deliveries_expected").asLong()).isEqualTo(chat.path("sent").asLong() * 2000).isPositive();
            // Every chat message reached the users of both injectors: they started chatting only once all 2,000 were connected.
            assertThat(chat.path("deliveries_received").asLong()).isEqualTo(chat.path("deliveries_expected").asLong());
            assertThat(chat.path("counted_by_servers").asText()).isEqualTo("not counted");
            long arrived = 0;
            try (var written = Files.list(run.resolve("ChatBroadcast").resolve(InjectorMain.PEERS_FOLDER))) {
                for (Path file : written.toList()) arrived += Json.MAPPER.readTree(file.toFile()).path("arrived").asLong();
            }
            assertThat(arrived).as("what the two injectors wrote for each other to wait on: every user arrived").isEqualTo(2000);
            assertThat(Files.readString(run.resolve("index.html"))).contains("a server of its own at ws://127.0.0.1:" + port,
                    "not counted by the servers", "deliveries are counted at the receivers", "Not measured against a server of its own");
        });
    }

    @Test
    void theHubsOwnCountersReadThroughItsProfileCountChatMessagesAtTheServerAndWhatItLacksStaysNotCounted() throws Exception {
        withHub(port -> {
            String hub;
            try (var resource = TargetRunTest.class.getResourceAsStream("/profiles/broadcast-hub.json")) {
                hub = new String(resource.readAllBytes(), StandardCharsets.UTF_8);
            }
            Path profile = Files.writeString(dir.resolve("counting-hub.json"), hub.replace("\"stats\": null",
                    "\"stats\": {\"connections\": \"/clients\", \"chat_messages\": \"/received\"}"));
            Path run = dir.resolve("counted");

            int exit = SuiteRunner.run(new String[] {"--users", "300", "--injectors", "2", "--simulations", "ChatBroadcast", "--target",
                    "ws://127.0.0.1:" + port, "-Dprofile=" + profile, "-DstatsUrl=http://127.0.0.1:" + port + "/stats", "-DchatSenders=4",
                    "--out", run.toString(), "--history", dir.resolve("history.jsonl").toString()}, HostLimits.read());

            assertThat(exit).as("see " + run).isZero();
            JsonNode chat = Json.MAPPER.readTree(run.resolve("summary.json").toFile()).path("simulations").get(0).path("chat");
            assertThat(chat.path("sent").asLong()).isEqualTo(4 * 5);
            assertThat(chat.path("counted_by_servers").asLong()).as("the hub's own count, mapped by the profile").isEqualTo(20);
            assertThat(chat.path("deliveries_received").asLong()).isEqualTo(20 * 300);
        });
    }

    @Test
    void theLimitFinderClimbsWhatTheHubsProfileHasWithItsCpuReadFromItsProcessAndNamesWhatItCannotClimb() throws Exception {
        withHub(port -> {
            Path run = dir.resolve("finder");

            int exit = SuiteRunner.run(new String[] {"--users", "400", "--target", "ws://127.0.0.1:" + port, "-Dprofile=broadcast-hub", "--find-limit",
                    "--find-limit-paths", "connect,ack", "--out", run.toString(), "--history", dir.resolve("history.jsonl").toString()}, HostLimits.read());

            assertThat(exit).as("a path asked for and not measured fails the run; see " + run).isEqualTo(1);
            JsonNode capacity = Json.MAPPER.readTree(run.resolve("summary.json").toFile()).path("capacity");
            assertThat(capacity.at("/ack/limited_by").asText()).isEqualTo("not_measured");
            assertThat(capacity.at("/ack/why").asText()).contains("the broadcast-hub protocol has no acknowledgement");
            JsonNode connect = capacity.path("connect");
            assertThat(connect.path("highest_held_per_s").asLong()).isPositive();
            assertThat(connect.path("steps")).allSatisfy(step -> assertThat(step.path("server_cpu_percent").isNumber())
                    .as("the hub's CPU beside each step, read from the process on its port: %s", step).isTrue());
        });
    }

    @Test
    void theProbeSpeaksTheHubsProfileCountsAtThisClientAndNamesWhatItCannotMeasure() throws Exception {
        withHub(port -> {
            Path figures = dir.resolve("probe.json");
            PrintStream shown = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                exit = new CommandLine(new ProbeCommand()).execute("--target", "ws://127.0.0.1:" + port, "--profile", "broadcast-hub",
                        "--phases", "broadcast,connect,ack,fire", "--connections", "50", "--warmup-ms", "300", "--window-ms", "1000", "--json", figures.toString());
            } finally {
                System.setOut(shown);
            }
            String printed = out.toString(StandardCharsets.UTF_8);
            System.out.print(printed);

            assertThat(exit).as("two phases not measured fail the probe").isEqualTo(1);
            assertThat(printed).contains("ack: not measured: the broadcast-hub protocol has no acknowledgement",
                    "fire: not measured: the broadcast-hub protocol has no benchmark message", "counted at this client",
                    "the server's CPU from /proc/", "listening on port " + port);
            JsonNode round = Json.MAPPER.readTree(figures.toFile()).path("rounds").get(0);
            JsonNode broadcast = round.path("broadcast");
            assertThat(broadcast.path("per_s").asLong()).as("deliveries counted at the receivers").isPositive();
            assertThat(broadcast.path("arrived").asLong()).isEqualTo(broadcast.path("sent").asLong()).isPositive();
            assertThat(broadcast.path("per_server_cpu_s").asLong()).as("the hub's CPU, read from the process on its port").isPositive();
            assertThat(broadcast.path("bytes_per_unit").isNumber()).as("allocation the hub does not report: not 0").isFalse();
            assertThat(round.path("connect").path("per_s").asLong()).isPositive();
            assertThat(round.path("connect").path("lost").asLong()).isZero();
            assertThat(round.has("ack")).isFalse();
        });
    }

    @Test
    void aProfileOtherThanWshuntNeedsATarget() throws Exception {
        assertThat(SuiteRunner.run(new String[] {"--users", "10", "-Dprofile=broadcast-hub", "--out", dir.toString()}, HostLimits.read())).isEqualTo(2);
        assertThat(SuiteRunner.run(new String[] {"--users", "10", "--target", "http://x/ws", "--out", dir.toString()}, HostLimits.read())).isEqualTo(2);
    }

    /** A test against the Go hub, started on a free port and stopped afterwards. */
    private interface HubTest {
        void run(int port) throws Exception;
    }

    private void withHub(HubTest test) throws Exception {
        int port = Ports.free();
        Process hub = new ProcessBuilder("bash", ROOT.resolve("simulations/src/test/hubs/gorilla/hub.sh").toString(), dir.resolve("hub").toString(),
                String.valueOf(port)).redirectErrorStream(true).redirectOutput(dir.resolve("hub.log").toFile()).start();
        try {
            awaitListening(hub, port);
            test.run(port);
        } finally {
            hub.destroy();
            hub.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitListening(Process hub, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // the first start builds it
        while (System.nanoTime() < deadline && hub.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the hub did not listen on " + port + " within 120 s");
    }
}
