package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;
import io.wshunt.preflight.HostLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ci/run-suite.sh --find-limit} for real, small: 200 users against one server (no ceiling
 * measured). They connect up a ladder as steep as 200 users allow; then the acked rate is doubled
 * from 1,000/s up to 128,000/s after a warm-up at 500/s, which this machine cannot hold to the top.
 * Chat deliveries are doubled the same way, from 1,000/s. The one-minute budget leaves the finer
 * ladders out. Every JVM records its CPU (JFR). Needs Chromium for the page.
 */
class LimitFinderRunTest {
    @TempDir
    Path dir;

    @Test
    void theFinderStepsTheRateUpNamesTheKneeAndItsCauseAndDrawsIt() throws Exception {
        Path run = dir.resolve("run");

        int exit = SuiteRunner.run(new String[] {"--users", "200", "--find-limit", "--find-limit-paths", "connect,ack,chat", "--find-limit-minutes", "1", "--no-ceiling", "--servers", "1",
                "--injectors", "1", "--out", run.toString(), "--history", dir.resolve("history.jsonl").toString()}, HostLimits.read());

        assertThat(exit).isZero();
        JsonNode ack = Json.MAPPER.readTree(run.resolve("summary.json").toFile()).path("capacity").path("ack");
        List<Long> offered = new ArrayList<>();
        ack.path("steps").forEach(step -> offered.add(step.path("offered_per_s").asLong()));
        assertThat(offered).containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 64_000L, 128_000L);
        assertThat(ack.path("steps").get(0).path("warm_up").asBoolean()).as("a warm-up of the fresh injector first").isTrue();
        JsonNode first = ack.path("steps").get(1);
        assertThat(first.path("held").asBoolean()).as("1,000 acked msg/s from 200 users: %s", first).isTrue();
        assertThat(first.path("achieved_per_s").asLong()).isBetween(950L, 1_050L);
        assertThat(first.path("server_cpu_percent").isNumber()).as("the servers' CPU read beside the step").isTrue();
        long held = ack.path("highest_held_per_s").asLong();
        long broken = ack.path("first_broken_per_s").asLong();
        assertThat(held).isGreaterThanOrEqualTo(1_000L);
        assertThat(broken).isEqualTo(held * 2);
        assertThat(ack.path("limited_by").asText()).isIn("server_cpu", "injector_cpu", "machine_cpu", "kernel_limit", "slo");
        assertThat(ack.path("why").asText()).isNotBlank();
        assertThat(ack.path("notes").toString()).contains("finer steps were left out");
        JsonNode cost = ack.path("cost");
        assertThat(cost.path("server_cpu_us_per_unit").asDouble()).as("what an acked message cost each side at the busiest step: %s", cost).isPositive();
        assertThat(cost.path("injector_cpu_us_per_unit").asDouble()).isPositive();
        assertThat(cost.path("injectors_alone_per_s").asLong()).isPositive();
        JsonNode outcome = ack.path("runs").get(0).path("outcome");
        assertThat(outcome.path("users_connected").asLong()).as("every user connected through the ladder").isEqualTo(200);

        JsonNode connect = Json.MAPPER.readTree(run.resolve("summary.json").toFile()).path("capacity").path("connect");
        assertThat(connect.path("limited_by").asText()).as("%s", connect.path("why")).isNotEqualTo("not_measured");
        assertThat(connect.path("steps").size()).as("a warm-up and 8 coarse steps at least").isGreaterThanOrEqualTo(9);
        assertThat(connect.path("steps").get(1).path("held").asBoolean()).as("the first judged step: %s", connect.path("steps").get(1)).isTrue();
        assertThat(connect.path("runs").get(0).path("outcome").path("users_connected").asLong()).as("the ladder connects every user").isEqualTo(200);
        if (connect.path("limited_by").asText().equals("not_reached")) {
            assertThat(connect.path("why").asText()).contains("the most 200 users can offer");
        }

        JsonNode brokenAck = ack.path("steps").get(offered.indexOf(broken));
        assertThat(brokenAck.path("hottest").path("server-1").size()).as("the server's busiest methods at the knee: %s", brokenAck).isPositive();
        assertThat(brokenAck.path("hottest").path("injector-1").size()).isPositive();

        JsonNode chat = Json.MAPPER.readTree(run.resolve("summary.json").toFile()).path("capacity").path("chat");
        assertThat(chat.path("limited_by").asText()).as("%s", chat.path("why")).isNotEqualTo("not_measured");
        JsonNode firstChat = chat.path("steps").get(1);
        assertThat(firstChat.path("offered_per_s").asLong()).isEqualTo(1_000L);
        assertThat(firstChat.path("held").asBoolean()).as("1,000 deliveries/s to 200 users: %s", firstChat).isTrue();
        // Counted over the step's judged seconds, where one broadcast (200 deliveries) may fall in or out at either edge.
        long oneBroadcastPerS = Math.round(200 * firstChat.path("achieved_per_s").asDouble() / firstChat.path("ok").asDouble());
        assertThat(firstChat.path("achieved_per_s").asLong()).as("counted by the server").isBetween(950L - oneBroadcastPerS, 1_050L + oneBroadcastPerS);
        assertThat(firstChat.path("p99_ms").isNumber()).as("the senders' echo").isTrue();

        String dom = RunPageTest.render(run.resolve("index.html"), dir);

        assertThat(dom).contains("Capacity: what the server takes", String.format("%,d acked msg/s", held), "Where the CPU went in the first broken step",
                "What each side would take alone");
        Matcher points = Pattern.compile("id=\"knee-ack\"[^>]*data-points=\"(\\d+)\"").matcher(dom);
        assertThat(points.find()).as("Chart.js drew the knee chart").isTrue();
        assertThat(Integer.parseInt(points.group(1))).isEqualTo(9);
    }
}
