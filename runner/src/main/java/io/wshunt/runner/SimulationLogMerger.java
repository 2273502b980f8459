package io.wshunt.runner;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

import io.wshunt.runner.SimulationLog.Entry;
import io.wshunt.runner.SimulationLog.Header;
import io.wshunt.runner.SimulationLog.Text;

/**
 * Merges the simulation.log files of several injectors into one, so that Gatling (which reads
 * exactly one log per report) can draw one report of the whole run: times are moved onto the
 * earliest start, records are interleaved in time order, scenarios are matched by name, strings
 * go through one new cache.
 */
final class SimulationLogMerger {
    private SimulationLogMerger() {
    }

    /** Writes the merged log and returns what it holds, for the summary. */
    static LogStats merge(List<Path> inputs, Path output) throws IOException {
        if (inputs.isEmpty()) {
            throw new IOException("no simulation.log to merge");
        }
        List<Header> headers = new ArrayList<>();
        for (Path input : inputs) {
            try (SimulationLog log = new SimulationLog(input)) {
                headers.add(log.header());
            }
        }
        Header first = headers.get(0);
        for (int i = 1; i < headers.size(); i++) {
            if (!headers.get(i).version().equals(first.version()) || !headers.get(i).simulationClass().equals(first.simulationClass())) {
                throw new IOException(inputs.get(i) + " comes from " + headers.get(i).simulationClass().decode() + " on Gatling "
                        + headers.get(i).version().decode() + ", " + inputs.get(0) + " from " + first.simulationClass().decode()
                        + " on " + first.version().decode() + ": only logs of one simulation and version merge");
            }
        }
        long start = headers.stream().mapToLong(Header::start).min().orElseThrow();
        List<Text> scenarios = new ArrayList<>();
        headers.forEach(header -> header.scenarios().stream().filter(s -> !scenarios.contains(s)).forEach(scenarios::add));

        LogStats stats = new LogStats(start);
        Files.createDirectories(output.getParent());
        List<SimulationLog> logs = new ArrayList<>();
        try (Writer writer = new Writer(output)) {
            writer.header(new Header(first.version(), first.simulationClass(), start, first.description(), scenarios, first.assertions()));
            // Records in time order across injectors: Gatling's report counts concurrent users on
            // the assumption that user records never go back in time.
            PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong(Head::time).thenComparingInt(Head::input));
            for (int i = 0; i < inputs.size(); i++) {
                logs.add(new SimulationLog(inputs.get(i)));
                int shift = (int) (headers.get(i).start() - start);
                int[] scenarioIndex = headers.get(i).scenarios().stream().mapToInt(scenarios::indexOf).toArray();
                Head.next(logs.get(i), i, shift, scenarioIndex).ifPresent(heads::add);
            }
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                writer.entry(head.entry());
                stats.add(head.entry());
                Head.next(logs.get(head.input()), head.input(), head.shift(), head.scenarioIndex()).ifPresent(heads::add);
            }
        } finally {
            for (SimulationLog log : logs) {
                log.close();
            }
        }
        for (int i = 0; i < logs.size(); i++) {
            Path input = inputs.get(i);
            logs.get(i).truncatedAt().ifPresent(offset -> stats.problems().add(input + " ends in a record cut short at byte " + offset
                    + " (its writer was stopped mid-write): the records before it are merged"));
        }
        return stats;
    }

    /** The next record of one input, moved onto the merged run's clock, and when Gatling wrote it. */
    private record Head(Entry entry, int input, int shift, int[] scenarioIndex) {
        static Optional<Head> next(SimulationLog log, int input, int shift, int[] scenarioIndex) throws IOException {
            Entry entry = log.next();
            if (entry == null) return Optional.empty();
            boolean timed = entry.kind() == SimulationLog.REQUEST || entry.kind() == SimulationLog.GROUP;
            Entry moved = new Entry(entry.kind(), entry.kind() == SimulationLog.USER ? scenarioIndex[entry.scenario()] : 0,
                    entry.flag(), entry.groups(), entry.name(), entry.start() + shift, timed ? entry.end() + shift : 0,
                    entry.cumulated(), entry.message());
            return Optional.of(new Head(moved, input, shift, scenarioIndex));
        }

        /** A request or group is written when it ends; a user or error record at its time. */
        long time() {
            return entry.kind() == SimulationLog.REQUEST || entry.kind() == SimulationLog.GROUP ? entry.end() : entry.start();
        }
    }

    /** Writes records the way Gatling's LogFileDataWriter does. */
    private static final class Writer implements AutoCloseable {
        private final DataOutputStream out;
        private final Map<Text, Integer> cache = new HashMap<>();

        Writer(Path file) throws IOException {
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        }

        void header(Header header) throws IOException {
            out.writeByte(SimulationLog.RUN);
            text(header.version());
            text(header.simulationClass());
            out.writeLong(header.start());
            text(header.description());
            out.writeInt(header.scenarios().size());
            for (Text scenario : header.scenarios()) {
                text(scenario);
            }
            out.writeInt(header.assertions().size());
            for (byte[] assertion : header.assertions()) {
                out.writeInt(assertion.length);
                out.write(assertion);
            }
        }

        void entry(Entry entry) throws IOException {
            out.writeByte(entry.kind());
            switch (entry.kind()) {
                case SimulationLog.USER -> {
                    out.writeInt(entry.scenario());
                    out.writeBoolean(entry.flag());
                    out.writeInt(entry.start());
                }
                case SimulationLog.REQUEST -> {
                    groups(entry.groups());
                    cachedText(entry.name());
                    out.writeInt(entry.start());
                    out.writeInt(entry.end());
                    out.writeBoolean(entry.flag());
                    cachedText(entry.message());
                }
                case SimulationLog.GROUP -> {
                    groups(entry.groups());
                    out.writeInt(entry.start());
                    out.writeInt(entry.end());
                    out.writeInt(entry.cumulated());
                    out.writeBoolean(entry.flag());
                }
                case SimulationLog.ERROR -> {
                    cachedText(entry.message());
                    out.writeInt(entry.start());
                }
                default -> throw new IOException("unknown record type " + entry.kind());
            }
        }

        private void groups(List<Text> groups) throws IOException {
            out.writeInt(groups.size());
            for (Text group : groups) {
                cachedText(group);
            }
        }

        /** Index 0 is never used: Gatling marks a cache hit by the negative index. */
        private void cachedText(Text text) throws IOException {
            Integer index = cache.get(text);
            if (index != null) {
                out.writeInt(-index);
            } else {
                index = cache.size() + 1;
                cache.put(text, index);
                out.writeInt(index);
                text(text);
            }
        }

        private void text(Text text) throws IOException {
            out.writeInt(text.value().length);
            if (text.value().length > 0) {
                out.write(text.value());
                out.writeByte(text.coder());
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
