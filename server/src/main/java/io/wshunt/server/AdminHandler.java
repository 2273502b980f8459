package io.wshunt.server;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /health} and {@code GET /stats}: this process's state as JSON, on the admin connector
 * only; on any other connector they do not exist (404).
 */
final class AdminHandler extends Handler.Abstract.NonBlocking {
    private final String nodeId;
    private final ServerStats stats;
    /** The only connector that serves them; null: none does. */
    private final Connector adminConnector;

    AdminHandler(String nodeId, ServerStats stats, Connector adminConnector) {
        this.nodeId = nodeId;
        this.stats = stats;
        this.adminConnector = adminConnector;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (adminConnector == null || request.getConnectionMetaData().getConnector() != adminConnector) {
            return false;
        }
        String path = Request.getPathInContext(request);
        Map<String, Object> body;
        if (path.equals("/health")) {
            body = identity();
            body.put("status", "ok");
            body.put("connections", stats.connections());
            // This server's clock, for injectors on other machines to measure their offset against (NTP-style).
            Instant now = Instant.now();
            body.put("time_us", now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
        } else if (path.equals("/stats")) {
            body = identity();
            body.putAll(stats.snapshot());
        } else {
            return false;
        }
        if (!HttpMethod.GET.is(request.getMethod())) {
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, Protocol.write(body) + "\n", callback);
        return true;
    }

    private Map<String, Object> identity() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node_id", nodeId);
        body.put("pid", ProcessHandle.current().pid());
        return body;
    }
}
