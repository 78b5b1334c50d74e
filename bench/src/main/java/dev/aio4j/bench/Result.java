package dev.aio4j.bench;

import java.util.Arrays;

/**
 * One cell of the report: the throughput of one subject (an aio4j backend, a
 * JVM peer, CPython asyncio or uvloop) on one workload, or why there is none.
 *
 * @param subject  the subject's name ({@code loom}, {@code peer:nio-selector}, {@code uvloop})
 * @param kind     {@code backend}, {@code peer} or {@code python}
 * @param workload the workload's id ({@code async_tree})
 * @param value    the figure, operations per second: the median run of short runs, JMH's score;
 *                 null when skipped
 * @param error    half the height of its error bar: the farthest run from the median, or JMH's
 *                 99.9% confidence half-width; null when unknown
 * @param best     the best run (equal to {@code value} for JMH)
 * @param runs     how many measured runs (JMH: forks times iterations)
 * @param skipped  why there is no figure (null when measured); "FAILED: ..." when it broke
 */
public record Result(String subject, String kind, String workload, Double value, Double error, Double best,
        int runs, String skipped) {

    /** A figure from repeated runs: the median, with the spread of the runs as its error. */
    static Result ofRuns(String subject, String kind, String workload, double[] opsPerSecond) {
        double[] r = opsPerSecond.clone();
        Arrays.sort(r);
        double median = r[r.length / 2];
        return ofSpread(subject, kind, workload, median, r[r.length - 1], r[0], r.length);
    }

    /** A figure known by its median, best and worst runs (the Python script gives these). */
    static Result ofSpread(String subject, String kind, String workload, double median, double best, double worst,
            int runs) {
        // Symmetric bars (the chart's kind) that reach the farthest run: a bar never hides a run.
        return new Result(subject, kind, workload, median, Math.max(best - median, median - worst), best, runs, null);
    }

    /** A cell with no figure, and why. */
    static Result skipped(String subject, String kind, String workload, String reason) {
        return new Result(subject, kind, workload, null, null, null, 0, reason);
    }

    /** Whether there is a figure. */
    public boolean ok() {
        return skipped == null && value != null;
    }

    /** Whether the cell is missing because something broke, rather than by choice or by design. */
    public boolean failed() {
        return skipped != null && skipped.startsWith("FAILED");
    }

    /** The error as a number (0 when unknown). */
    double errorOrZero() {
        return error == null || error.isNaN() ? 0 : error;
    }
}
