package io.wshunt.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * One injector's {@code <Simulation>-accounting.json}, bound to types: a missing, null or unknown
 * counter is an error, never a quiet zero that would switch a loss check off.
 */
@JsonIgnoreProperties({"server_before", "server_after", "server_memory", "derived", InjectorAccounting.CLUSTER_COUNTERS,
        InjectorAccounting.DELIVERIES_BY_SECOND}) // the runner counts at the servers itself
public record InjectorAccounting(String simulation, Mode settings, Counts injector) {
    /** Every server's counters summed at the injector's start and end: what a merge of injectors from elsewhere counts the servers by. */
    public static final String CLUSTER_COUNTERS = "cluster_counters";
    /**
     * Broadcasts this injector's users received in each second (epoch seconds of this machine's
     * clock, as strings, to counts): a ladder's steps count deliveries at the receivers from them
     * when the server gives no counters.
     */
    public static final String DELIVERIES_BY_SECOND = "deliveries_by_second";
    /** How an accounting file's name ends, after its simulation's name. */
    public static final String FILE_SUFFIX = "-accounting.json";

    /** Where an injector that writes to {@code dir} keeps its accounting of {@code simulation}. */
    public static Path file(Path dir, String simulation) {
        return dir.resolve(simulation + FILE_SUFFIX);
    }

    private static final ObjectMapper STRICT = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** What the injector was told that the runner judges by: the mode (every ack awaited, or none) and its paced rate. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Mode(String mode, @JsonProperty("enduranceRate") int enduranceRate) {
        public boolean acked() {
            return mode.equals("ack");
        }
    }

    /** What the injector's users sent and received; the injector writes it, the runner reads it. */
    public record Counts(long connected, long connectFailed, long benchmarkSent, long acksReceived, long chatSent, long echoesReceived,
                         long broadcastsReceived, double sendWindowS, double connectRatePerS, double deliveryRatePerS, Latency deliveryLatencyMs) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new Latency(0, 0, 0, 0, 0));

        /**
         * Two injectors' counts together. Injectors run side by side: their rates add up, their send
         * windows overlap (the longer one stands), and the delivery p99 kept is the worse one.
         */
        public Counts plus(Counts other) {
            Latency latency = other.deliveryLatencyMs.count() > 0 && other.deliveryLatencyMs.p99() > deliveryLatencyMs.p99()
                    ? other.deliveryLatencyMs : deliveryLatencyMs;
            return new Counts(connected + other.connected, connectFailed + other.connectFailed, benchmarkSent + other.benchmarkSent,
                    acksReceived + other.acksReceived, chatSent + other.chatSent, echoesReceived + other.echoesReceived,
                    broadcastsReceived + other.broadcastsReceived, Math.max(sendWindowS, other.sendWindowS),
                    connectRatePerS + other.connectRatePerS, deliveryRatePerS + other.deliveryRatePerS,
                    new Latency(deliveryLatencyMs.count() + other.deliveryLatencyMs.count(), latency.p50(), latency.p95(), latency.p99(),
                            Math.max(deliveryLatencyMs.max(), other.deliveryLatencyMs.max())));
        }
    }

    public record Latency(long count, long p50, long p95, long p99, long max) {
    }

    /**
     * Writes an injector's accounting: the typed parts as the runner reads them, then {@code forPeople}
     * (server counters, memory, the injector's own derived figures), which the runner does not read.
     */
    public static void write(Path file, String simulation, Object settings, Counts counts, Map<String, Object> forPeople) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("simulation", simulation);
        out.put("settings", new ObjectMapper().convertValue(settings, Map.class)); // the simulation's own names, as -D takes them
        out.put("injector", counts);
        out.putAll(forPeople);
        Files.createDirectories(file.toAbsolutePath().getParent());
        STRICT.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), out);
    }

    public static InjectorAccounting read(Path file) throws IOException {
        try {
            return STRICT.readValue(file.toFile(), InjectorAccounting.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not an accounting this runner can read: " + e.getOriginalMessage(), e);
        }
    }
}
