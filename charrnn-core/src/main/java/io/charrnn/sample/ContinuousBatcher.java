package io.charrnn.sample;

import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.RnnStepper;
import io.charrnn.internal.cells.StepperWeights;
import io.charrnn.internal.check.Check;
import io.charrnn.model.RnnModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous batching: the generations that many threads run at once from one model step together,
 * as one batched step over all their rows, so that each step reads the weights once for every
 * row instead of once per thread. Give it to the samplers with {@link Sampler.Builder#batcher}:
 *
 * <pre>{@code
 * try (ContinuousBatcher batcher = ContinuousBatcher.builder(model).rows(64).build()) {
 *     Sampler sampler = Sampler.builder(model).strategy(SamplingStrategy.temperature(0.8))
 *             .batcher(batcher).build();
 *     // from any number of threads:
 *     Sample s = sampler.generate(options, new SplittableRandom(seed), sink);
 * }
 * }</pre>
 *
 * <p>Each generation keeps its own strategy, RNG, stop conditions, length and sink, and gives
 * exactly the text it would give alone for the same RNG state: a row's arithmetic does not depend
 * on the other rows. Generations join the batch and leave it between steps. One dedicated thread
 * (named {@code charrnn-batcher}) runs the steps, and ends when there has been nothing to step for a
 * second, or on {@link #close()}. A generation that runs code of the caller's (a
 * {@link CharacterSink}, a stop predicate, a strategy or transform of its own) or draws from a
 * random generator other than a {@link java.util.SplittableRandom}, a {@link java.util.Random} or
 * one of the {@code jdk.random} generators runs that code on the calling thread, which takes a turn
 * after every step; for any other (the library's strategies, no sink), the batcher's thread runs
 * the same strategy on the same RNG itself, and the calling thread only waits for the end of the
 * text: no hand-off per character. A generation that is alone runs on its calling thread with no
 * hand-off at all, exactly as without a batcher, and moves into the batch when a second one
 * arrives (and back out when it is the last).
 *
 * <p>A row whose thread takes long over its character (a slow sink, a slow strategy) does not hold
 * the others up: when the other rows have been ready for longer than the last step took (at least
 * a millisecond), its state is moved out of the batch and it rejoins when it is ready. A thread
 * interrupted while it generates ends its text at the next character ({@link Sample.Ending#CANCELLED},
 * with the interrupt flag still set).
 *
 * <p>At most {@link #rows()} generations step together and at most {@link #queue()} more wait to
 * join; a generation beyond that is refused at once with {@link RejectedExecutionException}.
 * Thread-safe.
 */
public final class ContinuousBatcher implements AutoCloseable {
    /** The most rows one batch steps. */
    public static final int MAX_ROWS = Sampler.MAX_BATCH;
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RnnModel model;
    final StepperWeights weights;
    private final int rows;
    private final int queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition(); // rows to step, or closed
    private final Condition posted = lock.newCondition(); // pending reached 0
    // guarded by lock
    private final ArrayDeque<Generation> joining = new ArrayDeque<>();
    private final Generation[] active;
    private int count; // rows of the batch: active[0, count)
    private int pending; // rows whose owners have the turn
    private int inside; // generations in this batcher: alone, joining or in the batch
    private Generation lone;
    private int mostRows; // the most rows one step has stepped, for tests
    private Thread stepper;
    private volatile boolean wanted; // the lone generation should join the batch
    private volatile boolean closed;
    // the stepping thread's own
    private RnnStepper batch;
    private RnnStepper zero;
    private final int[] codes;
    private final boolean[] want;
    private float[][] logits;

    private ContinuousBatcher(RnnModel model, int rows, int queue) {
        this.model = model;
        this.weights = ModelAccess.engine(model).stepperWeights();
        this.rows = rows;
        this.queue = queue;
        this.active = new Generation[rows];
        this.codes = new int[rows];
        this.want = new boolean[rows];
    }

    /**
     * @param model a bound (trained or loaded) model: the one the samplers that use it sample from
     * @return a builder: 64 rows, a queue of 256
     * @throws IllegalArgumentException if the model has no vocabulary and weights yet
     */
    public static Builder builder(RnnModel model) {
        Objects.requireNonNull(model, "model");
        Check.bound(model.isBound(), "batch");
        return new Builder(model);
    }

    /** @return the model whose generations this batcher steps */
    public RnnModel model() {
        return model;
    }

    /** @return the most generations that step together */
    public int rows() {
        return rows;
    }

    /** @return the most generations that wait to join when {@link #rows()} step */
    public int queue() {
        return queue;
    }

    /**
     * Refuses new generations, ends those under way at their next character (their texts end
     * {@link Sample.Ending#CANCELLED}) and returns when the stepping thread has ended. Idempotent.
     */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            wanted = true;
            work.signalAll();
            t = stepper;
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return the most rows one step has stepped so far */
    int mostRows() {
        lock.lock();
        try {
            return mostRows;
        } finally {
            lock.unlock();
        }
    }

    boolean closing() {
        return closed;
    }

    boolean wantsLoneRow() {
        return wanted;
    }

    /** Runs {@code g} to its end, alone or in the batch; on the calling thread, which owns {@code g}. */
    void run(Generation g) {
        boolean alone;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this batcher is closed");
            }
            if (inside >= rows + queue) {
                throw new RejectedExecutionException("the batcher is full: " + rows + " generations step together and "
                        + queue + " wait to join; try again later");
            }
            inside++;
            alone = lone == null && count == 0 && joining.isEmpty();
            if (alone) {
                lone = g;
            } else {
                enqueue(g);
            }
        } finally {
            lock.unlock();
        }
        try {
            while (alone ? !runAlone(g) : !runInBatch(g)) {
                alone = !alone;
            }
        } finally {
            g.restoreInterrupt();
        }
    }

    /** @return whether the text ended; false when it joined the batch instead */
    private boolean runAlone(Generation g) {
        boolean ended = true; // also when the strategy or the sink throws
        try {
            ended = g.runAlone(this);
        } finally {
            lock.lock();
            try {
                lone = null;
                wanted = closed;
                if (ended || closed) {
                    if (!ended) {
                        g.row.cancel();
                    }
                    inside--;
                    ended = true;
                    if (!joining.isEmpty()) {
                        work.signal();
                    }
                } else {
                    enqueue(g);
                }
            } finally {
                lock.unlock();
            }
        }
        return ended;
    }

    /** @return whether the text ended; false when the batch sent it out to run alone */
    private boolean runInBatch(Generation g) {
        while (true) {
            int phase;
            while ((phase = g.phase) != Generation.TURN && phase != Generation.ALONE && phase != Generation.FAILED
                    && phase != Generation.DONE) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    g.interrupted();
                    lock.lock();
                    try {
                        if (joining.remove(g)) {
                            g.row.cancel();
                            inside--;
                            return true;
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            }
            if (phase == Generation.ALONE) {
                return false;
            }
            if (phase == Generation.FAILED) {
                throw new IllegalStateException("the batched step failed: " + g.failure, g.failure);
            }
            if (phase == Generation.DONE) { // the batcher's thread ended it
                Throwable t = g.failure;
                if (t instanceof RuntimeException e) {
                    throw e; // the strategy's own exception, as on the calling thread
                }
                if (t instanceof Error e) {
                    throw e;
                }
                return true;
            }
            boolean goOn = false;
            try {
                goOn = g.consume(closed);
            } finally {
                post(g, goOn);
            }
            if (!goOn) {
                return true;
            }
        }
    }

    /** The owner of {@code g} is done with its turn. */
    private void post(Generation g, boolean goOn) {
        lock.lock();
        try {
            if (!goOn) {
                g.finished = true;
                inside--;
            }
            if (g.evicted) {
                g.evicted = false;
                if (goOn) {
                    enqueue(g);
                }
            } else {
                g.phase = Generation.WAITING;
                if (--pending == 0) {
                    posted.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code g} to the queue of generations that join at the next step; the caller holds the lock. */
    private void enqueue(Generation g) {
        g.phase = Generation.QUEUED;
        joining.add(g);
        if (lone != null) {
            wanted = true;
        }
        if (stepper == null) {
            stepper = new Thread(this::steps, "charrnn-batcher");
            stepper.setDaemon(true);
            stepper.start();
        } else {
            work.signal();
        }
    }

    /** The stepping thread. */
    private void steps() {
        long stepNanos = 0;
        List<Thread> wake = new ArrayList<>(rows);
        try {
            while (true) {
                int n;
                lock.lock();
                try {
                    awaitTurns(stepNanos);
                    compact();
                    if (!admit()) {
                        return;
                    }
                    n = count;
                    for (int r = 0; r < n; r++) {
                        codes[r] = active[r].nextInput();
                        want[r] = active[r].wantsLogits();
                    }
                } finally {
                    lock.unlock();
                }
                long t0 = System.nanoTime();
                batch.step(codes, logits, n);
                stepNanos = System.nanoTime() - t0;
                lock.lock();
                try {
                    mostRows = Math.max(mostRows, n);
                    for (int r = 0; r < n; r++) {
                        Generation g = active[r];
                        g.fedOne();
                        if (want[r]) {
                            System.arraycopy(logits[r], 0, g.logits, 0, g.logits.length);
                            if (!g.inline) {
                                g.phase = Generation.TURN;
                                pending++;
                                wake.add(g.owner);
                            } else if (!consumeHere(g)) {
                                g.finished = true;
                                inside--;
                                g.phase = Generation.DONE;
                                wake.add(g.owner);
                            }
                        }
                    }
                } finally {
                    lock.unlock();
                }
                for (Thread t : wake) {
                    LockSupport.unpark(t);
                }
                wake.clear();
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /**
     * Picks an {@link Generation#inline} generation's next character on this thread, as its owner
     * would; the caller holds the lock.
     *
     * @return whether it goes on; false when it ended, or its strategy threw (in {@code g.failure})
     */
    private boolean consumeHere(Generation g) {
        try {
            return g.consume(closed);
        } catch (RuntimeException | Error e) {
            g.failure = e;
            return false;
        }
    }

    /**
     * Waits until every owner has taken its turn, moving out of the batch the rows whose owners take
     * longer than {@code max(stepNanos, 1 ms)} after the last of the others.
     */
    private void awaitTurns(long stepNanos) throws InterruptedException {
        long lag = Math.max(stepNanos, MIN_LAG_NANOS);
        long left = lag;
        int before = pending;
        while (pending > 0) {
            if (left <= 0) {
                for (int r = 0; r < count; r++) {
                    Generation g = active[r];
                    if (g.phase == Generation.TURN && !g.evicted) {
                        saveState(g, r);
                        g.evicted = true;
                        pending--;
                    }
                }
                return;
            }
            left = posted.awaitNanos(left);
            if (pending < before) { // someone posted: give the rest a full lag again
                before = pending;
                left = lag;
            }
        }
    }

    /** Drops the finished and evicted rows, moving the last rows into their places. */
    private void compact() {
        for (int r = count - 1; r >= 0; r--) {
            Generation g = active[r];
            if (g.finished || g.evicted) {
                int last = --count;
                if (r != last) {
                    batch.copyRow(batch, last, r);
                    active[r] = active[last];
                }
                active[last] = null;
            }
        }
    }

    /**
     * Lets queued generations in, sends a last lone row out to run alone, and waits while there
     * is nothing to step.
     *
     * @return false when the stepping thread should end
     */
    private boolean admit() throws InterruptedException {
        long idle = KEEP_ALIVE_NANOS;
        while (true) {
            while (count < rows && !joining.isEmpty()) {
                Generation g = joining.poll();
                if (batch == null) {
                    batch = new RnnStepper(weights, rows);
                    zero = new RnnStepper(weights, 1);
                    logits = new float[rows][weights.vocabularySize()];
                }
                batch.copyRow(g.own != null ? g.own : zero, 0, count);
                active[count++] = g;
                g.phase = Generation.WAITING;
            }
            if (count == 1 && joining.isEmpty() && lone == null && !closed) {
                Generation g = active[0];
                saveState(g, 0);
                active[0] = null;
                count = 0;
                lone = g;
                wanted = closed;
                g.phase = Generation.ALONE;
                LockSupport.unpark(g.owner);
            }
            if (count > 0) {
                return true;
            }
            if (closed || idle <= 0) {
                stepper = null;
                batch = null; // the memory goes with the thread; a new one allocates again
                zero = null;
                logits = null;
                return false;
            }
            idle = work.awaitNanos(idle);
        }
    }

    private void saveState(Generation g, int r) {
        if (g.own == null) {
            g.own = new RnnStepper(weights, 1);
        }
        g.own.copyRow(batch, r, 0);
    }

    /** The step threw: every generation in the batch or its queue fails with it. */
    private void fail(Throwable t) {
        lock.lock();
        try {
            List<Generation> failed = new ArrayList<>(joining);
            for (int r = 0; r < count; r++) {
                failed.add(active[r]);
                active[r] = null;
            }
            joining.clear();
            for (Generation g : failed) {
                g.failure = t;
                g.phase = Generation.FAILED;
                LockSupport.unpark(g.owner);
                inside--;
            }
            count = 0;
            pending = 0;
            stepper = null;
            batch = null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ContinuousBatcher[rows=" + rows + ", queue=" + queue + ", " + model + "]";
    }

    /** Gathers a batcher's settings. Mutable and single-threaded. */
    public static final class Builder {
        private final RnnModel model;
        private int rows = 64;
        private int queue = 256;

        private Builder(RnnModel model) {
            this.model = model;
        }

        /**
         * @param rows the most generations that step together, 1 to {@value #MAX_ROWS} (default 64)
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder rows(int rows) {
            this.rows = Check.inRange("rows", rows, 1, MAX_ROWS);
            return this;
        }

        /**
         * @param queue the most generations that wait to join while {@code rows} step, 0 to 100,000
         *     (default 256); a generation beyond that is refused
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder queue(int queue) {
            this.queue = Check.inRange("queue", queue, 0, 100_000);
            return this;
        }

        /** @return the batcher; its stepping thread starts when two generations run at once */
        public ContinuousBatcher build() {
            return new ContinuousBatcher(model, rows, queue);
        }
    }
}
