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
 * A ladder's steps read from its merged {@code simulation.log}: the steps follow each other every
 * {@code stepSeconds} from the ladder's start. Failures count over the whole step; what was sent,
 * what arrived and the p99 over its second half, once every user keeps the step's pace.
 */
final class StepLog {
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

        /** The errors of one stretch (milliseconds from the run's start), counted by message. */
        Map<String, Long> errorsBetween(long from, long to) {
            Map<String, Long> counted = new LinkedHashMap<>();
            for (Error error : errors) {
                if (error.at() >= from && error.at() < to) counted.merge(error.message(), 1L, Long::sum);
            }
            return counted;
        }
    }

    /** Steps of a request that gets an answer (an ack, a welcome): the ladder starts at its first send, each step judged on its own sends. */
    static List<Step> read(Path log, String request, List<Integer> rates, int stepSeconds, ProcessSampler cpu) throws IOException {
        Contents contents = Contents.of(log, request);
        if (contents.sends().isEmpty()) {
            throw new IOException(log + " holds no '" + request + "' request: the ladder sent nothing");
        }
        long first = contents.sends().stream().mapToLong(Send::start).min().orElseThrow();
        long stepMillis = stepSeconds * 1_000L;
        List<Step> steps = new ArrayList<>();
        for (int k = 0; k < rates.size(); k++) {
            long from = first + k * stepMillis;
            long judged = from + stepMillis / 2;
            long to = from + stepMillis;
            long sent = 0, ok = 0, failed = 0;
            Histogram millis = new Histogram(3_600_000L, 3);
            for (Send send : contents.sends()) {
                if (send.start() < from || send.start() >= to) continue;
                if (!send.ok()) failed++;
                if (send.start() >= judged) {
                    sent++;
                    if (send.ok()) ok++;
                    millis.recordValue(Math.max(0, Math.min(3_600_000L, send.end() - send.start())));
                }
            }
            steps.add(step(rates.get(k), sent, ok, failed, millis.getValueAtPercentile(99), contents, from, judged, to, cpu));
        }
        return steps;
    }

    /**
     * Steps of messages nobody answers (fire): the ladder starts at the first send, what was sent is
     * counted from the log's sends (Gatling records each as it leaves), what arrived is what the
     * servers counted over each step's second half; a step fails on Gatling's errors in it. No latency.
     */
    static List<Step> readArrivals(Path log, String request, ServerCounts arrivals, List<Integer> rates, int stepSeconds, ProcessSampler cpu)
            throws IOException {
        Contents contents = Contents.of(log, request);
        if (contents.sends().isEmpty()) {
            throw new IOException(log + " holds no '" + request + "' request: the ladder sent nothing");
        }
        long first = contents.sends().stream().mapToLong(Send::start).min().orElseThrow();
        long stepMillis = stepSeconds * 1_000L;
        List<Step> steps = new ArrayList<>();
        for (int k = 0; k < rates.size(); k++) {
            long from = first + k * stepMillis;
            long judged = from + stepMillis / 2;
            long to = from + stepMillis;
            long sent = contents.sends().stream().filter(send -> send.start() >= judged && send.start() < to).count();
            long failed = contents.sends().stream().filter(send -> !send.ok() && send.start() >= from && send.start() < to).count()
                    + contents.errorsBetween(from, to).values().stream().mapToLong(Long::longValue).sum();
            // A stretch the servers' readings do not cover counts as nothing arrived: the run ended, or the servers stopped answering.
            long arrived = arrivals.at(contents.runStart() + to).orElse(-1) - arrivals.at(contents.runStart() + judged).orElse(0);
            steps.add(step(rates.get(k), sent, Math.max(0, arrived), failed, Step.NOT_COUNTED, contents, from, judged, to, cpu));
        }
        return steps;
    }

    private static Step step(int rate, long sent, long ok, long failed, long p99Millis, Contents contents, long from, long judged, long to,
                             ProcessSampler cpu) {
        long runStart = contents.runStart();
        return new Step(rate, sent, ok, failed, p99Millis, (to - judged) / 1000.0,
                cpu.cpuPercent("server", runStart + judged, runStart + to), cpu.cpuPercent("injector", runStart + judged, runStart + to),
                cpu.cpuPercent(ProcessSampler.MACHINE, runStart + judged, runStart + to), contents.errorsBetween(from, to), false);
    }
}
