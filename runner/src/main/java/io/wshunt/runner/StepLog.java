package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.wshunt.runner.limit.Step;
import org.HdrHistogram.Histogram;

/**
 * A ladder's steps read from its injectors' {@code simulation.log}s: the steps follow each other every
 * {@code stepSeconds} from the ladder's start. Failures count over the whole step; what was sent,
 * what arrived and the p99 over its second half, once every user keeps the step's pace (connects:
 * over the whole step).
 */
final class StepLog {
    /** The share of a paced step left unjudged: its first half, while every user takes up the step's pace. */
    private static final double HALF = 0.5;

    private StepLog() {
    }

    /** One request: when it was sent and answered (milliseconds from the run's start), and whether the answer came. */
    private record Send(int start, int end, boolean ok) {
    }

    /** One of Gatling's error messages and when. */
    private record Error(int at, String message) {
    }

    /** What the log holds of a ladder: when the run started (epoch), one request's sends, and every error. */
    private record Contents(long runStart, List<Send> sends, List<Error> errors) {
        static Contents of(Path log, String request) throws IOException {
            List<Send> sends = new ArrayList<>();
            List<Error> errors = new ArrayList<>();
            try (SimulationLog in = new SimulationLog(log)) {
                long runStart = in.header().start();
                for (SimulationLog.Entry entry = in.next(); entry != null; entry = in.next()) {
                    if (entry.kind() == SimulationLog.REQUEST && entry.name().decode().equals(request)) {
                        sends.add(new Send(entry.start(), entry.end(), entry.flag()));
                    } else if (entry.kind() == SimulationLog.ERROR) {
                        errors.add(new Error(entry.start(), entry.message().decode()));
                    }
                }
                return new Contents(runStart, sends, errors);
            }
        }

        /** When the first send was (epoch milliseconds). */
        long firstSend() {
            return runStart + sends.stream().mapToLong(Send::start).min().orElseThrow();
        }

        /** The errors of one stretch (milliseconds from the run's start), counted by message. */
        Map<String, Long> errorsBetween(long from, long to) {
            Map<String, Long> counted = new LinkedHashMap<>();
            for (Error error : errors) {
                if (error.at() >= from && error.at() < to) counted.merge(error.message(), 1L, Long::sum);
            }
            return counted;
        }
    }

    /** Steps of a request that gets an answer (an ack): the ladder starts at its first send, each step judged on its own sends. */
    static List<Step> read(List<Path> logs, String request, List<Integer> rates, int stepSeconds, ProcessSampler cpu, FlightRecordings flight)
            throws IOException {
        return steps(logs, request, true, null, rates, stepSeconds, HALF, cpu, flight);
    }

    /**
     * Steps of connects and their welcome, judged over the whole step: each step's users arrive
     * evenly over it, with no pace of earlier users to wait out, and its second half alone (a
     * few seconds at 50,000 users) would read the injector's hiccups as the rate.
     */
    static List<Step> readConnects(List<Path> logs, String request, List<Integer> rates, int stepSeconds, ProcessSampler cpu, FlightRecordings flight)
            throws IOException {
        return steps(logs, request, true, null, rates, stepSeconds, 0, cpu, flight);
    }

    /**
     * What the servers counted of a path: what arrived, and what they dropped of it (a slow
     * consumer's deliveries; null when nothing is dropped). A step of such a path also fails on
     * Gatling's errors in it.
     */
    record Arrivals(ServerCounts counts, String arrived, String dropped) {
    }

    /**
     * Steps of fire-and-forget messages: what arrived is what the servers counted over each step's
     * second half, and a step also fails on Gatling's errors in it. No latency.
     */
    static List<Step> readArrivals(List<Path> logs, String request, Arrivals arrivals, List<Integer> rates, int stepSeconds, ProcessSampler cpu,
                                   FlightRecordings flight) throws IOException {
        return steps(logs, request, false, arrivals, rates, stepSeconds, HALF, cpu, flight);
    }

    /**
     * Steps of chat messages: the deliveries the servers wrote and dropped over the whole step (each
     * message is a burst of one delivery per user: half a step would cut bursts), the p99 of the
     * senders' echo.
     */
    static List<Step> readDeliveries(List<Path> logs, String request, Arrivals arrivals, List<Integer> rates, int stepSeconds, ProcessSampler cpu,
                                     FlightRecordings flight) throws IOException {
        return steps(logs, request, true, arrivals, rates, stepSeconds, 0, cpu, flight);
    }

    /**
     * Each injector's ladder starts at its own first send of the request: injectors start seconds
     * apart, and one window for all would mix one injector's step with the next of another. Sends,
     * OKs, failures and the p99 are summed over the injectors' own windows; what the servers counted,
     * the CPU and the recordings are read over the earliest injector's.
     */
    private static List<Step> steps(List<Path> logs, String request, boolean timed, Arrivals arrivals, List<Integer> rates, int stepSeconds,
                                    double unjudged, ProcessSampler cpu, FlightRecordings flight) throws IOException {
        List<Contents> injectors = new ArrayList<>();
        for (Path log : logs) {
            Contents contents = Contents.of(log, request);
            if (!contents.sends().isEmpty()) injectors.add(contents);
        }
        if (injectors.isEmpty()) {
            throw new IOException(logs + " hold no '" + request + "' request: the ladder sent nothing");
        }
        long stepMillis = stepSeconds * 1_000L;
        long unjudgedMillis = (long) (stepMillis * unjudged);
        long earliest = injectors.stream().mapToLong(Contents::firstSend).min().orElseThrow();
        List<Step> steps = new ArrayList<>();
        for (int k = 0; k < rates.size(); k++) {
            long sent = 0, ok = 0, failed = 0;
            Histogram millis = new Histogram(3_600_000L, 3);
            Map<String, Long> errors = new LinkedHashMap<>();
            for (Contents injector : injectors) {
                // Milliseconds from this injector's run start, as its log holds them.
                long from = injector.firstSend() - injector.runStart() + k * stepMillis;
                long judged = from + unjudgedMillis;
                long to = from + stepMillis;
                for (Send send : injector.sends()) {
                    if (send.start() < from || send.start() >= to) continue;
                    if (!send.ok()) failed++;
                    if (send.start() >= judged) {
                        sent++;
                        if (send.ok()) ok++;
                        millis.recordValue(Math.max(0, Math.min(3_600_000L, send.end() - send.start())));
                    }
                }
                injector.errorsBetween(from, to).forEach((message, count) -> errors.merge(message, count, Long::sum));
            }
            long from = earliest + k * stepMillis;
            long judged = from + unjudgedMillis;
            long to = from + stepMillis;
            if (arrivals != null) {
                ok = arrivals.counts().rise(arrivals.arrived(), judged, to);
                failed += errors.values().stream().mapToLong(Long::longValue).sum();
                if (arrivals.dropped() != null) {
                    failed += arrivals.counts().rise(arrivals.dropped(), from, to);
                }
            }
            steps.add(new Step(rates.get(k), sent, ok, failed, timed ? millis.getValueAtPercentile(99) : Step.NOT_COUNTED, (to - judged) / 1000.0,
                    cpu.cpuPercent("server", judged, to), cpu.cpuPercent("injector", judged, to), cpu.cpuPercent(ProcessSampler.MACHINE, judged, to),
                    errors, false, flight.hottest(from, to)));
        }
        return steps;
    }
}
