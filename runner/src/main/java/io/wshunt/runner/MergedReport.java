package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wshunt.contract.JavaCommand;
import io.wshunt.report.SimulationOutcome;
import io.wshunt.runner.process.ChildProcesses;

/**
 * One Gatling report from several injectors' {@code simulation.log} files: merged into
 * {@code <dir>/report/simulation.log}, then drawn by Gatling in reports-only mode, which also
 * judges the simulation's assertions again over the whole run.
 *
 * @param index the report's index.html, or null when Gatling could not draw it
 * @param problems what went wrong, in words: failed assertions, Gatling's exit
 */
record MergedReport(LogStats stats, Path index, List<String> problems) {
    private static final Pattern POINT = Pattern.compile("\\[\\d+, (\\d+)\\]");

    /** Gatling's report of a 100,000-user run took about a minute here; ten is a hang. */
    static final Duration REPORT_TIMEOUT = Duration.ofMinutes(10);

    static MergedReport draw(ChildProcesses children, String gatlingClasspath, Path dir, List<Path> logs) throws IOException, InterruptedException {
        Path reportDir = dir.resolve("report");
        LogStats stats = SimulationLogMerger.merge(logs, reportDir.resolve("simulation.log"));
        List<String> command = new ArrayList<>(JavaCommand.launcher());
        command.add("-Xmx2g");
        command.addAll(InjectorFleet.GATLING_JVM_FLAGS);
        command.addAll(List.of("-cp", gatlingClasspath, "io.gatling.app.Gatling", "-rf", dir.toString(), "-ro", "report", "-l", "wshunt"));
        Path log = dir.resolve("report.log");
        int exit = children.run(command, log, REPORT_TIMEOUT);
        List<String> problems = new ArrayList<>(stats.problems());
        if (exit == -1) {
            problems.add("Gatling did not draw the merged report within " + REPORT_TIMEOUT.toMinutes() + " min and was stopped (see " + log + ")");
        }
        if (!Files.exists(reportDir.resolve("index.html"))) {
            problems.add("Gatling could not draw the merged report (see " + log + ")");
            return new MergedReport(stats, null, problems);
        }
        for (String line : Files.readAllLines(log)) {
            if (line.contains(" : false (actual : ")) {
                problems.add("assertion failed over all injectors: " + line.trim());
            }
        }
        if (exit != 0 && problems.isEmpty()) {
            problems.add("Gatling exited with " + exit + " drawing the report (see " + log + ")");
        }
        return new MergedReport(stats, reportDir.resolve("index.html"), problems);
    }

    /**
     * One Gatling report from every injector's log into the outcome: its request figures, the
     * report and the users it charts, or the problem that kept it from being drawn. A report that
     * fails is this simulation's problem; the run's other simulations are still reported.
     */
    static void into(ChildProcesses children, String gatlingClasspath, Path dir, List<Path> logs, SimulationOutcome.Builder outcome)
            throws InterruptedException, IOException {
        if (logs.isEmpty()) {
            outcome.problem("no simulation.log to report");
            return;
        }
        MergedReport report;
        try {
            report = draw(children, gatlingClasspath, dir, logs);
        } catch (IOException e) {
            outcome.problem("no merged report: " + e.getMessage());
            return;
        }
        outcome.requests(report.stats().requestFigures()).problems(report.problems())
                .report(report.index(), report.index() != null ? report.peakConcurrentUsers() : -1);
    }

    /** The highest point of Gatling's "Number of concurrent users" chart: what a reader of the report sees. */
    long peakConcurrentUsers() throws IOException {
        return series(Files.readString(index), "MaxConcurrentUsersContainerId").stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** The "All users" series of one chart on a Gatling report page, the value of each point. */
    static List<Long> series(String page, String chart) {
        int start = page.indexOf("renderTo: '" + chart + "'");
        if (start < 0) {
            return List.of();
        }
        String rest = page.substring(start);
        rest = rest.substring(rest.indexOf("name: 'All users'"));
        String data = rest.substring(rest.indexOf('[') + 1, rest.indexOf("\n]"));
        List<Long> values = new ArrayList<>();
        Matcher point = POINT.matcher(data);
        while (point.find()) {
            values.add(Long.parseLong(point.group(1)));
        }
        return values;
    }
}
