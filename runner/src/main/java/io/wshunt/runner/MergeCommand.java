package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wshunt.contract.Json;
import io.wshunt.report.InjectorAccounting;
import io.wshunt.report.SimulationOutcome;
import io.wshunt.report.page.RunPage;
import io.wshunt.runner.process.ChildProcesses;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ci/run-suite.sh merge}: one verdict from injectors that ran elsewhere. Given the injector
 * folders gathered from pods, compose services or other machines, it does what a local run does
 * after its injectors end: exact accounting over every injector, one Gatling report per
 * simulation, {@code summary.json} and the run page; an injector missing from the folders is named
 * and fails the run. Given bare {@code simulation.log} files, it merges them into one report only.
 */
@Command(name = "run-suite.sh merge", mixinStandardHelpOptions = true,
        description = {"Merges what several Gatling injectors wrote into one verdict.",
                "With injector folders (injector-K, or folders holding them) and --injectors: accounting over every injector, "
                        + "one report per simulation, summary.json and the run page; a missing injector fails the run.",
                "With simulation.log files: one report from them (one simulation, Gatling 3.15.1)."})
public final class MergeCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "where the reports, summary.json and the run page go")
    Path out;
    @Option(names = "--injectors", description = "how many injectors the run had (WSHUNT_INJECTORS), so that a missing one is named; needed with folders")
    Integer injectors;
    @Parameters(arity = "1..*", paramLabel = "FOLDER|LOG", description = "injector folders, or simulation.log files")
    List<Path> inputs;
    @Option(names = "--classpath", hidden = true, defaultValue = "${sys:java.class.path}")
    String classpath;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MergeCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                System.err.println("merge: no such file or folder " + input);
                return 2;
            }
        }
        boolean folders = inputs.stream().allMatch(Files::isDirectory);
        if (!folders && inputs.stream().anyMatch(Files::isDirectory)) {
            System.err.println("merge: give injector folders or simulation.log files, not both");
            return 2;
        }
        if (folders && (injectors == null || injectors < 1)) {
            System.err.println("merge: with injector folders, --injectors N says how many the run had, so that a missing one is named");
            return 2;
        }
        Files.createDirectories(out);
        try (ChildProcesses children = new ChildProcesses()) {
            return folders ? verdict(children) : reportOnly(children);
        } catch (IOException e) {
            // A log or an accounting that cannot be read says which in its message; a stack trace adds nothing for the user.
            System.err.println("merge: " + e.getMessage());
            return 1;
        }
    }

    private int reportOnly(ChildProcesses children) throws IOException, InterruptedException {
        MergedReport report = MergedReport.draw(children, classpath, out.toAbsolutePath(), inputs);
        System.out.printf("Merged %d logs: %,d users, %,d requests%n", inputs.size(), report.stats().usersStarted(), report.stats().allRequests());
        report.problems().forEach(problem -> System.out.println("problem: " + problem));
        if (report.index() != null) {
            System.out.println("Report: " + report.index());
        }
        return report.problems().isEmpty() ? 0 : 1;
    }

    /** Every simulation any injector wrote an accounting for, judged over all the run's injectors. */
    private int verdict(ChildProcesses children) throws IOException, InterruptedException {
        List<InjectorResults> found = InjectorResults.find(inputs, injectors);
        TreeSet<String> simulations = new TreeSet<>();
        for (InjectorResults injector : found) {
            simulations.addAll(accountedSimulations(injector.dir()));
        }
        if (simulations.isEmpty()) {
            System.err.println("merge: no injector wrote an accounting (<Simulation>-accounting.json) in " + inputs);
            return 1;
        }
        List<SimulationOutcome> outcomes = new ArrayList<>();
        int users = 0;
        for (String simulation : RunnerOptions.ALL_SIMULATIONS.stream().filter(simulations::contains).toList()) {
            int simulationUsers = usersOfRun(found, simulation);
            users = Math.max(users, simulationUsers);
            SimulationOutcome.Builder outcome = new SimulationOutcome.Builder(simulation, simulationUsers);
            Path dir = out.resolve(simulation);
            SuiteRunner.clearPreviousRun(dir);
            List<Path> logs = InjectorResults.gather(found, simulation, outcome);
            InjectorResults.serverCounters(found, simulation).ifPresent(counted -> counted.forEach(outcome::serverCounter));
            MergedReport.into(children, classpath, dir.toAbsolutePath(), logs, outcome);
            outcomes.add(outcome.build());
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("users", users);
        summary.put("plan", Map.of("injectors", injectors, "merged_from", inputs.stream().map(Path::toString).toList(),
                "server_counters", "every server's, from the earliest injector's start to the latest one's end, where every injector read them"));
        summary.put("simulations", outcomes.stream().map(SimulationOutcome::toMap).toList());
        JsonNode written = Json.MAPPER.valueToTree(summary);
        Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("summary.json").toFile(), written);
        outcomes.forEach(outcome -> System.out.print(outcome.table()));
        Path page = RunPage.write(out, written, List.of(written), Map.of());
        System.out.println("\nSummary: " + out.resolve("summary.json"));
        System.out.println("Run page: " + page);
        return outcomes.stream().allMatch(SimulationOutcome::passed) ? 0 : 1;
    }

    /** The simulations this injector folder has an accounting for. */
    private static List<String> accountedSimulations(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(InjectorAccounting.FILE_SUFFIX))
                    .map(name -> name.substring(0, name.length() - InjectorAccounting.FILE_SUFFIX.length())).toList();
        }
    }

    /** The run's users over every injector, as each injector was told (clusterUsers); the most any says, in case one is missing. */
    private static int usersOfRun(List<InjectorResults> found, String simulation) throws IOException {
        int users = 0;
        for (InjectorResults injector : found) {
            Path accounting = injector.accountingFile(simulation);
            if (Files.exists(accounting)) {
                JsonNode settings = Json.MAPPER.readTree(accounting.toFile()).path("settings");
                JsonNode clusterUsers = settings.get("clusterUsers");
                users = Math.max(users, clusterUsers != null ? clusterUsers.asInt() : settings.path("users").asInt());
            }
        }
        return users;
    }
}
