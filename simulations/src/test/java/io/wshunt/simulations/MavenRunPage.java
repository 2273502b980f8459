package io.wshunt.simulations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wshunt.report.SimulationOutcome;
import io.wshunt.report.page.RunPage;

/**
 * The run page of {@code mvn gatling:test}: one injector, one server, so this injector's
 * accounting and the server's counters are the whole run's. Each simulation adds its outcome
 * to {@code <countersDir>/outcomes/} and rewrites {@code <countersDir>/index.html} with the latest
 * outcome of every simulation there, the same page the suite runner writes.
 */
final class MavenRunPage {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MavenRunPage() {
    }

    static Path update(String simulation, Settings settings, Path accountingFile, Accounting accounting, long durationMillis) throws IOException {
        boolean chat = settings.chatSenders() > 0 && simulation.equals("ChatBroadcast");
        SimulationOutcome.Builder built = new SimulationOutcome.Builder(simulation, settings.users()).addInjector(accountingFile)
                .peakConnections(accounting.serverAfterPeakConnections()).durationMillis(durationMillis)
                .offered(settings.connectRate(), chat ? SimulationOutcome.offeredDeliveriesPerSecond(settings.chatSenders(), settings.users(), settings.chatIntervalMillis()) : 0);
        // A server without counters (a profile's hub, or no -DstatsUrl) leaves them empty: "not counted" on the page.
        for (String counter : SimulationOutcome.SERVER_COUNTERS) {
            accounting.serverDelta(counter).ifPresent(value -> built.serverCounter(counter, value));
        }
        gatlingReport(simulation).ifPresent(report -> built.report(report, -1));
        SimulationOutcome outcome = built.build();

        Path dir = Path.of(settings.countersDir()).toAbsolutePath();
        Path outcomes = Files.createDirectories(dir.resolve("outcomes"));
        JSON.writeValue(outcomes.resolve(simulation + ".json").toFile(), outcome.toMap());

        List<JsonNode> simulations = new ArrayList<>();
        try (Stream<Path> files = Files.list(outcomes)) {
            for (Path file : files.sorted(Comparator.comparing(MavenRunPage::modified)).toList()) {
                simulations.add(JSON.readTree(file.toFile()));
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("users", settings.users());
        summary.put("plan", Map.of("servers", 1, "injectors", 1));
        summary.put("machine", Map.of("os", System.getProperty("os.name") + " " + System.getProperty("os.version"),
                "cpus", Runtime.getRuntime().availableProcessors()));
        summary.put("settings", settings);
        summary.put("simulations", simulations);
        JsonNode written = JSON.valueToTree(summary);
        JSON.writeValue(dir.resolve("summary.json").toFile(), written);
        return RunPage.write(dir, written, List.of(), Map.of());
    }

    /**
     * The report Gatling is about to draw for this run: its newest run folder for the simulation
     * (Gatling names them {@code <simulation>-<timestamp>}, lower case) in the results folder.
     */
    private static Optional<Path> gatlingReport(String simulation) throws IOException {
        String results = System.getProperty("wshunt.gatlingResults", "");
        if (results.isEmpty() || !Files.isDirectory(Path.of(results))) {
            return Optional.empty();
        }
        try (Stream<Path> runs = Files.list(Path.of(results))) {
            return runs.filter(run -> run.getFileName().toString().startsWith(simulation.toLowerCase() + "-"))
                    .max(Comparator.comparing(MavenRunPage::modified))
                    .map(run -> run.toAbsolutePath().resolve("index.html"));
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
