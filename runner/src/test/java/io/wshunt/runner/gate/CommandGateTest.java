package io.wshunt.runner.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The gate on a server of another stack, started by commands and spoken to through its profile:
 * the Go hub of the simulations' tests against itself, and against a change to its code that
 * decodes and encodes every message again for each recipient. Needs Go with Debian's gorilla/websocket.
 */
class CommandGateTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path HUB = ROOT.resolve("simulations/src/test/hubs/gorilla");

    @TempDir
    Path dir;

    @Test
    void theSameHubPassesAndAHubThatEncodesEachDeliveryAgainFailsOnCpuPerDelivery() throws Exception {
        String base = "bash " + HUB.resolve("hub.sh") + " " + dir.resolve("base-build") + " {port}";
        Path changed = dir.resolve("reencode.go");
        Files.writeString(changed, perRecipientEncode(Files.readString(HUB.resolve("main.go"))));
        String candidate = "bash " + HUB.resolve("hub.sh") + " " + dir.resolve("changed-build") + " {port} " + changed;

        assertThat(gate(base, base, dir.resolve("same"))).as("the same hub passes; see " + dir.resolve("same")).isZero();
        assertThat(gate(base, candidate, dir.resolve("changed"))).as("the per-recipient encode fails").isOne();

        JsonNode judged = Json.MAPPER.readTree(dir.resolve("changed/ab.json").toFile());
        assertThat(judged.toString()).contains("broadcast.per_server_cpu_s").contains("regression").doesNotContain("bytes_per_unit");
        assertThat(judged.path("pace").path("chats_per_s").asInt()).as("broadcasts are offered at the pace asked for").isEqualTo(25);
    }

    @Test
    void commandsAndClasspathsDoNotMixAndAPathTheProfileLacksIsNamed() {
        String hub = "hub -addr 127.0.0.1:{port}";
        assertThat(usageError("--base-command", hub, "--candidate-command", hub, "--base-classpath", "a.jar")).contains("instead of classpaths");
        assertThat(usageError("--base-command", hub, "--candidate-command", "hub")).contains("needs {port}");
        assertThat(usageError("--base-command", hub, "--candidate-command", hub, "--profile", "broadcast-hub", "--paths", "ack"))
                .contains("--paths ack: the broadcast-hub protocol has no acknowledgement");
        assertThat(usageError("--base-command", hub, "--candidate-command", hub, "--profile", "broadcast-hub", "--paths", "idle"))
                .contains("wshunt's server only");
        assertThat(usageError("--base-classpath", "a.jar", "--candidate-classpath", "b.jar", "--profile", "echo")).contains("another stack");

        AbCommand command = new AbCommand();
        new CommandLine(command).parseArgs("--base-command", hub, "--candidate-command", hub, "--profile", "broadcast-hub");
        AbPlan plan = command.plan();
        assertThat(plan.paths()).as("the default paths the hub has").containsExactly("broadcast", "connect");
        assertThat(plan.metrics()).extracting(AbMetric::name).containsExactly("broadcast.per_server_cpu_s", "connect.per_server_cpu_s");
    }

    private static String usageError(String... args) {
        AbCommand command = new AbCommand();
        CommandLine commandLine = new CommandLine(command);
        commandLine.parseArgs(args);
        try {
            command.plan();
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
        throw new AssertionError("no usage error for " + String.join(" ", args));
    }

    /**
     * The gate's own options, kept short: one path, two forks of two rounds, broadcasts paced at 5,000
     * deliveries/s, which the re-encoding hub keeps up with (it fell behind 20,000/s on a busy machine).
     * At that pace the hub's fixed cost dilutes the encode's: the change read 0.728 [0.677, 0.784] of
     * the base's deliveries per CPU-second, across a 25% limit, so the limit is 15%.
     */
    private static int gate(String base, String candidate, Path out) {
        return new CommandLine(new AbCommand()).execute("--base-command", base, "--candidate-command", candidate, "--profile", "broadcast-hub",
                "--paths", "broadcast", "--forks", "2", "--min-forks", "2", "--rounds-per-fork", "2", "--warmup-passes", "1",
                "--budget-seconds", "60", "--cpu-tolerance", "broadcast=0.15", "--pace", "broadcast=25", "--out", out.toString());
    }

    /** The hub's source with each delivery decoded and encoded again for its recipient, the way a per-recipient encode creeps in. */
    static String perRecipientEncode(String source) {
        String changed = source.replaceFirst("w\\.Write\\(message\\)\n", "w.Write(reencoded(message))\n").replace("w.Write(<-c.send)", "w.Write(reencoded(<-c.send))");
        assertThat(changed).as("the hub's writePump is where the change goes").isNotEqualTo(source).contains("reencoded(<-c.send)");
        return changed + """

                // reencoded decodes a message and encodes it again for one recipient.
                func reencoded(message []byte) []byte {
                \tvar decoded map[string]interface{}
                \tif json.Unmarshal(message, &decoded) != nil {
                \t\treturn message
                \t}
                \tout, _ := json.Marshal(decoded)
                \treturn out
                }
                """;
    }
}
