package io.wshunt.runner.gate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The regression gate against a checked-in baseline:
 * <pre>
 *   gate compare --summary runs/X/summary.json --baseline results/linux-2core.json [--markdown table.md]
 *   gate update-baseline --summary runs/X/summary.json --baseline results/linux-2core.json
 * </pre>
 * Exits 1 on a regression, 2 on a usage error.
 */
public final class Gate {
    private Gate() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("Usage: gate compare|update-baseline --summary FILE --baseline FILE [--markdown FILE] [--profile NAME]");
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Path summaryFile = null;
        Path baselineFile = null;
        Path markdown = null;
        String profile = null;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                System.err.println("gate: " + args[i] + " needs a value");
                return 2;
            }
            switch (args[i]) {
                case "--summary" -> summaryFile = Path.of(args[i + 1]);
                case "--baseline" -> baselineFile = Path.of(args[i + 1]);
                case "--markdown" -> markdown = Path.of(args[i + 1]);
                case "--profile" -> profile = args[i + 1];
                default -> {
                    System.err.println("gate: unknown option " + args[i]);
                    return 2;
                }
            }
        }
        if (summaryFile == null || baselineFile == null) {
            System.err.println("gate: --summary and --baseline are both needed");
            return 2;
        }
        JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
        switch (command) {
            case "update-baseline" -> {
                String name = profile != null ? profile : baselineFile.getFileName().toString().replaceFirst("\\.json$", "");
                Baseline.update(baselineFile, summary, name);
                System.out.println("Baseline " + baselineFile + " rewritten from " + summaryFile + "; review and commit it.");
                return 0;
            }
            case "compare" -> {
                List<Metric> baseline = Baseline.read(baselineFile);
                Comparison comparison = Comparison.of(baseline, Figures.of(summary));
                System.out.print(comparison.table());
                if (markdown != null) {
                    Files.writeString(markdown, comparison.markdown("wshunt against " + baselineFile.getFileName()));
                }
                return comparison.passes() ? 0 : 1;
            }
            default -> {
                System.err.println("gate: unknown command " + command + " (compare or update-baseline)");
                return 2;
            }
        }
    }
}
