package io.wshunt.runner.gate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The regression gate against a checked-in baseline:
 * <pre>
 *   gate compare --summary runs/X/summary.json --baseline results/linux-2core.json [--markdown table.md]
 *   gate update-baseline --summary runs/X/summary.json --baseline results/linux-2core.json
 *   gate settings --baseline results/linux-2core.json     the -D flags the profile was measured with
 * </pre>
 * Exits 1 on a regression, 2 on a usage error.
 */
@Command(name = "gate", mixinStandardHelpOptions = true, subcommands = {Gate.Compare.class, Gate.Update.class, Gate.Settings.class},
        description = "Compares a run's summary.json with a checked-in baseline (results/*.json).")
public final class Gate implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        return new CommandLine(new Gate())
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    // A summary or baseline that cannot be read is a usage error, told in one line.
                    commandLine.getErr().println("gate: " + e.getMessage());
                    return 2;
                })
                .execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 2;
    }

    /** A run and a profile: what compare and update-baseline both take. */
    static final class RunAndProfile {
        @Option(names = "--summary", required = true, description = "the run's summary.json")
        Path summary;
        @Option(names = "--baseline", required = true, description = "the profile, e.g. results/linux-2core.json")
        Path baseline;
    }

    @Command(name = "compare", mixinStandardHelpOptions = true, description = "Judges a run against a baseline; exits 1 on a regression.")
    static final class Compare implements Callable<Integer> {
        @Mixin
        RunAndProfile files;
        @Option(names = "--markdown", description = "also write the table in Markdown here (for a job summary)")
        Path markdown;

        @Override
        public Integer call() throws Exception {
            Comparison comparison = Comparison.of(Baseline.read(files.baseline), Figures.of(JSON.readTree(files.summary.toFile())));
            System.out.print(comparison.table());
            if (markdown != null) {
                Files.writeString(markdown, comparison.markdown("wshunt against " + files.baseline.getFileName()));
            }
            return comparison.passes() ? 0 : 1;
        }
    }

    @Command(name = "update-baseline", mixinStandardHelpOptions = true,
            description = "Rewrites a baseline's values from one run or the median of several, keeping kinds and tolerances.")
    static final class Update implements Callable<Integer> {
        @Option(names = "--summary", required = true, description = "a run's summary.json; repeat it for several runs of the same settings")
        List<Path> summaries;
        @Option(names = "--baseline", required = true, description = "the profile, e.g. results/linux-2core.json")
        Path baseline;
        @Option(names = "--profile", description = "the profile's name (default: the file's)")
        String profile;

        @Override
        public Integer call() throws Exception {
            String name = profile != null ? profile : baseline.getFileName().toString().replaceFirst("\\.json$", "");
            List<JsonNode> runs = new java.util.ArrayList<>();
            for (Path summary : summaries) {
                runs.add(JSON.readTree(summary.toFile()));
            }
            Baseline.update(baseline, runs, name);
            System.out.println("Baseline " + baseline + " rewritten from " + summaries.size() + " run(s); review and commit it.");
            return 0;
        }
    }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = "Prints the -D flags a profile was measured with, for a run that compares with it.")
    static final class Settings implements Callable<Integer> {
        @Option(names = "--baseline", required = true, description = "the profile")
        Path baseline;

        @Override
        public Integer call() throws Exception {
            JsonNode settings = JSON.readTree(baseline.toFile()).path("settings");
            List<String> flags = new java.util.ArrayList<>();
            settings.fields().forEachRemaining(entry -> flags.add("-D" + entry.getKey() + "=" + entry.getValue().asText()));
            System.out.println(String.join(" ", flags));
            return 0;
        }
    }
}
