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

    static List<Step> read(Path log, String request, List<Integer> rates, int stepSeconds, ProcessSampler cpu) throws IOException {
        List<int[]> sends = new ArrayList<>(); // start, end, ok
        List<Object[]> errors = new ArrayList<>(); // at, message
        long runStart;
        try (SimulationLog in = new SimulationLog(log)) {
            runStart = in.header().start();
            for (SimulationLog.Entry entry = in.next(); entry != null; entry = in.next()) {
                if (entry.kind() == SimulationLog.REQUEST && entry.name().decode().equals(request)) {
                    sends.add(new int[] {entry.start(), entry.end(), entry.flag() ? 1 : 0});
                } else if (entry.kind() == SimulationLog.ERROR) {
                    errors.add(new Object[] {entry.start(), entry.message().decode()});
                }
            }
        }
        if (sends.isEmpty()) {
            throw new IOException(log + " holds no '" + request + "' request: the ladder sent nothing");
        }
        long first = sends.stream().mapToLong(send -> send[0]).min().orElseThrow();
        long stepMillis = stepSeconds * 1_000L;
        List<Step> steps = new ArrayList<>();
        for (int k = 0; k < rates.size(); k++) {
            long from = first + k * stepMillis;
            long judged = from + stepMillis / 2;
            long to = from + stepMillis;
            long sent = 0, ok = 0, failed = 0;
            Histogram millis = new Histogram(3_600_000L, 3);
            for (int[] send : sends) {
                if (send[0] < from || send[0] >= to) continue;
                if (send[2] == 0) failed++;
                if (send[0] >= judged) {
                    sent++;
                    if (send[2] == 1) ok++;
                    millis.recordValue(Math.max(0, Math.min(3_600_000L, send[1] - send[0])));
                }
            }
            Map<String, Long> stepErrors = new LinkedHashMap<>();
            for (Object[] error : errors) {
                long at = (int) error[0];
                if (at >= from && at < to) stepErrors.merge((String) error[1], 1L, Long::sum);
            }
            steps.add(new Step(rates.get(k), sent, ok, failed, millis.getValueAtPercentile(99), (to - judged) / 1000.0,
                    cpu.cpuPercent("server", runStart + judged, runStart + to), cpu.cpuPercent("injector", runStart + judged, runStart + to),
                    cpu.cpuPercent(ProcessSampler.MACHINE, runStart + judged, runStart + to), stepErrors, false));
        }
        return steps;
    }
}
