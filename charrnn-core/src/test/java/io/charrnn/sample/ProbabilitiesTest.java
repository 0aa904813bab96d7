package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProbabilitiesTest {
    /** Beside a logit of 1e38, ln(30) is below the rounding step of 1e38 + ln(30): it must not be added there. */
    @Test
    void logSoftmax_thirtyTiedLogitsOf1e38_eachGetOneThirtieth() {
        float[] logits = new float[65];
        Arrays.fill(logits, -1e38f);
        Arrays.fill(logits, 0, 30, 1e38f);

        double[] logp = Probabilities.logSoftmax(logits);

        for (int i = 0; i < 30; i++) {
            assertEquals(1.0 / 30, Math.exp(logp[i]), 1e-12, "index " + i);
        }
        assertEquals(0.0, Math.exp(logp[30]));
        assertEquals(1.0, Arrays.stream(Probabilities.softmax(logits, 1.0)).sum(), 1e-12);
    }
}
