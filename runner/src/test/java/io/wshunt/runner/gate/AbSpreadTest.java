package io.wshunt.runner.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class AbSpreadTest {
    /** One pair per candidate, two forks of two rounds; the second candidate makes the round trip dearer. */
    private static JsonNode proof() throws Exception {
        return Json.MAPPER.readTree("""
                {"candidates": [
                  {"name": "identical", "server_args": "",
                   "rounds":      {"1": {"ack.per_server_cpu_s": 110}, "2": {"ack.per_server_cpu_s": 90}, "3": {"ack.per_server_cpu_s": 100}, "4": {"ack.per_server_cpu_s": 100}},
                   "base_rounds": {"1": {"ack.per_server_cpu_s": 100}, "2": {"ack.per_server_cpu_s": 100}, "3": {"ack.per_server_cpu_s": 100}, "4": {"ack.per_server_cpu_s": 100}},
                   "fork_of_round": {"1": 1, "2": 1, "3": 2, "4": 2}},
                  {"name": "ack-cpu", "server_args": "--inject ack.cpu=900",
                   "rounds":      {"1": {"ack.per_server_cpu_s": 50, "connect.bytes_per_unit": 1000}},
                   "base_rounds": {"1": {"ack.per_server_cpu_s": 100, "connect.bytes_per_unit": 1000}},
                   "fork_of_round": {"1": 1}}]}
                """);
    }

    @Test
    void onlyThePathsARegressionLeavesAloneCount() throws Exception {
        Map<String, AbSpread.Spread> spreads = new java.util.HashMap<>();
        AbSpread.of(List.of(proof())).forEach(spread -> spreads.put(spread.metric(), spread));

        AbSpread.Spread ack = spreads.get("ack.per_server_cpu_s");
        assertThat(ack.rounds()).as("the dearer round trip is not counted").isEqualTo(4);
        assertThat(ack.forks()).isEqualTo(2);
        // Fork 1: ln 1.1 and ln 0.9 around their mean; fork 2: no spread; fork means m1 and 0.
        double m1 = (Math.log(1.1) + Math.log(0.9)) / 2;
        double within = Math.sqrt((Math.pow(Math.log(1.1) - m1, 2) + Math.pow(Math.log(0.9) - m1, 2)) / 2);
        assertThat(ack.withinFork()).isCloseTo(within, Offset.offset(1e-9));
        assertThat(ack.ofForkMeans()).isCloseTo(Math.abs(m1) / Math.sqrt(2), Offset.offset(1e-9));
        assertThat(spreads.get("connect.bytes_per_unit").rounds()).as("a path the regression leaves alone").isEqualTo(1);
    }

    @Test
    void memoryPerConnectionAlsoTouchesTheConnectPath() {
        assertThat(AbSpread.touchedPaths("--x 1 --inject idle.bytes=700")).containsExactly("idle", "connect");
        assertThat(AbSpread.touchedPaths("--inject delivery.alloc=60,ack.cpu=10")).containsExactly("broadcast", "ack");
        assertThat(AbSpread.touchedPaths("")).isEmpty();
    }
}
