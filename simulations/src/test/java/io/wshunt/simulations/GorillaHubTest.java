package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulations against a server of another stack, through its protocol profile: a Go hub in the
 * shape of gorilla/websocket's chat example ({@code src/test/hubs/gorilla/hub.sh} builds and runs it),
 * from Debian's golang-go and golang-github-gorilla-websocket-dev ({@code ci/test.sh} installs them)
 * and driven by real Gatling runs. It sends no welcome, no ack and has no counters; deliveries
 * are counted at the receivers, and what cannot be counted says so.
 */
class GorillaHubTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Process hub;
    private static int port;

    @TempDir
    static Path build;
    @TempDir
    Path run;

    @BeforeAll
    static void startHub() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path log = build.resolve("hub.log");
        hub = new ProcessBuilder("bash", "src/test/hubs/gorilla/hub.sh", build.toString(), String.valueOf(port)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // the first start builds it
        while (true) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                assertThat(hub.isAlive() && System.nanoTime() < deadline).as("the hub listens; its log: " + Files.readString(log)).isTrue();
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopHub() throws InterruptedException {
        if (hub != null) {
            hub.destroy();
            if (!hub.waitFor(5, TimeUnit.SECONDS)) hub.destroyForcibly();
        }
    }

    @Test
    void twoThousandUsersConnectToAHubThatSendsNoWelcome() throws Exception {
        JsonNode accounting = gatling("ConnectionRamp", "broadcast-hub", "-Dusers=2000", "-DconnectRate=1000", "-DholdSeconds=1");

        assertThat(accounting.at("/injector/connected").asLong()).isEqualTo(2000);
        assertThat(accounting.at("/injector/connect_failed").asLong()).isZero();
    }

    @Test
    void everyBroadcastIsCountedAtTheReceiversEvenInBatchedFrames() throws Exception {
        JsonNode accounting = gatling("ChatBroadcast", "broadcast-hub", "-Dusers=2000", "-DconnectRate=1000", "-DchatSenders=10",
                "-DchatMessagesPerSender=5");

        JsonNode deliveries = accounting.at("/derived/deliveries received");
        assertThat(accounting.at("/injector/chat_sent").asLong()).isEqualTo(50);
        assertThat(deliveries.path("expected").asLong()).isEqualTo(50 * 2000);
        assertThat(deliveries.path("arrived").asLong()).isEqualTo(50 * 2000);
        assertThat(accounting.at("/derived/lost").asLong()).isZero();
        assertThat(accounting.at("/derived/not_counted").toString()).contains("chat messages received by the servers: not counted");
        String page = Files.readString(run.resolve("counters").resolve("index.html"));
        assertThat(page).as("the run page").contains("ChatBroadcast — passed", "100,000 expected, 100,000 received at the users, 0 lost",
                "50 sent, not counted by the servers", "deliveries are counted at the receivers");
    }

    /** The hub's own /stats, in names of its own, mapped by a profile: what it counts is counted, the rest is "not counted". */
    @Test
    void aServersOwnCountersAreReadThroughItsProfile() throws Exception {
        String hub;
        try (var resource = GorillaHubTest.class.getResourceAsStream("/profiles/broadcast-hub.json")) {
            hub = new String(resource.readAllBytes());
        }
        Path profile = Files.writeString(run.resolve("counting-hub.json"), hub.replace("\"stats\": null",
                "\"stats\": {\"connections\": \"/clients\", \"chat_messages\": \"/received\", \"deliveries\": \"/delivered\"}"));

        JsonNode accounting = gatling("ChatBroadcast", profile.toString(), "-Dusers=200", "-DconnectRate=500", "-DchatSenders=4",
                "-DchatMessagesPerSender=5", "-DstatsUrl=http://127.0.0.1:" + port + "/stats");

        assertThat(accounting.at("/derived/chat messages counted by the servers/arrived").asLong()).isEqualTo(20);
        assertThat(accounting.at("/derived/deliveries received/arrived").asLong()).isEqualTo(20 * 200);
        assertThat(accounting.at("/derived/not_counted")).isEmpty();
        assertThat(Files.readString(run.resolve("counters").resolve("index.html"))).contains("20 sent, 20 counted by the servers");
    }

    @Test
    void anEchoServersEchoIsTheAcknowledgement() throws Exception {
        JsonNode accounting = gatling("MessageThroughput", "echo", "-Dusers=200", "-DconnectRate=500", "-DmessagesPerUser=20");

        assertThat(accounting.at("/derived/acks received/arrived").asLong()).isEqualTo(4000);
        assertThat(accounting.at("/derived/lost").asLong()).isZero();
    }

    /** A profile of one's own, as a file: each user joins (its join comes back through the hub) and beats every second while it holds. */
    @Test
    void aJoinIsAwaitedAndHeartbeatsGoOutWhileUsersWait() throws Exception {
        Path profile = Files.writeString(run.resolve("joining-hub.json"), """
                {"name": "joining-hub", "about": "the hub, with a join and a heartbeat", "path": "/ws?user=#{userId}", "welcome": null,
                 "join": {"message": "{\\"type\\":\\"join\\",\\"content\\":\\"#{userId}\\"}", "reply": {"field": "/type", "is": "join"}},
                 "heartbeat": {"message": "{\\"type\\":\\"heartbeat\\"}", "intervalSeconds": 1},
                 "benchmark": null, "chat": null}
                """);

        JsonNode accounting = gatling("ConnectionRamp", profile.toString(), "-Dusers=100", "-DconnectRate=100", "-DholdSeconds=3");

        assertThat(accounting.at("/injector/connected").asLong()).isEqualTo(100);
        String log = Files.readString(run.resolve("gatling.log"));
        // Gatling counts each join twice: the send, and the reply it awaited.
        assertThat(log).containsPattern("> join +\\| +200 \\| +200 \\| +0").containsPattern("> heartbeat +\\| +[1-9][0-9]{2,} \\|");
    }

    @Test
    void firingAtAnEchoServerWithNothingToCountAgainstIsNotCountedAndFails() throws Exception {
        int exit = runGatling("MessageThroughput", "echo", "-Dusers=50", "-DconnectRate=500", "-DmessagesPerUser=10", "-Dmode=fire");

        assertThat(exit).as("ended within three minutes").isNotEqualTo(-1);
        assertThat(exit).as("a loss that cannot be counted is no pass").isNotZero();
        assertThat(Files.readString(run.resolve("gatling.log"))).contains("cannot say what was lost", "benchmark messages: not counted");
    }

    /** Runs one simulation in a Gatling JVM of its own; returns its accounting after a pass. */
    private JsonNode gatling(String simulation, String profile, String... settings) throws Exception {
        int exit = runGatling(simulation, profile, settings);
        assertThat(exit).as(simulation + " passes; its log:\n" + Files.readString(run.resolve("gatling.log"))).isZero();
        return JSON.readTree(run.resolve("counters").resolve(simulation + "-accounting.json").toFile());
    }

    /** Runs one simulation in a Gatling JVM of its own, its output in gatling.log; its exit code, -1 when it ran past three minutes. */
    private int runGatling(String simulation, String profile, String... settings) throws Exception {
        Process gatling = new ProcessBuilder(command(simulation, profile, settings)).redirectErrorStream(true)
                .redirectOutput(run.resolve("gatling.log").toFile()).start();
        if (!gatling.waitFor(3, TimeUnit.MINUTES)) {
            gatling.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return gatling.exitValue();
    }

    private List<String> command(String simulation, String profile, String... settings) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Xmx1g",
                "-Dtarget=ws://127.0.0.1:" + port, "-Dprofile=" + profile, "-DcountersDir=" + run.resolve("counters"),
                // What is judged here is the protocol and the counting, not speed on a busy machine.
                "-DmaxP99Millis=120000"));
        command.addAll(List.of(settings));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.gatling.app.Gatling",
                "-s", "io.wshunt.simulations." + simulation, "-rf", run.resolve("results").toString(), "-nr"));
        return command;
    }
}
