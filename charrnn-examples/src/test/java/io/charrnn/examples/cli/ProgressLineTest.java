package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.train.StepSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    /** Step {@code n} of a run with ten steps per epoch, one second each. */
    private static StepSummary step(long n) {
        return new StepSummary(n, (int) (n / 10), n % 10 / 10.0, 2.5, 3.0, 1.0, 2e-3, 1000,
                Duration.ofSeconds(n));
    }

    @Test
    void log_getsPlainLines_fromTheFirstStepToTheLast() {
        StringWriter text = new StringWriter();
        ProgressLine progress = new ProgressLine(new PrintWriter(text), false, 100, 100, Integer.MAX_VALUE, null);
        for (long n = 1; n <= 100; n++) {
            progress.onStep(step(n));
        }
        progress.finish();

        String log = text.toString();
        assertFalse(log.contains("\r") || log.contains("\u001b"), log);
        List<String> lines = log.lines().toList();
        assertTrue(lines.get(0).startsWith("step 1/100  epoch 0.10  loss 2.5000  smooth 3.0000  lr 0.00200"), log);
        assertTrue(lines.get(lines.size() - 1).startsWith("step 100/100  epoch 10.00  "), log);
        assertTrue(lines.get(lines.size() - 1).endsWith("1:40 eta 0:00"), log);
    }

    @Test
    void epochRun_getsAnEtaFromItsPassesSoFar() {
        StringWriter text = new StringWriter();
        ProgressLine progress = new ProgressLine(new PrintWriter(text), false, 100, Long.MAX_VALUE, 2, null);
        for (long n = 1; n <= 5; n++) {
            progress.onStep(step(n));
        }
        progress.finish();

        String last = text.toString().lines().reduce((a, b) -> b).orElseThrow();
        // 0.5 of 2 passes after 5 s, at 0.1 pass per one-second step: 15 s to go
        assertTrue(last.startsWith("step 5  epoch 0.50/2  "), last);
        assertTrue(last.endsWith("0:05 eta 0:15"), last);
    }

    @Test
    void terminal_getsOneLineRewrittenInPlace_andValidationAboveIt() {
        StringWriter text = new StringWriter();
        ProgressLine progress = new ProgressLine(new PrintWriter(text), true, 100, 20, Integer.MAX_VALUE, null);
        progress.onStep(step(1));
        progress.onValidation(new io.charrnn.train.ValidationSummary(1, 0, 2.0, true));
        progress.onStep(step(20));
        progress.finish();

        String shown = text.toString();
        assertTrue(shown.startsWith("\rstep 1/20  "), shown);
        assertTrue(shown.contains("\rvalidation at step 1 (epoch 0): 2.0000 nats/char"), shown);
        assertTrue(shown.contains("\rstep 20/20  "), shown);
        assertTrue(shown.endsWith(System.lineSeparator()) && shown.stripTrailing().endsWith("eta 0:00"), shown);
        assertEquals(2, shown.split(System.lineSeparator(), -1).length - 1, shown); // validation, and the end
    }
}
