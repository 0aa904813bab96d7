package io.charrnn.examples.cli;

import io.charrnn.train.TrainingControl;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM during {@code train} into a graceful stop: a shutdown hook
 * asks the run to stop after its current step through a {@link TrainingControl}, then holds the
 * JVM's exit until {@link #close()} says the checkpoint and the model are saved. The JVM then
 * exits with 128 + the signal number, the one rule for both: 130 for SIGINT, 143 for SIGTERM.
 *
 * <p>A second Ctrl-C while saving changes nothing: the JVM is already exiting and waits for this
 * hook. Saves are atomic, so even a kill -9 at that moment leaves every file whole.
 */
final class StopOnInterrupt implements AutoCloseable {
    /** Exit status of a run stopped by Ctrl-C, as a shell reports it (128 + SIGINT). */
    static final int EXIT_INTERRUPTED = 130;

    private final TrainingControl control;
    private final PrintWriter err;
    private final CountDownLatch saved = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean fired;

    private StopOnInterrupt(TrainingControl control, PrintWriter err) {
        this.control = control;
        this.err = err;
        this.hook = new Thread(this::onShutdown, "charrnn-stop-training");
    }

    /**
     * @param control the run's control
     * @param err where the notice goes
     * @return an installed handler; close it once everything is saved
     */
    static StopOnInterrupt install(TrainingControl control, PrintWriter err) {
        StopOnInterrupt s = new StopOnInterrupt(control, err);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    private void onShutdown() {
        fired = true;
        control.requestStop();
        // one write, so that the progress line (same writer, another thread) cannot land between
        // the line break and the notice: it did once, and the notice then began mid-line
        String nl = System.lineSeparator();
        err.print(nl + "charrnn: interrupted: finishing the current step, then saving a checkpoint and the model" + nl);
        err.flush();
        try {
            saved.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether the JVM is exiting because of a signal (and waits for {@link #close()}) */
    boolean fired() {
        return fired;
    }

    /** Everything is saved: lets a waiting exit go on, or removes the hook if none came. */
    @Override
    public void close() {
        saved.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already exiting: the hook has run or is running
        }
    }
}
