package io.wshunt.runner.page;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wshunt.runner.gate.Figures;

/**
 * The runs so far, one JSON line each ({@code runs/history.jsonl} by default): when, which
 * commit, passed or not, and the figures a baseline can hold, so that the run page can draw trends.
 */
public final class RunHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunHistory() {
    }

    /** Appends this run's line and returns every line, oldest first. */
    public static List<JsonNode> append(Path file, JsonNode summary, String commit, boolean passed) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("commit", commit);
        line.put("passed", passed);
        line.put("figures", Figures.of(summary));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<JsonNode> lines = new ArrayList<>();
        for (String text : Files.readAllLines(file)) {
            if (!text.isBlank()) lines.add(JSON.readTree(text));
        }
        return lines;
    }
}
