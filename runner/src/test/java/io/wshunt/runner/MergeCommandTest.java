package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;
import io.wshunt.preflight.HostLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Injectors that ran elsewhere, gathered as folders: a real small run with two injectors leaves
 * injector-1 and injector-2, and the merge of those folders alone must come to the run's own
 * accounting, and name an injector whose folder did not arrive. Some of the users send the burst,
 * spread over both injectors.
 */
class MergeCommandTest {
    @TempDir
    Path dir;

    @Test
    void gatheredInjectorFoldersGiveTheRunsOwnAccountingAndAMissingInjectorIsNamedAndFails() throws Exception {
        Path run = dir.resolve("run");
        // 30 of the 80 users send the burst, 4 messages each, chosen by each injector from the users' ids alone.
        int exit = SuiteRunner.run(new String[] {"--users", "80", "--simulations", "MessageThroughput", "--servers", "1", "--injectors", "2",
                "--no-ceiling", "--out", run.toString(), "--history", dir.resolve("history.jsonl").toString(), "-DburstSenders=30", "-DmessagesPerUser=4"},
                HostLimits.read());
        assertThat(exit).as("the local run itself").isZero();
        RunPageTest.assertNoCloseBeforeTheLastAck(run.resolve("MessageThroughput/report/simulation.log"));
        JsonNode local = Json.MAPPER.readTree(run.resolve("summary.json").toFile()).path("simulations").get(0);
        Path gathered = run.resolve("MessageThroughput");

        Path merged = dir.resolve("merged");
        assertThat(merge("--injectors", "2", "--out", merged.toString(), gathered.toString())).isZero();
        JsonNode all = Json.MAPPER.readTree(merged.resolve("summary.json").toFile()).path("simulations").get(0);
        assertThat(all.path("passed").asBoolean()).isTrue();
        assertThat(all.path("users_connected").asLong()).isEqualTo(80);
        assertThat(all.path("benchmark").path("sent").asLong()).isEqualTo(120).isEqualTo(local.path("benchmark").path("sent").asLong());
        assertThat(all.path("benchmark").path("acks_received").asLong()).isEqualTo(local.path("benchmark").path("acks_received").asLong());
        assertThat(all.path("benchmark").path("counted_by_servers").asLong()).as("counted at the servers too")
                .isEqualTo(all.path("benchmark").path("sent").asLong()).isEqualTo(local.path("benchmark").path("counted_by_servers").asLong());
        assertThat(all.path("benchmark").path("lost").asLong()).isZero();
        assertThat(merged.resolve("MessageThroughput/report/index.html")).exists();
        assertThat(merged.resolve("index.html")).as("the run page").exists();

        // The second injector's folder did not arrive: its users are missing, and the run says so.
        Path partial = dir.resolve("partial");
        Files.createDirectories(partial);
        Files.move(gathered.resolve("injector-1"), partial.resolve("injector-1"));
        Path mergedPartial = dir.resolve("merged-partial");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int partialExit;
        try {
            partialExit = merge("--injectors", "2", "--out", mergedPartial.toString(), partial.toString());
        } finally {
            System.setOut(out);
        }
        assertThat(partialExit).as("a partial merge is never a pass").isEqualTo(1);
        JsonNode half = Json.MAPPER.readTree(mergedPartial.resolve("summary.json").toFile()).path("simulations").get(0);
        assertThat(half.path("passed").asBoolean()).isFalse();
        assertThat(half.path("problems").toString()).contains("injector-2 wrote no accounting");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("injector-2");
    }

    @Test
    void foldersWithoutTheInjectorCountAreRefused() throws Exception {
        Files.createDirectories(dir.resolve("injector-1"));
        assertThat(merge("--out", dir.resolve("out").toString(), dir.toString())).isEqualTo(2);
        assertThat(merge("--injectors", "1", "--out", dir.resolve("out").toString(), dir.resolve("nothing-here").toString())).isEqualTo(2);
    }

    private static int merge(String... args) {
        return new CommandLine(new MergeCommand()).execute(args);
    }
}
