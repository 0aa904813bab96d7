package io.charrnn.internal.cells;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One process-wide helper thread that takes the second half of a sampling step
 * ({@link RnnStepper}) so that two cores share the matrix-vector products of one character, and
 * the second half of the rows of a large gated training step's element-wise work
 * ({@link NdGatedKernel}; there it parks after each part, see {@link #run(Job, long)}).
 *
 * <p>A step is far too short for an executor: at H = 512 the whole character takes tens of µs, about
 * what a {@code ForkJoinPool} or {@code LockSupport.unpark} hand-off alone costs. So the helper
 * spins ({@link Thread#onSpinWait()}) on a volatile sequence number and picks a job up within a
 * fraction of a µs (figures: docs/engine.md). It spins for at most
 * {@link #SPIN_NANOS} after its last job and then parks, so it costs nothing when nobody samples.
 *
 * <p>Robust to a busy machine: each job has two parts, the caller does part 0 and then tries to
 * claim part 1 itself ({@link AtomicInteger#compareAndSet}); the helper only does part 1 if it
 * claims it first. So a helper that is parked, or not scheduled because other processes hold the
 * cores, never holds the caller up by more than the part it has actually started. When the helper
 * does hold the caller up (it lost its core in the middle of a part, by more than
 * {@link #STALL_SLACK_NANOS} beyond the caller's own part), the caller runs jobs alone for the next
 * {@link #MIN_BACKOFF} jobs, doubling on each further stall up to {@link #MAX_BACKOFF} and halving
 * on each job the helper shares on time, so a busy machine costs little more than one thread.
 *
 * <p>One caller at a time: a stepper takes the helper with {@link #tryAcquire()} for one step and
 * falls back to doing both parts itself when another thread holds it.
 */
final class StepWorker {
    /** How long the helper spins after a job before it parks. */
    static final long SPIN_NANOS = 200_000;

    /** A job of two parts, 0 and 1, that may run at the same time on two threads. */
    interface Job {
        void part(int part);
    }

    /** A wait for the helper longer than the caller's own part plus this is a stall. */
    static final long STALL_SLACK_NANOS = 50_000;
    static final int MIN_BACKOFF = 64;
    static final int MAX_BACKOFF = 1 << 16;

    private static volatile StepWorker shared;

    private final ReentrantLock owner = new ReentrantLock();
    private final AtomicInteger claimed = new AtomicInteger();
    private final Thread thread;
    private volatile int posted;
    private volatile int finished;
    private volatile boolean parked;
    private volatile Job job;
    private volatile long spin = SPIN_NANOS;
    private volatile Throwable failure;
    // owned by the thread holding the lock
    private int skip;
    private int backoff = MIN_BACKOFF;

    private StepWorker() {
        thread = new Thread(this::loop, "charrnn-step-worker");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the process's helper, started on first use */
    static StepWorker shared() {
        StepWorker w = shared;
        if (w == null) {
            synchronized (StepWorker.class) {
                w = shared;
                if (w == null) {
                    w = new StepWorker();
                    shared = w;
                }
            }
        }
        return w;
    }

    /** @return whether the calling thread now holds the helper (release it with {@link #release()}) */
    boolean tryAcquire() {
        return owner.tryLock();
    }

    void release() {
        owner.unlock();
    }

    /**
     * Runs both parts of {@code j}, part 1 on the helper if it picks it up first, and returns when
     * both are done. The caller must hold the helper.
     */
    void run(Job j) {
        run(j, SPIN_NANOS);
    }

    /**
     * As {@link #run(Job)}, with the helper spinning for at most {@code spinAfter} ns after this job
     * before it parks: 0 when the caller goes on with work that wants both cores (a BLAS product in
     * the training kernels), which a spinning helper would take one of.
     */
    void run(Job j, long spinAfter) {
        if (skip > 0) {
            skip--;
            j.part(0);
            j.part(1);
            return;
        }
        job = j;
        spin = spinAfter;
        int seq = posted + 1;
        posted = seq; // publishes the job and everything the caller wrote before
        if (parked) {
            LockSupport.unpark(thread);
        }
        long t0 = System.nanoTime();
        j.part(0);
        long t1 = System.nanoTime();
        if (claimed.compareAndSet(seq - 1, seq)) {
            j.part(1); // the helper has not started it: do it here
            return;
        }
        while (finished != seq) {
            Thread.onSpinWait();
        }
        if (System.nanoTime() - t1 > t1 - t0 + STALL_SLACK_NANOS) {
            // the helper lost its core mid-part (other processes): run alone for a while
            skip = backoff;
            backoff = Math.min(2 * backoff, MAX_BACKOFF);
        } else {
            backoff = Math.max(MIN_BACKOFF, backoff / 2);
        }
        Throwable t = failure;
        if (t != null) {
            failure = null;
            throw new IllegalStateException("the step helper thread failed", t);
        }
    }

    private void loop() {
        int seen = 0;
        while (true) {
            long idleSince = System.nanoTime();
            int spins = 0;
            int seq;
            while ((seq = posted) == seen) {
                if (++spins % 256 == 0 && System.nanoTime() - idleSince > spin) {
                    parked = true;
                    if (posted == seen) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                } else {
                    Thread.onSpinWait();
                }
            }
            seen = seq;
            if (claimed.compareAndSet(seq - 1, seq)) {
                try {
                    job.part(1);
                } catch (Throwable t) {
                    failure = t;
                }
                finished = seq;
            }
        }
    }
}
