package io.wshunt.server;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Deliberate regressions, so that the gate can be shown to catch each path's: real CPU work and
 * heap allocation per acked message, per broadcast delivery and per connect, and memory held for
 * as long as a connection is open. Written as {@code PATH.KIND=AMOUNT,...}, for example
 * {@code ack.cpu=1200,delivery.alloc=64,idle.bytes=900}: cpu in CPU nanoseconds of the calling
 * thread, alloc and bytes in bytes.
 */
final class InjectedRegression {
    /** The paths a regression can be put on, as the gate names them. */
    enum Path { ACK, DELIVERY, CONNECT }

    /** What one unit of a path pays on top of its real work. */
    static final class Cost {
        static final Cost NONE = new Cost(CpuWork.none(), 0);

        private final CpuWork cpu;
        private final int allocBytes;

        private Cost(CpuWork cpu, int allocBytes) {
            this.cpu = cpu;
            this.allocBytes = allocBytes;
        }

        boolean isNone() {
            return cpu.isNone() && allocBytes == 0;
        }

        /**
         * Does the work and returns the allocation, which the caller keeps in a field of its own
         * so that the JIT cannot prove it unused and leave it out (a field of the caller's, not a
         * shared one, so that threads do not contend for it).
         */
        byte[] pay() {
            if (!cpu.isNone()) {
                cpu.run();
            }
            return allocBytes > 0 ? new byte[allocBytes] : null;
        }
    }

    static final InjectedRegression NONE = new InjectedRegression(new EnumMap<>(Path.class), 0);

    private final Map<Path, Cost> costs;
    private final int idleBytes;

    private InjectedRegression(Map<Path, Cost> costs, int idleBytes) {
        this.costs = costs;
        this.idleBytes = idleBytes;
    }

    /** A spec read and checked, before any CPU work is calibrated. */
    record Amounts(Map<Path, Long> cpuNanos, Map<Path, Integer> allocBytes, int idleBytes) {
    }

    /** Builds the regressions of a spec, calibrating each CPU work (about 0.3 s of CPU each). */
    static InjectedRegression of(String spec) {
        Amounts amounts = read(spec);
        Map<Path, Cost> costs = new EnumMap<>(Path.class);
        for (Path path : Path.values()) {
            CpuWork cpu = CpuWork.ofNanos(amounts.cpuNanos().getOrDefault(path, 0L));
            int bytes = amounts.allocBytes().getOrDefault(path, 0);
            costs.put(path, cpu.isNone() && bytes == 0 ? Cost.NONE : new Cost(cpu, bytes));
        }
        return new InjectedRegression(costs, amounts.idleBytes());
    }

    /** Reads a spec; throws {@link IllegalArgumentException} with a message fit for the user. */
    static Amounts read(String spec) {
        Map<Path, Long> nanos = new EnumMap<>(Path.class);
        Map<Path, Integer> alloc = new EnumMap<>(Path.class);
        int idle = 0;
        for (String item : spec.split(",")) {
            if (item.isBlank()) continue;
            String[] keyValue = item.trim().split("=", 2);
            String[] pathKind = keyValue[0].split("\\.", 2);
            if (keyValue.length != 2 || pathKind.length != 2) {
                throw new IllegalArgumentException("--inject takes PATH.KIND=AMOUNT items, not '" + item.trim() + "'");
            }
            long amount = amount(item.trim(), keyValue[1]);
            String path = pathKind[0].trim().toLowerCase(Locale.ROOT);
            String kind = pathKind[1].trim().toLowerCase(Locale.ROOT);
            if (path.equals("idle") && kind.equals("bytes")) {
                idle = (int) amount;
                continue;
            }
            Path known = switch (path) {
                case "ack" -> Path.ACK;
                case "delivery" -> Path.DELIVERY;
                case "connect" -> Path.CONNECT;
                default -> throw new IllegalArgumentException("--inject knows the paths ack, delivery, connect and idle, not '" + path + "'");
            };
            switch (kind) {
                case "cpu" -> nanos.put(known, amount);
                case "alloc" -> alloc.put(known, (int) amount);
                default -> throw new IllegalArgumentException("--inject knows " + path + ".cpu and " + path + ".alloc, not '" + kind + "'");
            }
        }
        return new Amounts(nanos, alloc, idle);
    }

    private static long amount(String item, String raw) {
        try {
            long value = Long.parseLong(raw.trim());
            if (value < 0 || value > 100_000_000) {
                throw new IllegalArgumentException("--inject amounts are 0 to 100,000,000, not " + value + " in '" + item + "'");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--inject takes whole numbers, not '" + raw.trim() + "' in '" + item + "'");
        }
    }

    Cost cost(Path path) {
        return costs.getOrDefault(path, Cost.NONE);
    }

    /** Memory each connection holds while it is open, or null. */
    byte[] heldPerConnection() {
        return idleBytes > 0 ? new byte[idleBytes] : null;
    }
}
