package io.charrnn.examples.cli;

import io.charrnn.train.SampleSummary;
import io.charrnn.train.StepSummary;
import io.charrnn.train.TrainingListener;
import io.charrnn.train.ValidationSummary;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A training progress line on stderr, rewritten in place with a carriage return at most four
 * times a second: step, epoch, loss, smooth loss, characters per second, elapsed and remaining time.
 * Validation results, checkpoints and periodic samples get lines of their own above it.
 */
final class ProgressLine implements TrainingListener {
    private static final long INTERVAL_NANOS = 250_000_000L;

    private final PrintWriter err;
    private final long charsPerStep;
    private final long totalSteps; // or Long.MAX_VALUE
    private final Duration timeLimit; // or null
    private long lastPrint = Long.MIN_VALUE;
    private long lastStep;
    private Duration lastElapsed = Duration.ZERO;
    private double charsPerSecond = Double.NaN;
    private int width;
    private StepSummary latest;

    ProgressLine(PrintWriter err, long charsPerStep, long totalSteps, Duration timeLimit) {
        this.err = err;
        this.charsPerStep = charsPerStep;
        this.totalSteps = totalSteps;
        this.timeLimit = timeLimit;
    }

    @Override
    public void onStep(StepSummary s) {
        latest = s;
        long now = System.nanoTime();
        if (lastPrint != Long.MIN_VALUE && now - lastPrint < INTERVAL_NANOS && s.step() != totalSteps) {
            return;
        }
        long dtNanos = s.elapsed().minus(lastElapsed).toNanos();
        if (dtNanos > 0 && s.step() > lastStep) {
            charsPerSecond = (s.step() - lastStep) * (double) charsPerStep / (dtNanos / 1e9);
        }
        lastStep = s.step();
        lastElapsed = s.elapsed();
        lastPrint = now;
        print(s);
    }

    private void print(StepSummary s) {
        String eta = "";
        double elapsed = s.elapsed().toNanos() / 1e9;
        if (timeLimit != null) {
            eta = " eta " + clock(Math.max(0, timeLimit.toNanos() / 1e9 - elapsed));
        }
        if (totalSteps != Long.MAX_VALUE) {
            double bySteps = elapsed / s.step() * (totalSteps - s.step());
            double byTime = timeLimit == null ? Double.MAX_VALUE : timeLimit.toNanos() / 1e9 - elapsed;
            eta = " eta " + clock(Math.max(0, Math.min(bySteps, byTime)));
        }
        String steps = totalSteps == Long.MAX_VALUE ? Long.toString(s.step()) : s.step() + "/" + totalSteps;
        String line = String.format(Locale.ROOT, "step %s  epoch %d  loss %.4f  smooth %.4f  %s chars/s  %s%s",
                steps, s.epoch(), s.loss(), s.smoothLoss(), Double.isNaN(charsPerSecond) ? "-"
                        : String.format(Locale.ROOT, "%,.0f", charsPerSecond), clock(elapsed), eta);
        int pad = Math.max(0, width - line.length());
        width = line.length();
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
    }

    @Override
    public void onValidation(ValidationSummary v) {
        above(String.format(Locale.ROOT, "validation at step %d (epoch %d): %.4f nats/char, %.4f bits/char, "
                + "perplexity %.3f%s", v.step(), v.epoch(), v.loss(), v.bitsPerCharacter(), v.perplexity(),
                v.best() ? "  (best)" : ""));
    }

    @Override
    public void onCheckpoint(long step, java.nio.file.Path file) {
        above("checkpoint at step " + step + ": " + file);
    }

    @Override
    public void onSample(SampleSummary sample) {
        above("--- sample at step " + sample.step() + " ---\n" + sample.text() + "\n---");
    }

    /** Prints a line above the progress line, which is then drawn again. */
    private void above(String text) {
        err.print("\r" + " ".repeat(width) + "\r");
        err.println(text);
        width = 0;
        if (latest != null) {
            print(latest);
        }
        err.flush();
    }

    /** Prints the last step (if it was skipped) and ends the line. */
    void finish() {
        if (latest != null) {
            if (latest.step() != lastStep) {
                print(latest);
            }
            err.println();
            err.flush();
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
