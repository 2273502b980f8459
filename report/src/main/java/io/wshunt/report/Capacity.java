package io.wshunt.report;

/** The limit finder's part of {@code summary.json} ({@code capacity.<path>}), as its writer and the run page both read it. */
public final class Capacity {
    /** {@code limited_by} of a path the finder could not measure: a failure of the run, never a capacity. */
    public static final String NOT_MEASURED = "not_measured";

    private Capacity() {
    }
}
