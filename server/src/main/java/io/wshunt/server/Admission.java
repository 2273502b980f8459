package io.wshunt.server;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;

/**
 * Who may open a WebSocket: at most {@code --max-connections} in all and
 * {@code --max-connections-per-address} from one address (0: no cap), and only from the
 * {@code --allowed-origins} when a browser says where it comes from (empty: any). A refused
 * upgrade gets an HTTP error whose reason names the cap, and is counted.
 */
final class Admission {
    /** Why an upgrade is refused: the HTTP status and the words for the client. */
    record Refusal(int status, String reason) {
    }

    private final int maxConnections;
    private final int maxPerAddress;
    private final List<String> allowedOrigins;
    private final ServerStats stats;
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    Admission(ServerSettings settings, ServerStats stats) {
        this.maxConnections = settings.maxConnections();
        this.maxPerAddress = settings.maxConnectionsPerAddress();
        this.allowedOrigins = settings.allowedOrigins();
        this.stats = stats;
    }

    /** Empty when the upgrade may go ahead; else the refusal, already counted. */
    Optional<Refusal> check(Request request) {
        Optional<Refusal> refusal = refusal(request);
        refusal.ifPresent(refused -> stats.refusedConnections.increment());
        return refusal;
    }

    private Optional<Refusal> refusal(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (!allowedOrigins.isEmpty() && origin != null && !allowedOrigins.contains(origin)) {
            return Optional.of(new Refusal(HttpStatus.FORBIDDEN_403, "origin " + origin + " is not in --allowed-origins"));
        }
        if (maxConnections > 0 && stats.connections() >= maxConnections) {
            return Optional.of(new Refusal(HttpStatus.SERVICE_UNAVAILABLE_503, "the server holds --max-connections " + maxConnections));
        }
        String address = Request.getRemoteAddr(request);
        if (maxPerAddress > 0 && perAddress.getOrDefault(address, new AtomicInteger()).get() >= maxPerAddress) {
            return Optional.of(new Refusal(HttpStatus.SERVICE_UNAVAILABLE_503,
                    address + " holds --max-connections-per-address " + maxPerAddress));
        }
        return Optional.empty();
    }

    /** A connection from {@code address} opened. */
    void opened(String address) {
        if (maxPerAddress > 0) {
            perAddress.computeIfAbsent(address, key -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** A connection from {@code address} closed; an address with none left is forgotten. */
    void closed(String address) {
        if (maxPerAddress > 0) {
            perAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }
}
