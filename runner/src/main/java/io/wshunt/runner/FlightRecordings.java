package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a ladder's step: the flight recordings (JFR, in the JDK) of one server and
 * one injector, their execution samples of the step's judged seconds, counted by the method on top
 * of each stack. Each JVM of the limit finder records into one folder; a recording's name carries
 * the pid ({@code hotspot-pid-<pid>-...jfr}) and is written when the JVM exits.
 */
final class FlightRecordings {
    /** The methods shown per process, the busiest first. */
    static final int TOP = 8;

    /** One recorded sample: when, and the method on top of its stack. */
    private record Sample(long epochMillis, String method) {
    }

    private final Map<String, List<Sample>> samples;

    private FlightRecordings(Map<String, List<Sample>> samples) {
        this.samples = samples;
    }

    /** No recording: steps get no hot methods. */
    static final FlightRecordings NONE = new FlightRecordings(Map.of());

    /** The JVM flag that makes a JVM record into {@code dir}, with JFR's profile settings (a sample of the running threads every 10 ms). */
    static String jvmFlag(Path dir) {
        return "-XX:StartFlightRecording:filename=" + dir.toAbsolutePath() + "/,settings=profile";
    }

    /** The recordings of the processes named, by pid, in {@code dir}; a process whose recording is missing is left out. */
    static FlightRecordings read(Path dir, Map<String, Long> pids) throws IOException {
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return NONE;
        }
        for (Map.Entry<String, Long> process : pids.entrySet()) {
            Path recording;
            try (Stream<Path> files = Files.list(dir)) {
                recording = files.filter(file -> file.getFileName().toString().startsWith("hotspot-pid-" + process.getValue() + "-")).findFirst().orElse(null);
            }
            if (recording == null) continue;
            samples.put(process.getKey(), executionSamples(recording));
        }
        return new FlightRecordings(samples);
    }

    /** The recording's execution samples, read one event at a time: a recording holds many other events. */
    private static List<Sample> executionSamples(Path recording) throws IOException {
        List<Sample> read = new ArrayList<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                        || event.getStackTrace().getFrames().isEmpty()) continue;
                RecordedFrame top = event.getStackTrace().getFrames().get(0);
                read.add(new Sample(event.getStartTime().toEpochMilli(), top.getMethod().getType().getName() + "." + top.getMethod().getName()));
            }
        }
        return read;
    }

    /**
     * Per process, how many samples fell between two instants, then its busiest methods there, each
     * with its share of them: "412 samples", "31% sun.nio.ch.SocketDispatcher.write0", ...
     */
    Map<String, List<String>> hottest(long fromEpochMillis, long toEpochMillis) {
        Map<String, List<String>> hottest = new LinkedHashMap<>();
        samples.forEach((process, all) -> {
            Map<String, Long> counted = new LinkedHashMap<>();
            long total = 0;
            for (Sample sample : all) {
                if (sample.epochMillis() >= fromEpochMillis && sample.epochMillis() < toEpochMillis) {
                    counted.merge(sample.method(), 1L, Long::sum);
                    total++;
                }
            }
            long samplesInAll = total;
            if (samplesInAll > 0) {
                List<String> methods = new ArrayList<>();
                methods.add(samplesInAll + " samples");
                counted.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(TOP)
                        .forEach(entry -> methods.add(String.format("%.0f%% %s", 100.0 * entry.getValue() / samplesInAll, entry.getKey())));
                hottest.put(process, methods);
            }
        });
        return hottest;
    }
}
