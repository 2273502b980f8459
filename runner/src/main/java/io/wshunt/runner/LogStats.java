package io.wshunt.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/** Counts and response-time percentiles per request name, read from a (merged) simulation.log. */
final class LogStats {
    /** One request name's figures. */
    static final class Request {
        long ok;
        long ko;
        final Histogram millis = new Histogram(3_600_000L, 3);

        Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", ok);
            out.put("ko", ko);
            out.put("p50_ms", millis.getValueAtPercentile(50));
            out.put("p95_ms", millis.getValueAtPercentile(95));
            out.put("p99_ms", millis.getValueAtPercentile(99));
            out.put("max_ms", millis.getMaxValue());
            return out;
        }
    }

    private final long start;
    private final Map<String, Request> requests = new TreeMap<>();
    /** What was wrong with the logs read, in words (a record cut short, for one). */
    private final List<String> problems = new ArrayList<>();
    private long usersStarted;
    private long usersEnded;
    private long errors;
    private int lastEventMillis;

    LogStats(long start) {
        this.start = start;
    }

    List<String> problems() {
        return problems;
    }

    void add(SimulationLog.Entry entry) {
        switch (entry.kind()) {
            case SimulationLog.USER -> {
                if (entry.flag()) usersStarted++; else usersEnded++;
                lastEventMillis = Math.max(lastEventMillis, entry.start());
            }
            case SimulationLog.REQUEST -> {
                Request request = requests.computeIfAbsent(entry.name().decode(), name -> new Request());
                if (entry.flag()) request.ok++; else request.ko++;
                request.millis.recordValue(Math.max(0, Math.min(3_600_000L, entry.end() - entry.start())));
                lastEventMillis = Math.max(lastEventMillis, entry.end());
            }
            case SimulationLog.ERROR -> errors++;
            default -> { }
        }
    }

    long usersStarted() {
        return usersStarted;
    }

    long requests(String name, boolean ok) {
        Request request = requests.get(name);
        return request == null ? 0 : ok ? request.ok : request.ko;
    }

    long allRequests() {
        return requests.values().stream().mapToLong(request -> request.ok + request.ko).sum();
    }

    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_start_epoch_ms", start);
        out.put("duration_ms", lastEventMillis);
        out.put("users_started", usersStarted);
        out.put("users_ended", usersEnded);
        out.put("errors", errors);
        out.put("requests", requestFigures());
        return out;
    }

    /** Per request name: OK and KO counts and response-time percentiles. */
    Map<String, Object> requestFigures() {
        Map<String, Object> byName = new LinkedHashMap<>();
        requests.forEach((name, request) -> byName.put(name, request.toMap()));
        return byName;
    }
}
