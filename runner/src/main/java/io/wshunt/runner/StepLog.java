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
 * what arrived and the p99 over its judged part (see {@link Reading}).
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

    /** What the log holds of a ladder: when the run started and its first send was (epoch), one request's sends, and every error. */
    private record Contents(long runStart, long firstSend, List<Send> sends, List<Integer> failuresToo, List<Error> errors) {
        static Contents of(Path log, String request, String failingToo) throws IOException {
            List<Send> sends = new ArrayList<>();
            List<Integer> failuresToo = new ArrayList<>();
            List<Error> errors = new ArrayList<>();
            try (SimulationLog in = new SimulationLog(log)) {
                long runStart = in.header().start();
                for (SimulationLog.Entry entry = in.next(); entry != null; entry = in.next()) {
                    if (entry.kind() == SimulationLog.REQUEST && entry.name().decode().equals(request)) {
                        sends.add(new Send(entry.start(), entry.end(), entry.flag()));
                    } else if (entry.kind() == SimulationLog.REQUEST && !entry.flag() && entry.name().decode().equals(failingToo)) {
                        failuresToo.add(entry.start());
                    } else if (entry.kind() == SimulationLog.ERROR) {
                        errors.add(new Error(entry.start(), entry.message().decode()));
                    }
                }
                long first = sends.stream().mapToLong(Send::start).min().orElse(0);
                return new Contents(runStart, runStart + first, sends, failuresToo, errors);
            }
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

    /**
     * How a path's steps are read: its request in the log; whether that request's time is the path's
     * latency; the share of a step left unjudged; and the servers' counters of what arrived and of
     * what they dropped (null: what arrived is the log's OKs; nothing dropped); and a second request
     * whose failures count against the step too (or null). A path read from the servers' counts also
     * fails a step on Gatling's errors in it.
     */
    record Reading(String request, boolean timed, double unjudged, String arrived, String dropped, String failingToo) {
        /** Acked messages: the round trip, judged over the second half of a step. */
        static final Reading ACKS = new Reading("ack", true, HALF, null, null, null);
        /**
         * Connects (the upgrade, timed from the user's arrival) and their welcome, judged over the
         * whole step: its users arrive evenly over it, with no pace of earlier users to wait out, and
         * its second half alone (a few seconds at 50,000 users) would read the injector's hiccups as
         * the rate. The welcome's own time is from the upgrade on, milliseconds even when users
         * waited seconds to connect: its failures count, its time does not stand for the connect's.
         */
        static final Reading CONNECTS = new Reading("connect", true, 0, null, null, "welcome");
        /** Fire-and-forget sends (Gatling records each as it leaves): what the servers counted, no latency. */
        static final Reading FIRE = new Reading("benchmark", false, HALF, "benchmark_messages", null, null);
        /**
         * Chat messages: the deliveries the servers wrote and dropped over the whole step (each message
         * is a burst of one delivery per user: half a step would cut bursts), the senders' echo.
         */
        static final Reading CHAT = new Reading("broadcast echo", true, 0, "deliveries", "deliveries_dropped", null);
    }

    /**
     * Each injector's ladder starts at its own first send of the request: injectors start seconds
     * apart, and one window for all would mix one injector's step with the next of another. Sends,
     * OKs, failures and the p99 are summed over the injectors' own windows; what the servers counted,
     * the CPU and the recordings are read over the earliest injector's.
     */
    static List<Step> read(List<Path> logs, Reading reading, ServerCounts counts, List<Integer> rates, int stepSeconds, ProcessSampler cpu,
                           FlightRecordings flight, long arrival) throws IOException {
        List<Contents> injectors = new ArrayList<>();
        for (Path log : logs) {
            Contents contents = Contents.of(log, reading.request(), reading.failingToo());
            if (!contents.sends().isEmpty()) injectors.add(contents);
        }
        if (injectors.isEmpty()) {
            throw new IOException(logs + " hold no '" + reading.request() + "' request: the ladder sent nothing");
        }
        long stepMillis = stepSeconds * 1_000L;
        long unjudgedMillis = (long) (stepMillis * reading.unjudged());
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
                failed += injector.failuresToo().stream().filter(at -> at >= from && at < to).count();
                injector.errorsBetween(from, to).forEach((message, count) -> errors.merge(message, count, Long::sum));
            }
            long from = earliest + k * stepMillis;
            long judged = from + unjudgedMillis;
            long to = from + stepMillis;
            if (reading.arrived() != null) {
                ok = counts.rise(reading.arrived(), judged, to);
                failed += errors.values().stream().mapToLong(Long::longValue).sum();
                if (reading.dropped() != null) {
                    failed += counts.rise(reading.dropped(), from, to);
                }
            }
            steps.add(new Step(rates.get(k), sent, ok, failed, reading.timed() ? millis.getValueAtPercentile(99) : Step.NOT_COUNTED, (to - judged) / 1000.0,
                    cpu.cpuPercent("server", judged, to), cpu.cpuPercent("injector", judged, to), cpu.cpuPercent(ProcessSampler.MACHINE, judged, to),
                    cpu.cpuPercent(RunMonitor.REDIS, judged, to), errors, false, flight.hottest(from, to), counts.fanOutMillis(from, to), arrival));
        }
        return steps;
    }
}
