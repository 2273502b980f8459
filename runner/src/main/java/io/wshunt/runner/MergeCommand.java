package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.wshunt.runner.process.ChildProcesses;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ci/run-suite.sh merge}: one report from {@code simulation.log} files gathered from
 * injectors on other machines, for runs that outgrow one machine.
 */
@Command(name = "run-suite.sh merge", mixinStandardHelpOptions = true,
        description = "Merges the simulation.log files of several Gatling injectors (one simulation, Gatling 3.15.1) into one log, in time order, and has Gatling draw one report from it.")
public final class MergeCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "folder of the report: <out>/report/index.html")
    Path out;
    @Parameters(arity = "1..*", paramLabel = "LOG", description = "simulation.log files, one per injector")
    List<Path> logs;
    @Option(names = "--classpath", hidden = true, defaultValue = "${sys:java.class.path}")
    String classpath;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MergeCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (Path log : logs) {
            if (!Files.isRegularFile(log)) {
                System.err.println("merge: no such file " + log);
                return 2;
            }
        }
        Files.createDirectories(out);
        MergedReport report;
        try (ChildProcesses children = new ChildProcesses()) {
            report = MergedReport.draw(children, classpath, out.toAbsolutePath(), logs);
        } catch (IOException e) {
            // A log that cannot be read says where (file and byte) in its message; a stack trace adds nothing for the user.
            System.err.println("merge: " + e.getMessage());
            return 1;
        }
        System.out.printf("Merged %d logs: %,d users, %,d requests%n", logs.size(), report.stats().usersStarted(), report.stats().allRequests());
        report.problems().forEach(problem -> System.out.println("problem: " + problem));
        if (report.index() != null) {
            System.out.println("Report: " + report.index());
        }
        return report.problems().isEmpty() ? 0 : 1;
    }
}
