package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.ServerCommand;
import io.wshunt.runner.probe.CapacityProbe;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.ServerFleet;
import io.wshunt.runner.process.ServerLaunch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerWarmUpTest {
    @Test
    void theWarmUpRunsEveryPhaseOverAllServersLosesNothingAndLeavesNoConnectionOpen(@TempDir Path logs) throws Exception {
        ServerLaunch launch = new ServerLaunch(System.getProperty("java.class.path"), ServerCommand.DEFAULT_JVM_ARGS, "", "");
        try (ChildProcesses children = new ChildProcesses()) {
            String redis = RedisLauncher.start(RedisLauncher.source(null), children, logs);
            ServerFleet fleet = ServerFleet.start(children, launch, 2, redis, logs);

            ServerWarmUp.Result warmUp = ServerWarmUp.warm(fleet);

            assertThat(warmUp.problems()).isEmpty();
            assertThat(warmUp.phases()).extracting(CapacityProbe.Phase::name).containsExactly("fire", "ack", "broadcast", "connect");
            assertThat(warmUp.describe()).startsWith("Warmed 2 server(s)").endsWith("nothing lost");
            JsonNode sum = fleet.summedStats().orElseThrow();
            assertThat(sum.path("connections").asLong()).isZero();
            // Counted over both servers: every broadcast reached the connections of the other server too.
            assertThat(sum.path("deliveries").asLong()).isEqualTo(sum.path("chat_messages").asLong() * 200);
            for (var stats : fleet.stats()) {
                // The kernel spreads connects over the port's servers, not evenly: a third of a round each at least.
                assertThat(stats.orElseThrow().path("connects").asLong()).isGreaterThan(CapacityProbe.CONNECTS / 3);
            }
        }
    }
}
