package io.wshunt.runner.gate;

/**
 * One figure the gate judges and how: {@code higher} and {@code lower} are relative to the
 * baseline (throughput must not fall, latency must not rise, by more than {@code tolerance}),
 * {@code max} is an absolute ceiling (errors and loss: a baseline of 0 cannot be a ratio).
 */
public record Metric(String simulation, String name, String kind, double baseline, double tolerance) {
    public static final String HIGHER = "higher";
    public static final String LOWER = "lower";
    public static final String MAX = "max";

    /** The worst value that still passes. */
    public double limit() {
        return switch (kind) {
            case HIGHER -> baseline * (1 - tolerance);
            case LOWER -> baseline * (1 + tolerance);
            case MAX -> tolerance;
            default -> throw new IllegalArgumentException("unknown metric kind " + kind + " (higher, lower or max)");
        };
    }

    public boolean passes(double now) {
        return switch (kind) {
            case HIGHER -> now >= limit();
            case LOWER, MAX -> now <= limit();
            default -> false;
        };
    }

    public String id() {
        return simulation + "." + name;
    }
}
