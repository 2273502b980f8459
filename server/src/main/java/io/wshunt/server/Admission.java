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
        if (maxPerAddress > 0) {
            String address = Request.getRemoteAddr(request);
            AtomicInteger held = perAddress.get(address);
            if (held != null && held.get() >= maxPerAddress) {
                return Optional.of(new Refusal(HttpStatus.SERVICE_UNAVAILABLE_503, address + " holds --max-connections-per-address " + maxPerAddress));
            }
        }
        return Optional.empty();
    }

    /**
     * The address a connection is counted under, or null when no cap needs it: without
     * {@code --max-connections-per-address} a connection keeps no address.
     */
    String addressToCount(Request request) {
        return maxPerAddress > 0 ? Request.getRemoteAddr(request) : null;
    }

    /** A connection from {@code address} (from {@link #addressToCount}) opened. */
    void opened(String address) {
        if (address != null) {
            perAddress.computeIfAbsent(address, key -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** A connection from {@code address} closed; an address with none left is forgotten. */
    void closed(String address) {
        if (address != null) {
            perAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }
}
