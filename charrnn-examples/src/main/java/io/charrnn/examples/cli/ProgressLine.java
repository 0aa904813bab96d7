package io.charrnn.examples.cli;

import io.charrnn.train.SampleSummary;
import io.charrnn.train.StepSummary;
import io.charrnn.train.TrainingListener;
import io.charrnn.train.ValidationSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Training progress on stderr: step, passes over the text, loss, smooth loss, learning rate,
 * characters per second, elapsed time and, when the run has an end (steps, epochs or minutes), the
 * time remaining. On a terminal it is one line rewritten in place with a carriage return at most
 * four times a second; otherwise (a log file, a pipe) it is a plain line every ten seconds, from
 * the first step to the last. Validation results, checkpoints and periodic samples get lines of
 * their own.
 */
final class ProgressLine implements TrainingListener {
    private static final long LIVE_INTERVAL_NANOS = 250_000_000L;
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final PrintWriter err;
    private final boolean live;
    private final long charsPerStep;
    private final long totalSteps; // or Long.MAX_VALUE
    private final int totalEpochs; // or Integer.MAX_VALUE
    private final Duration timeLimit; // or null
    private long lastPrint = Long.MIN_VALUE;
    private long lastStep;
    private Duration lastElapsed = Duration.ZERO;
    private double charsPerSecond = Double.NaN;
    private int width;
    private StepSummary first;
    private StepSummary latest;

    /**
     * @param err where progress goes
     * @param live rewrite one line in place (a terminal) rather than print plain lines (a log)
     * @param charsPerStep characters of one step, for the rate
     * @param totalSteps the step the run ends at, or {@code Long.MAX_VALUE}
     * @param totalEpochs the passes the run ends after, or {@code Integer.MAX_VALUE}
     * @param timeLimit the run's time limit, or null
     */
    ProgressLine(PrintWriter err, boolean live, long charsPerStep, long totalSteps, int totalEpochs,
                 Duration timeLimit) {
        this.err = err;
        this.live = live;
        this.charsPerStep = charsPerStep;
        this.totalSteps = totalSteps;
        this.totalEpochs = totalEpochs;
        this.timeLimit = timeLimit;
    }

    /**
     * Whether this process's standard error is a terminal, as {@code test -t 2} tells (Java 17's
     * {@code System.console()} only looks at standard input and output). On Windows, where there is
     * no {@code sh}, it falls back to {@code System.console()}.
     *
     * @return true for a terminal; false for a file, a pipe, or when it cannot be told
     */
    static boolean stderrIsTerminal() {
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return System.console() != null;
        }
        try {
            Process test = new ProcessBuilder("sh", "-c", "test -t 2")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            test.getOutputStream().close();
            return test.waitFor(5, TimeUnit.SECONDS) && test.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void onStep(StepSummary s) {
        if (first == null) {
            first = s;
        }
        latest = s;
        long now = System.nanoTime();
        boolean last = s.step() == totalSteps || s.epoch() >= totalEpochs;
        if (lastPrint != Long.MIN_VALUE && now - lastPrint < (live ? LIVE_INTERVAL_NANOS : LOG_INTERVAL_NANOS)
                && !last) {
            return;
        }
        lastPrint = now;
        print(s);
    }

    private void print(StepSummary s) {
        long dtNanos = s.elapsed().minus(lastElapsed).toNanos();
        if (dtNanos > 0 && s.step() > lastStep && lastStep > 0) {
            charsPerSecond = (s.step() - lastStep) * (double) charsPerStep / (dtNanos / 1e9);
        } else if (lastStep == 0) {
            charsPerSecond = s.charactersPerSecond();
        }
        lastStep = s.step();
        lastElapsed = s.elapsed();
        double elapsed = s.elapsed().toNanos() / 1e9;
        double passes = s.epoch() + s.epochProgress();
        String steps = totalSteps == Long.MAX_VALUE ? Long.toString(s.step()) : s.step() + "/" + totalSteps;
        String epochs = String.format(Locale.ROOT, "%.2f", passes)
                + (totalEpochs == Integer.MAX_VALUE ? "" : "/" + totalEpochs);
        double remaining = remainingSeconds(s, elapsed, passes);
        String line = String.format(Locale.ROOT,
                "step %s  epoch %s  loss %.4f  smooth %.4f  lr %.3g  %s chars/s  %s%s",
                steps, epochs, s.loss(), s.smoothLoss(), s.learningRate(),
                Double.isNaN(charsPerSecond) ? "-" : String.format(Locale.ROOT, "%,.0f", charsPerSecond),
                clock(elapsed), Double.isNaN(remaining) ? "" : " eta " + clock(remaining));
        if (live) {
            int pad = Math.max(0, width - line.length());
            width = line.length();
            err.print("\r" + line + " ".repeat(pad));
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** @return the seconds left by the nearest of the run's limits, or NaN when none can be told yet */
    private double remainingSeconds(StepSummary s, double elapsed, double passes) {
        long stepsThisRun = s.step() - first.step() + 1;
        double perStep = elapsed / stepsThisRun;
        double remaining = Double.NaN;
        if (timeLimit != null) {
            remaining = Math.max(0, timeLimit.toNanos() / 1e9 - elapsed);
        }
        if (totalSteps != Long.MAX_VALUE) {
            remaining = min(remaining, perStep * Math.max(0, totalSteps - s.step()));
        }
        double firstPasses = first.epoch() + first.epochProgress();
        if (totalEpochs != Integer.MAX_VALUE && s.step() > first.step() && passes > firstPasses) {
            double passesPerStep = (passes - firstPasses) / (s.step() - first.step());
            remaining = min(remaining, perStep * Math.max(0, totalEpochs - passes) / passesPerStep);
        }
        return remaining;
    }

    private static double min(double a, double b) {
        return Double.isNaN(a) ? b : Math.min(a, b);
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

    /** Prints a line above the live progress line, which is then drawn again; in a log, just the line. */
    private void above(String text) {
        if (!live) {
            err.println(text);
            err.flush();
            return;
        }
        err.print("\r" + " ".repeat(width) + "\r");
        err.println(text);
        width = 0;
        if (latest != null) {
            print(latest);
        }
        err.flush();
    }

    /** Prints the last step (if it was skipped) and ends the live line. */
    void finish() {
        if (latest != null) {
            if (latest.step() != lastStep) {
                print(latest);
            }
            if (live) {
                err.println();
            }
            err.flush();
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
