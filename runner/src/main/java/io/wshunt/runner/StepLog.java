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
 * A ladder's steps read from its merged {@code simulation.log}: the steps start at the first send
 * of the paced request and follow each other every {@code stepSeconds}. Failures count over the
 * whole step; sends, OKs and the p99 over its second half, once every user keeps the step's pace.
 */
final class StepLog {
    private StepLog() {
    }

    /** One acked message: when it was sent and answered (milliseconds from the run's start), and whether the ack came. */
    private record Send(int start, int end, boolean ok) {
    }

    /** One of Gatling's error messages and when. */
    private record Error(int at, String message) {
    }

    static List<Step> read(Path log, String request, List<Integer> rates, int stepSeconds, ProcessSampler cpu) throws IOException {
        List<Send> sends = new ArrayList<>();
        List<Error> errors = new ArrayList<>();
        long runStart;
        try (SimulationLog in = new SimulationLog(log)) {
            runStart = in.header().start();
            for (SimulationLog.Entry entry = in.next(); entry != null; entry = in.next()) {
                if (entry.kind() == SimulationLog.REQUEST && entry.name().decode().equals(request)) {
                    sends.add(new Send(entry.start(), entry.end(), entry.flag()));
                } else if (entry.kind() == SimulationLog.ERROR) {
                    errors.add(new Error(entry.start(), entry.message().decode()));
                }
            }
        }
        if (sends.isEmpty()) {
            throw new IOException(log + " holds no '" + request + "' request: the ladder sent nothing");
        }
        long first = sends.stream().mapToLong(Send::start).min().orElseThrow();
        long stepMillis = stepSeconds * 1_000L;
        List<Step> steps = new ArrayList<>();
        for (int k = 0; k < rates.size(); k++) {
            long from = first + k * stepMillis;
            long judged = from + stepMillis / 2;
            long to = from + stepMillis;
            long sent = 0, ok = 0, failed = 0;
            Histogram millis = new Histogram(3_600_000L, 3);
            for (Send send : sends) {
                if (send.start() < from || send.start() >= to) continue;
                if (!send.ok()) failed++;
                if (send.start() >= judged) {
                    sent++;
                    if (send.ok()) ok++;
                    millis.recordValue(Math.max(0, Math.min(3_600_000L, send.end() - send.start())));
                }
            }
            Map<String, Long> stepErrors = new LinkedHashMap<>();
            for (Error error : errors) {
                if (error.at() >= from && error.at() < to) stepErrors.merge(error.message(), 1L, Long::sum);
            }
            steps.add(new Step(rates.get(k), sent, ok, failed, millis.getValueAtPercentile(99), (to - judged) / 1000.0,
                    cpu.cpuPercent("server", runStart + judged, runStart + to), cpu.cpuPercent("injector", runStart + judged, runStart + to),
                    cpu.cpuPercent(ProcessSampler.MACHINE, runStart + judged, runStart + to), stepErrors, false));
        }
        return steps;
    }
}
