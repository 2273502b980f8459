package io.wshunt.runner;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Server addresses given as one name for all the servers: a Compose service with replicas, a
 * Kubernetes headless Service. Such a name resolves to one address per server; each URL with it
 * becomes one URL per address, in the same order for every injector. Replicas register with DNS
 * as they start, so the name is resolved again until it gives as many addresses as servers
 * expected, bounded in time.
 */
final class ServerAddresses {
    /** What a host name resolves to; the system's DNS in a run, a fixed answer in a test. */
    interface Resolver {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    static final Resolver DNS = InetAddress::getAllByName;

    private ServerAddresses() {
    }

    /** Every URL, its host replaced by each of the {@code servers} addresses it resolves to. */
    static List<String> expand(List<String> urls, int servers, Resolver resolver, Duration within) {
        List<String> expanded = new ArrayList<>();
        for (String url : urls) {
            URI uri = URI.create(url);
            for (String address : addresses(uri.getHost(), servers, resolver, within)) {
                expanded.add(withHost(uri, address));
            }
        }
        return expanded;
    }

    private static List<String> addresses(String host, int servers, Resolver resolver, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> found = List.of();
        while (true) {
            try {
                found = Arrays.stream(resolver.all(host)).map(InetAddress::getHostAddress).distinct().sorted().toList();
            } catch (UnknownHostException notYet) {
                found = List.of();
            }
            if (found.size() > servers) {
                throw new IllegalArgumentException(host + " resolves to " + found.size() + " addresses " + found + ", more than the "
                        + servers + " servers expected");
            }
            if (found.size() == servers) return found;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(host + " resolved to " + found.size() + " of the " + servers + " servers expected " + found
                        + " within " + within.toSeconds() + " s");
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
    }

    private static String withHost(URI uri, String address) {
        try {
            return new URI(uri.getScheme(), uri.getUserInfo(), address, uri.getPort(), uri.getPath(), uri.getQuery(), uri.getFragment()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot put " + address + " in " + uri, e);
        }
    }
}
