package io.wshunt.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.util.BufferUtil;

/** The chat protocol in one place: what clients may send and what the server answers, as JSON text. */
public final class Protocol {
    public static final String BENCHMARK = "benchmark_test";
    public static final String CHAT = "chat_message";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Protocol() {
    }

    /** A message from a client, already checked. */
    public sealed interface Inbound permits Benchmark, Chat, Invalid {
    }

    /** A benchmark message; {@code id} is null when the client wants no ack. */
    public record Benchmark(JsonNode id) implements Inbound {
    }

    public record Chat(JsonNode content) implements Inbound {
    }

    public record Invalid(String reason) implements Inbound {
    }

    /**
     * Parses one text message as it came off the wire, UTF-8 bytes, in one streaming pass: only
     * {@code id} and {@code content} become trees, every other value is skipped (but still checked).
     */
    public static Inbound parse(ByteBuffer utf8) {
        String type = null;
        JsonNode id = null;
        JsonNode content = null;
        try (JsonParser parser = utf8.hasArray()
                ? JSON.createParser(utf8.array(), utf8.arrayOffset() + utf8.position(), utf8.remaining())
                : JSON.createParser(BufferUtil.toArray(utf8))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Invalid("a message must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "type" -> {
                        type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                        parser.skipChildren();
                    }
                    case "id" -> id = value == JsonToken.VALUE_NULL ? null : parser.readValueAsTree();
                    case "content" -> content = parser.readValueAsTree();
                    default -> parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            return new Invalid("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory failed", e);
        }
        if (type == null) {
            return new Invalid("missing \"type\"");
        }
        switch (type) {
            case BENCHMARK:
                return new Benchmark(id);
            case CHAT:
                return content == null ? new Invalid("chat_message needs a \"content\"") : new Chat(content);
            default:
                return new Invalid("unknown type \"" + type + "\"");
        }
    }

    public static String connected(String userId, long timestamp) {
        return write(object("connected").put("user_id", userId).put("timestamp", timestamp));
    }

    public static String ack(JsonNode id) {
        ObjectNode ack = object("ack");
        ack.set("id", id);
        return write(ack);
    }

    public static String message(String userId, JsonNode content, long timestamp) {
        ObjectNode message = object("message").put("user_id", userId);
        message.set("content", content);
        return write(message.put("timestamp", timestamp));
    }

    public static String error(String reason) {
        return write(object("error").put("reason", reason));
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value, e);
        }
    }

    private static ObjectNode object(String type) {
        return JSON.createObjectNode().put("type", type);
    }
}
