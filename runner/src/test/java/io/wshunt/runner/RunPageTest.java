package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;
import io.wshunt.preflight.HostLimits;
import io.wshunt.preflight.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real small run (60 users, MessageThroughput, this machine's ceiling first), its run page
 * rendered by headless Chromium, and what a person sees there. The injectors start from the test's
 * own classpath, which holds the simulations (a Maven dependency). Needs Chromium
 * ({@code apt-get install chromium}; ci/test.sh installs it).
 */
class RunPageTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    @Test
    void aPersonSeesTheVerdictTheAccountingAReportLinkAndATrendWithData() throws Exception {
        Path run = dir.resolve("run");
        // A profile this small run meets: --baseline decides the exit code, and the page shows the table.
        Path baseline = Files.writeString(dir.resolve("small.json"), """
                {"profile": "small", "users": 60, "settings": {},
                 "metrics": {"MessageThroughput": {
                   "lost": {"kind": "max", "value": 0, "tolerance": 0},
                   "users_failed": {"kind": "max", "value": 0, "tolerance": 0},
                   "server_msgs_per_cpu_s": {"kind": "higher", "value": 1, "tolerance": 0.2}}}}
                """);

        int exit = SuiteRunner.run(new String[] {"--users", "60", "--simulations", "MessageThroughput", "--servers", "1", "--injectors", "1",
                "--out", run.toString(), "--history", dir.resolve("history.jsonl").toString(),
                "--baseline", baseline.toString()}, HostLimits.read());

        assertThat(exit).isZero();
        JsonNode summary = Json.MAPPER.readTree(run.resolve("summary.json").toFile());
        long sent = summary.path("simulations").get(0).path("benchmark").path("sent").asLong();
        assertThat(sent).isPositive();
        assertNoCloseBeforeTheLastAck(run.resolve("MessageThroughput/report/simulation.log"));

        String dom = render(run.resolve("index.html"));

        assertThat(dom).contains("id=\"verdict\" class=\"verdict passed\">PASSED");
        assertThat(dom).contains(String.format("%,d sent, %,d counted by the servers", sent, sent));
        assertThat(dom).contains("This machine's ceiling").contains("of this machine's ceiling");
        Matcher link = Pattern.compile("<a class=\"report\" href=\"([^\"]+)\"").matcher(dom);
        assertThat(link.find()).as("a link to Gatling's report").isTrue();
        Path report = run.resolve(link.group(1));
        assertThat(report).exists();
        assertThat(Files.readString(report)).contains("Gatling");
        Matcher points = Pattern.compile("id=\"trend-chart\"[^>]*data-points=\"(\\d+)\"").matcher(dom);
        assertThat(points.find()).as("Chart.js drew the trend chart").isTrue();
        assertThat(Integer.parseInt(points.group(1))).isPositive();
        assertThat(dom).as("the gate's table, judged against the baseline given").contains("Gate against", "MessageThroughput.server_msgs_per_cpu_s");
    }

    /** {@code mvn gatling:test} writes the same page; the end-to-end run of the simulations module left one. */
    @Test
    void mavensOwnRunWritesThePageToo() throws Exception {
        Path page = ROOT.resolve("simulations/target/wshunt-e2e/index.html");
        assertThat(page).as("the simulations' end-to-end run writes it: run mvn verify from the project root").exists();

        String dom = render(page);

        assertThat(dom).contains("id=\"verdict\" class=\"verdict passed\">PASSED");
        for (String simulation : RunnerOptions.ALL_SIMULATIONS) {
            assertThat(dom).contains("<h2 id=\"" + simulation + "\">" + simulation);
        }
        Matcher sent = Pattern.compile("([\\d,]+) sent, ([\\d,]+) counted by the servers").matcher(dom);
        assertThat(sent.find()).as("an accounting row").isTrue();
        assertThat(sent.group(1)).isEqualTo(sent.group(2));
        Matcher link = Pattern.compile("<a class=\"report\" href=\"([^\"]+)\"").matcher(dom);
        assertThat(link.find()).as("a link to Gatling's report").isTrue();
        assertThat(page.getParent().resolve(link.group(1))).exists();
    }

    /** The page's DOM after its scripts ran, as headless Chromium sees it, with no network. */
    private String render(Path page) throws Exception {
        return render(page, dir);
    }

    /** The page's DOM once Chromium ran its scripts; {@code scratch} takes Chromium's profile and log. */
    static String render(Path page, Path scratch) throws Exception {
        String chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .filter(path -> Files.isExecutable(Path.of(path))).findFirst()
                .orElseThrow(() -> new AssertionError("no Chromium: apt-get install chromium (the run page test renders the page in it)"));
        // Chromium's own messages go to a log of their own, so that the output is the DOM alone.
        Shell.Result result = Shell.run(List.of("sh", "-c", "exec \"$@\" 2>\"$0\"", scratch.resolve("chromium.log").toString(), chromium,
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + scratch.resolve("chromium"), "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString()),
                java.util.Map.of(), java.time.Duration.ofSeconds(60));
        assertThat(result.timedOut()).as("Chromium finished in time").isFalse();
        return result.output();
    }

    /** MessageThroughput's users close once every user's burst is done: no close in a log starts before its last ack ended. */
    static void assertNoCloseBeforeTheLastAck(Path simulationLog) throws IOException {
        int lastAckEnd = 0;
        int firstCloseStart = Integer.MAX_VALUE;
        try (SimulationLog log = new SimulationLog(simulationLog)) {
            for (SimulationLog.Entry entry = log.next(); entry != null; entry = log.next()) {
                if (entry.kind() == SimulationLog.REQUEST && entry.name().decode().equals("ack")) lastAckEnd = Math.max(lastAckEnd, entry.end());
                if (entry.kind() == SimulationLog.REQUEST && entry.name().decode().equals("close")) firstCloseStart = Math.min(firstCloseStart, entry.start());
            }
        }
        assertThat(lastAckEnd).as("acks in the log").isPositive();
        assertThat(firstCloseStart).as("no user closes while another still awaits an ack").isGreaterThanOrEqualTo(lastAckEnd);
    }
}
