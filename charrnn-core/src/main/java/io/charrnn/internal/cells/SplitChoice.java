package io.charrnn.internal.cells;

/**
 * Whether a large sampling step runs split across two threads ({@link StepWorker}) or on the
 * calling thread alone, chosen by timing both on this machine as it is now. On a quiet machine the
 * split is faster; when another process holds the second core, a spinning helper makes three
 * runnable threads share two cores and the split is slower than one thread. Both give identical
 * results, so the choice only changes speed.
 *
 * <p>Steps run in the preferred mode; after {@code interval} of step time, the mean step time of
 * the last {@link #PROBE_NANOS} of the preferred mode is compared with that of {@link #PROBE_NANOS}
 * of the other (after {@link #SETTLE} steps to let the helper start or park). A stretch is
 * several of the scheduler's time slices long, so that a busy core shows in it as what it costs on
 * average. The other mode becomes the preferred one when its steps are faster by more than
 * {@link #MARGIN}, and the interval starts again at {@link #MIN_INTERVAL_NANOS}; otherwise the
 * interval doubles up to {@link #MAX_INTERVAL_NANOS}, so a choice that keeps winning spends under
 * 1 % of the time probing. A measurement only compares steps of the same number of rows; a step
 * with another number starts it again.
 *
 * <p>Not thread-safe: used by the thread that holds the {@link StepWorker} (whose lock orders the
 * uses).
 */
final class SplitChoice {
    static final long MIN_INTERVAL_NANOS = 200_000_000L;
    static final long MAX_INTERVAL_NANOS = 32 * MIN_INTERVAL_NANOS;
    static final long PROBE_NANOS = 20_000_000L;
    static final int SETTLE = 16;
    /** The other mode's mean step must take less than this fraction of the preferred mode's. */
    static final double MARGIN = 0.95;

    private static final int RUN = 0;
    private static final int BASE = 1;
    private static final int SETTLING = 2;
    private static final int PROBING = 3;

    private boolean split = true;
    private long interval = MIN_INTERVAL_NANOS;
    private long left = MIN_INTERVAL_NANOS;
    private int phase = RUN;
    private int rows;
    private int count;
    private long nanos;
    private int baseCount;
    private long baseNanos;

    /** @return whether the next step should be split */
    boolean split() {
        return phase >= SETTLING ? !split : split;
    }

    /** @return the mode steps run in between probes (tests) */
    boolean preferred() {
        return split;
    }

    /**
     * Records the step just run, in the mode {@link #split()} gave for it.
     *
     * @param stepNanos how long it took
     * @param stepRows how many rows it stepped
     */
    void record(long stepNanos, int stepRows) {
        if (phase != RUN && stepRows != rows) {
            phase = RUN; // another size of step: not comparable, measure again soon
            left = PROBE_NANOS;
            return;
        }
        switch (phase) {
            case RUN -> {
                left -= stepNanos;
                if (left <= 0) {
                    start(BASE, stepRows);
                }
            }
            case BASE -> {
                if (add(stepNanos)) {
                    baseCount = count;
                    baseNanos = nanos;
                    start(SETTLING, stepRows);
                }
            }
            case SETTLING -> {
                if (++count == SETTLE) {
                    start(PROBING, stepRows);
                }
            }
            default -> {
                if (add(stepNanos)) {
                    decide();
                }
            }
        }
    }

    private void start(int next, int stepRows) {
        phase = next;
        rows = stepRows;
        count = 0;
        nanos = 0;
    }

    /** @return whether the stretch is long enough */
    private boolean add(long stepNanos) {
        count++;
        nanos += stepNanos;
        return nanos >= PROBE_NANOS;
    }

    private void decide() {
        // mean probe step < MARGIN × mean base step
        if ((double) nanos * baseCount < MARGIN * baseNanos * count) {
            split = !split;
            interval = MIN_INTERVAL_NANOS;
        } else {
            interval = Math.min(2 * interval, MAX_INTERVAL_NANOS);
        }
        left = interval;
        phase = RUN;
    }
}
