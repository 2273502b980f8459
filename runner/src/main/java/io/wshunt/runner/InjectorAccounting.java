package io.wshunt.runner;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * One injector's {@code <Simulation>-accounting.json}, bound to types: a missing, null or unknown
 * counter is an error, never a quiet zero that would switch a loss check off.
 */
@JsonIgnoreProperties({"server_before", "server_after", "server_memory", "derived"}) // for people; the runner counts at the servers itself
record InjectorAccounting(String simulation, Mode settings, Counts injector) {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** What the injector was told that the runner judges by: the mode (every ack awaited, or none) and its paced rate. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Mode(String mode, @JsonProperty("enduranceRate") int enduranceRate) {
        boolean acked() {
            return mode.equals("ack");
        }
    }

    /** What the injector's users sent and received. */
    record Counts(long connected, long connectFailed, long benchmarkSent, long acksReceived, long chatSent, long echoesReceived,
                  long broadcastsReceived, double sendWindowS, double connectRatePerS, double deliveryRatePerS, Latency deliveryLatencyMs) {
    }

    record Latency(long count, long p50, long p95, long p99, long max) {
    }

    static InjectorAccounting read(Path file) throws IOException {
        try {
            return STRICT.readValue(file.toFile(), InjectorAccounting.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not an accounting this runner can read: " + e.getOriginalMessage(), e);
        }
    }
}
