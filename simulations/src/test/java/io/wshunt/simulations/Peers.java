package io.wshunt.simulations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;

/**
 * The injectors of one run meeting in a folder they share (the runner's results folder, a compose
 * volume), for a server that gives no counters to wait on: each writes what its users have done
 * so far to a file of its own, and reads the sum of everyone's.
 */
final class Peers {
    static final String ARRIVED = "arrived";
    static final String CHAT_SENT = "chat_sent";

    private final Path dir;
    private final Path own;

    /** {@code firstUser} tells injectors apart: each starts its user ids at a different offset. */
    Peers(Path dir, int firstUser) {
        this.dir = dir;
        this.own = dir.resolve("users-from-" + firstUser + ".json");
    }

    /** Replaces this injector's file in one move, so that a reader never sees half of it. */
    void publish(long arrived, long chatSent) {
        try {
            Files.createDirectories(dir);
            Path next = Files.createTempFile(dir, "writing-", ".tmp");
            Json.MAPPER.writeValue(next.toFile(), Map.of(ARRIVED, arrived, CHAT_SENT, chatSent));
            Files.move(next, own, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + own + ", where the other injectors wait for this one", e);
        }
    }

    /** Every injector's counts summed, as far as each has written them. */
    Map<String, Long> summed() {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String counter : List.of(ARRIVED, CHAT_SENT)) sums.put(counter, 0L);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".json")).toList()) {
                JsonNode counts = Json.MAPPER.readTree(file.toFile());
                sums.replaceAll((counter, sum) -> sum + counts.path(counter).asLong());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the injectors' counts in " + dir, e);
        }
        return sums;
    }
}
