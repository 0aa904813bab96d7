package io.charrnn.examples.cli;

import com.google.gson.JsonArray;
import io.charrnn.train.StepSummary;
import io.charrnn.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;

/** Splits {@code bench}'s timed steps into windows the way the Python peers do. */
final class BenchWindows implements TrainingListener {
    private final long warmupSteps;
    private final double windowSeconds;
    private final long charsPerStep;
    private final List<Double> cps = new ArrayList<>();
    private final List<Long> steps = new ArrayList<>();
    private long windowStartNanos;
    private long windowStartStep;
    private long lastNanos;
    private long lastStep;
    double lastLoss = Double.NaN;

    BenchWindows(long warmupSteps, double windowSeconds, long charsPerStep) {
        this.warmupSteps = warmupSteps;
        this.windowSeconds = windowSeconds;
        this.charsPerStep = charsPerStep;
    }

    @Override
    public void onStep(StepSummary s) {
        if (cps.size() == BenchRun.WINDOWS) {
            return;
        }
        lastLoss = s.loss();
        lastNanos = s.elapsed().toNanos();
        lastStep = s.step();
        if (s.step() <= warmupSteps) {
            windowStartNanos = lastNanos; // the timed part starts when the warm-up ends
            windowStartStep = lastStep;
            return;
        }
        double dt = (lastNanos - windowStartNanos) / 1e9;
        if (dt >= windowSeconds) {
            close(dt);
        }
    }

    private void close(double dt) {
        long n = lastStep - windowStartStep;
        cps.add(n * charsPerStep / dt);
        steps.add(n);
        windowStartNanos = lastNanos;
        windowStartStep = lastStep;
    }

    double[] charsPerSecond() {
        if (cps.size() < BenchRun.WINDOWS && lastStep > windowStartStep) {
            close((lastNanos - windowStartNanos) / 1e9); // the limit ended a window early
        }
        return cps.stream().mapToDouble(Double::doubleValue).toArray();
    }

    List<Long> steps() {
        return steps;
    }

    JsonArray stepsJson() {
        JsonArray a = new JsonArray();
        steps.forEach(a::add);
        return a;
    }
}
