package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wshunt.contract.JavaCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On two real logs of small ChatBroadcast runs by Gatling 3.15.1 (30 users each). */
class SimulationLogMergerTest {
    @TempDir
    Path dir;

    private static Path shard(int n) throws URISyntaxException {
        return Path.of(SimulationLogMergerTest.class.getResource("/logs/chatbroadcast-shard-" + n + ".log").toURI());
    }

    private static LogStats read(Path log) throws IOException {
        try (SimulationLog reader = new SimulationLog(log)) {
            LogStats stats = new LogStats(reader.header().start());
            for (SimulationLog.Entry entry = reader.next(); entry != null; entry = reader.next()) {
                stats.add(entry);
            }
            return stats;
        }
    }

    @Test
    void theMergedLogHoldsEveryRecordOfEveryShard() throws Exception {
        Path merged = dir.resolve("merged/simulation.log");
        LogStats returned = SimulationLogMerger.merge(List.of(shard(1), shard(2)), merged);

        LogStats one = read(shard(1));
        LogStats two = read(shard(2));
        LogStats reread = read(merged);
        assertThat(one.usersStarted()).isEqualTo(30);
        assertThat(reread.usersStarted()).isEqualTo(one.usersStarted() + two.usersStarted());
        assertThat(reread.allRequests()).isEqualTo(one.allRequests() + two.allRequests()).isPositive();
        for (String name : List.of("connect", "welcome", "chat", "broadcast echo", "close")) {
            assertThat(reread.requests(name, true)).as(name).isEqualTo(one.requests(name, true) + two.requests(name, true)).isPositive();
        }
        assertThat(returned.toMap()).isEqualTo(reread.toMap());
    }

    @Test
    void startsTheMergedRunAtTheEarliestShardAndKeepsTimesInPlace() throws Exception {
        Path merged = dir.resolve("simulation.log");
        SimulationLogMerger.merge(List.of(shard(2), shard(1)), merged);
        long first;
        long second;
        try (SimulationLog a = new SimulationLog(shard(1)); SimulationLog b = new SimulationLog(shard(2))) {
            first = a.header().start();
            second = b.header().start();
        }
        try (SimulationLog log = new SimulationLog(merged)) {
            assertThat(log.header().start()).isEqualTo(Math.min(first, second));
            assertThat(log.header().scenarios()).extracting(SimulationLog.Text::decode).containsExactly("ChatBroadcast");
        }
        assertThat(((Number) read(merged).toMap().get("duration_ms")).longValue())
                .isGreaterThanOrEqualTo(Math.abs(second - first));
    }

    @Test
    void refusesALogFromAGatlingVersionItDoesNotKnow() throws Exception {
        byte[] bytes = Files.readAllBytes(shard(1));
        byte[] known = "3.15.1".getBytes(StandardCharsets.ISO_8859_1);
        byte[] other = "9.99.9".getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(bytes, known);
        System.arraycopy(other, 0, bytes, at, other.length);
        Path foreign = Files.write(dir.resolve("foreign.log"), bytes);

        assertThatThrownBy(() -> SimulationLogMerger.merge(List.of(shard(1), foreign), dir.resolve("out.log")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("written by Gatling 9.99.9")
                .hasMessageContaining("3.15.1");
    }

    @Test
    void aTruncatedLastRecordIsNamedWithItsFileAndOffsetAndTheRestIsMerged() throws Exception {
        byte[] whole = Files.readAllBytes(shard(1));
        Path cut = Files.write(dir.resolve("cut.log"), java.util.Arrays.copyOf(whole, whole.length - 3));

        LogStats stats = SimulationLogMerger.merge(List.of(cut), dir.resolve("out.log"));

        assertThat(stats.problems()).singleElement().asString().contains(cut.toString()).contains("cut short at byte ");
        assertThat(stats.usersStarted()).isPositive();
        assertThat(SimulationLogMerger.merge(List.of(shard(1)), dir.resolve("whole.log")).problems()).isEmpty();
    }

    @Test
    void aCorruptCountIsRefusedWithItsFileAndOffsetInsteadOfSizingAnArray() throws Exception {
        byte[] bytes = Files.readAllBytes(shard(1));
        // The scenario count comes right before the first scenario's length and name: make it absurd.
        byte[] name = "ChatBroadcast".getBytes(StandardCharsets.ISO_8859_1);
        byte[] scenario = java.nio.ByteBuffer.allocate(4 + name.length).putInt(name.length).put(name).array();
        int countAt = indexOf(bytes, scenario) - 4;
        System.arraycopy(java.nio.ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(), 0, bytes, countAt, 4);
        Path corrupt = Files.write(dir.resolve("corrupt.log"), bytes);

        assertThatThrownBy(() -> SimulationLogMerger.merge(List.of(corrupt), dir.resolve("out.log")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(corrupt + " is corrupt at byte ")
                .hasMessageContaining("a scenario count of " + Integer.MAX_VALUE);
    }

    @Test
    void gatlingDrawsOneReportFromTheMergedLog() throws Exception {
        SimulationLogMerger.merge(List.of(shard(1), shard(2)), dir.resolve("merged/simulation.log"));
        drawReport("merged");

        assertThat(dir.resolve("merged/index.html")).exists();
        assertThat(Files.readString(dir.resolve("gatling.out"))).contains("broadcast echo");
    }

    /**
     * Two injectors that ran at the same time: shard 2 moved onto shard 1's start. Gatling's report
     * counts concurrent users assuming records go forward in time, so an injector-after-injector
     * merge draws 30 users at the peak and a burst of starts at the end; a time-ordered one draws 60.
     */
    @Test
    void gatlingDrawsTheSumOfConcurrentInjectorsUsers() throws Exception {
        long start;
        long otherStart;
        try (SimulationLog one = new SimulationLog(shard(1)); SimulationLog two = new SimulationLog(shard(2))) {
            start = one.header().start();
            otherStart = two.header().start();
        }
        byte[] bytes = Files.readAllBytes(shard(2));
        int at = indexOf(bytes, java.nio.ByteBuffer.allocate(8).putLong(otherStart).array());
        System.arraycopy(java.nio.ByteBuffer.allocate(8).putLong(start).array(), 0, bytes, at, 8);
        Path concurrent = Files.write(dir.resolve("concurrent-shard-2.log"), bytes);

        SimulationLogMerger.merge(List.of(shard(1), concurrent), dir.resolve("merged/simulation.log"));
        drawReport("merged");

        String page = Files.readString(dir.resolve("merged/index.html"));
        assertThat(series(page, "MaxConcurrentUsersContainerId").stream().mapToLong(Long::longValue).max().orElse(0))
                .as("concurrent users at the peak").isEqualTo(60);
        List<Long> starts = series(page, "UserStartRateContainerId");
        assertThat(starts.get(starts.size() - 1)).as("no burst of starts in the last second").isZero();
    }

    private static List<Long> series(String page, String chart) {
        List<Long> values = MergedReport.series(page, chart);
        assertThat(values).as(chart + " has points").isNotEmpty();
        return values;
    }

    private void drawReport(String folder) throws Exception {
        List<String> command = new ArrayList<>(List.of(JavaCommand.tool("java")));
        command.addAll(InjectorFleet.GATLING_JVM_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.gatling.app.Gatling", "-rf", dir.toString(), "-ro", folder));
        Process gatling = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("gatling.out").toFile()).start();
        assertThat(gatling.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(gatling.exitValue()).as(Files.readString(dir.resolve("gatling.out"))).isZero();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
