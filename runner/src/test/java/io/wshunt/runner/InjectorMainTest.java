package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InjectorMainTest {
    private static Map<String, String> env(String index) {
        Map<String, String> env = new HashMap<>(Map.of(
                InjectorMain.SIMULATION, "ChatBroadcast",
                InjectorMain.COUNT, "3",
                InjectorMain.USERS, "1000",
                InjectorMain.TARGETS, "ws://10.0.0.1:8080, ws://10.0.0.2:8080",
                InjectorMain.STATS, "http://10.0.0.1:8081/stats,http://10.0.0.2:8081/stats",
                InjectorMain.RESULTS, "/results",
                InjectorMain.SETTINGS, "chatSenders=4 connectRate=1000 enduranceSeconds=20 mode=fire"));
        env.put(InjectorMain.JOB_INDEX, index);
        return env;
    }

    @Test
    void eachInjectorWorksOutItsOwnShareFromItsEnvironmentAsAPodOfAnIndexedJobWould() {
        InjectorMain.Injection first = InjectorMain.Injection.of(env("0"));
        InjectorMain.Injection third = InjectorMain.Injection.of(env("2"));

        assertThat(first.properties()).containsEntry("users", "334").containsEntry("userIdOffset", "0").containsEntry("target", "ws://10.0.0.1:8080")
                .containsEntry("chatSenders", "2").containsEntry("chatSenderOffset", "0").containsEntry("clusterChatSenders", "4")
                .containsEntry("clusterUsers", "1000").containsEntry("connectRate", "334").containsEntry("mode", "fire")
                .containsEntry("enduranceSeconds", String.valueOf(20 + InjectorMain.PACED_MARGIN_SECONDS)).containsEntry("failOnLoss", "false");
        assertThat(third.properties()).containsEntry("users", "333").containsEntry("userIdOffset", "667").containsEntry("target", "ws://10.0.0.1:8080")
                .containsEntry("chatSenders", "1").containsEntry("chatSenderOffset", "3");
        assertThat(third.dir()).isEqualTo(Path.of("/results/injector-3"));
        assertThat(third.properties()).containsEntry("countersDir", "/results/injector-3").doesNotContainKey("peersDir");
    }

    @Test
    void eachInjectorOfAConnectionRampWarmsUpWithItsOwnUsersWhoseIdsComeAfterTheRunsAndNoneWhenTurnedOff() {
        Map<String, String> big = ramp("2");
        big.put(InjectorMain.USERS, "50000");
        big.put(InjectorMain.SETTINGS, big.get(InjectorMain.SETTINGS) + " burstSenders=12000");
        Map<String, String> third = InjectorMain.Injection.of(big).warmUpProperties();
        Map<String, String> ofFirst = InjectorMain.Injection.of(ramp("0")).warmUpProperties();

        assertThat(third).containsEntry("users", "5000").containsEntry("clusterUsers", "5000").containsEntry("userIdOffset", "60000")
                .containsEntry("holdSeconds", "0").containsEntry("connectSteps", "").containsEntry("peersDir", "")
                .as("the run's burst senders are more than its own users").containsEntry("burstSenders", "0");
        assertThat(ofFirst).as("at most the injector's share").containsEntry("users", "334").containsEntry("userIdOffset", "1000");
        Map<String, String> off = ramp("0");
        off.put(InjectorMain.SETTINGS, "injectorWarmUp=0");
        assertThat(InjectorMain.Injection.of(off).warmUpProperties()).isEmpty();
        assertThat(InjectorMain.Injection.of(env("0")).warmUpProperties()).as("a chat is not judged on its connects").isEmpty();
    }

    @Test
    void aFireAndForgetBurstOrRateWarmsUpAgainstAServerOfItsOwnSoThatTheRunsServersCountOnlyTheRunsMessages() {
        Map<String, String> burst = env("1");
        burst.put(InjectorMain.SIMULATION, "MessageThroughput");
        burst.put(InjectorMain.USERS, "50000");
        Map<String, String> sustained = new HashMap<>(burst);
        sustained.put(InjectorMain.SIMULATION, "Endurance");

        InjectorMain.Injection burstInjector = InjectorMain.Injection.of(burst);
        Map<String, String> warm = burstInjector.warmUpProperties();

        assertThat(burstInjector.warmUpSimulation()).isEqualTo("MessageThroughput");
        assertThat(warm).containsEntry("target", "").containsEntry("clusterStatsUrls", "").containsEntry("peersDir", "")
                .containsEntry("users", "1000").containsEntry("clusterUsers", "1000").containsEntry("userIdOffset", "0")
                .containsEntry("messagesPerUser", "100").containsEntry("burstSenders", "0");
        assertThat(InjectorMain.Injection.of(sustained).warmUpProperties()).as("10,000 msg/s for 10 s")
                .containsEntry("enduranceRate", "10000").containsEntry("enduranceSeconds", "10").containsEntry("target", "");

        Map<String, String> acked = new HashMap<>(burst);
        acked.put(InjectorMain.SETTINGS, "mode=ack");
        Map<String, String> ladder = new HashMap<>(sustained);
        ladder.put(InjectorMain.SETTINGS, "mode=fire enduranceSteps=1000,2000");
        Map<String, String> ownServer = new HashMap<>(burst);
        ownServer.put(InjectorMain.SETTINGS, "mode=fire profile=gorilla-hub");
        assertThat(InjectorMain.Injection.of(acked).warmUpProperties()).as("acked: not warmed").isEmpty();
        assertThat(InjectorMain.Injection.of(ladder).warmUpProperties()).as("the finder's ladder: its first rungs warm it").isEmpty();
        assertThat(InjectorMain.Injection.of(ownServer).warmUpProperties()).as("a profile the embedded server does not speak").isEmpty();
    }

    private static Map<String, String> ramp(String index) {
        Map<String, String> env = env(index);
        env.put(InjectorMain.SIMULATION, "ConnectionRamp");
        return env;
    }

    @Test
    void injectorsOfAServerWithoutCountersWaitForEachOtherInTheResultsTheyShareAndOneAloneWaitsForNobody() {
        Map<String, String> noCounters = env("1");
        noCounters.remove(InjectorMain.STATS);
        assertThat(InjectorMain.Injection.of(noCounters).properties()).containsEntry("peersDir", Path.of("/results/peers").toString())
                .containsEntry("clusterStatsUrls", "");

        noCounters.put(InjectorMain.COUNT, "1");
        noCounters.put(InjectorMain.JOB_INDEX, "0");
        assertThat(InjectorMain.Injection.of(noCounters).properties()).doesNotContainKey("peersDir");
    }

    @Test
    void aMissingOrWrongVariableIsNamed() {
        Map<String, String> noIndex = env("0");
        noIndex.remove(InjectorMain.JOB_INDEX);
        assertThatThrownBy(() -> InjectorMain.Injection.of(noIndex)).hasMessageContaining("JOB_COMPLETION_INDEX");

        Map<String, String> typo = env("0");
        typo.put(InjectorMain.SETTINGS, "chatSender=4");
        assertThatThrownBy(() -> InjectorMain.Injection.of(typo)).hasMessageContaining("not 'chatSender=4'");

        Map<String, String> outside = env("3");
        assertThatThrownBy(() -> InjectorMain.Injection.of(outside)).hasMessageContaining("from 0 to 2");
    }

    @Test
    void replicasSharingOneEnvironmentEachClaimTheirOwnFolderAndOneTooManyIsRefused(@TempDir Path results) throws Exception {
        int count = 8;
        List<Future<Integer>> claims = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            for (int i = 0; i < count; i++) {
                claims.add(pool.submit(() -> InjectorMain.Injection.claim(results, count)));
            }
            Set<Integer> indexes = new TreeSet<>();
            for (Future<Integer> claim : claims) {
                indexes.add(claim.get());
            }
            assertThat(indexes).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        } finally {
            pool.shutdownNow();
        }
        assertThatThrownBy(() -> InjectorMain.Injection.claim(results, count)).hasMessageContaining("all 8 injector folders").hasMessageContaining("taken");

        Map<String, String> claimed = env("0");
        claimed.put(InjectorMain.INDEX, InjectorMain.CLAIM);
        claimed.put(InjectorMain.RESULTS, results.resolve("next-run").toString());
        assertThat(InjectorMain.Injection.of(claimed).dir()).isEqualTo(results.resolve("next-run/injector-1"));
    }

    @Test
    void oneNameForEveryServerBecomesOneTargetAndOneStatsUrlPerAddressInTheSameOrderForEveryInjector() throws Exception {
        InetAddress[] replicas = {InetAddress.getByName("10.89.0.7"), InetAddress.getByName("10.89.0.3")};
        Map<String, String> compose = env("1");
        compose.put(InjectorMain.TARGETS, "ws://server:8080");
        compose.put(InjectorMain.STATS, "http://server:8081/stats");
        compose.put(InjectorMain.SERVERS, "2");

        InjectorMain.Injection second = InjectorMain.Injection.of(compose, host -> replicas);

        assertThat(second.properties()).containsEntry("target", "ws://10.89.0.7:8080")
                .containsEntry("clusterStatsUrls", "http://10.89.0.3:8081/stats,http://10.89.0.7:8081/stats");
        assertThat(InjectorMain.Injection.of(env("1"), host -> replicas).properties()).as("without WSHUNT_SERVERS, names stay as given")
                .containsEntry("target", "ws://10.0.0.2:8080");
    }

    @Test
    void aNameThatGivesTooFewOrTooManyServersIsNamedWithWhatItGave() throws Exception {
        InetAddress one = InetAddress.getByName("10.89.0.3");
        assertThatThrownBy(() -> ServerAddresses.expand(List.of("ws://server:8080"), 2, host -> new InetAddress[] {one}, Duration.ofSeconds(1)))
                .hasMessageContaining("server resolved to 1 of the 2 servers expected [10.89.0.3]");
        assertThatThrownBy(() -> ServerAddresses.expand(List.of("ws://server:8080"), 2, host -> {
            throw new java.net.UnknownHostException(host);
        }, Duration.ofSeconds(1))).hasMessageContaining("server resolved to 0 of the 2");
        InetAddress[] three = {one, InetAddress.getByName("10.89.0.4"), InetAddress.getByName("10.89.0.5")};
        assertThatThrownBy(() -> ServerAddresses.expand(List.of("ws://server:8080"), 2, host -> three, Duration.ofSeconds(1)))
                .hasMessageContaining("resolves to 3 addresses");
    }

    @Test
    void anInjectorWaitsForItsServersBoundedAndNamesOneThatNeverAnswers() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed + "/stats";
        long started = System.nanoTime();
        assertThatThrownBy(() -> InjectorMain.awaitServers(url, Duration.ofSeconds(1))).hasMessageContaining(url);
        assertThat(System.nanoTime() - started).as("bounded").isLessThan(Duration.ofSeconds(10).toNanos());
        InjectorMain.awaitServers("", Duration.ofSeconds(1)); // no servers given: nothing to wait for
    }
}
