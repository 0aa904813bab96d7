package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each optimizer against steps computed by hand (in double, then compared in float). */
class UpdaterTest {
    private static final float[] P = {1.0f, -2.0f, 0.5f};
    private static final float[] G1 = {0.1f, -0.4f, 0.0f};
    private static final float[] G2 = {-0.2f, 0.3f, 0.5f};

    private static float[] twoSteps(Optimizer o, double lr) {
        Updater u = Updater.create(o, 3);
        float[] p = P.clone();
        u.update(p, G1.clone(), lr);
        u.update(p, G2.clone(), lr);
        return p;
    }

    private static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "index " + i);
        }
    }

    @Test
    void sgd_isLearningRateTimesGradient() {
        double[] e = new double[3];
        for (int i = 0; i < 3; i++) {
            e[i] = P[i] - 0.5 * G1[i] - 0.5 * G2[i];
        }
        assertClose(e, twoSteps(Optimizer.sgd(0.5), 0.5));
    }

    @Test
    void sgdWithMomentum_accumulatesVelocity() {
        double[] e = new double[3];
        for (int i = 0; i < 3; i++) {
            double v1 = G1[i];
            double v2 = 0.9 * v1 + G2[i];
            e[i] = P[i] - 0.5 * v1 - 0.5 * v2;
        }
        assertClose(e, twoSteps(Optimizer.sgd(0.5, 0.9), 0.5));
    }

    @Test
    void adagrad_dividesByTheRootOfSummedSquares() {
        double[] e = new double[3];
        for (int i = 0; i < 3; i++) {
            double m1 = G1[i] * G1[i];
            double p1 = P[i] - 0.1 * G1[i] / (Math.sqrt(m1) + 1e-8);
            double m2 = m1 + G2[i] * G2[i];
            e[i] = p1 - 0.1 * G2[i] / (Math.sqrt(m2) + 1e-8);
        }
        assertClose(e, twoSteps(Optimizer.adagrad(0.1), 0.1));
    }

    @Test
    void rmsprop_usesTheDecayedMeanSquare() {
        double[] e = new double[3];
        for (int i = 0; i < 3; i++) {
            double m1 = 0.05 * G1[i] * G1[i];
            double p1 = P[i] - 2e-3 * G1[i] / (Math.sqrt(m1) + 1e-8);
            double m2 = 0.95 * m1 + 0.05 * G2[i] * G2[i];
            e[i] = p1 - 2e-3 * G2[i] / (Math.sqrt(m2) + 1e-8);
        }
        assertClose(e, twoSteps(Optimizer.rmsprop(2e-3), 2e-3));
    }

    @Test
    void adam_correctsTheBiasOfBothMoments() {
        double[] e = new double[3];
        for (int i = 0; i < 3; i++) {
            double m = 0;
            double v = 0;
            double p = P[i];
            float[][] gs = {G1, G2};
            for (int t = 1; t <= 2; t++) {
                double g = gs[t - 1][i];
                m = 0.9 * m + 0.1 * g;
                v = 0.999 * v + 0.001 * g * g;
                double mHat = m / (1 - Math.pow(0.9, t));
                double vHat = v / (1 - Math.pow(0.999, t));
                p -= 1e-2 * mHat / (Math.sqrt(vHat) + 1e-8);
            }
            e[i] = p;
        }
        assertClose(e, twoSteps(Optimizer.adam(1e-2), 1e-2));
    }

    @Test
    void exportedState_restoresTheExactNextStep() {
        Updater a = Updater.create(Optimizer.adam(1e-2), 3);
        float[] pa = P.clone();
        a.update(pa, G1.clone(), 1e-2);
        Updater b = Updater.create(Optimizer.adam(1e-2), 3);
        b.restoreMoments(Map.of("m", a.moments().get("m").clone(), "v", a.moments().get("v").clone()));
        b.restoreScalars(a.scalars());
        float[] pb = pa.clone();
        a.update(pa, G2.clone(), 1e-2);
        b.update(pb, G2.clone(), 1e-2);
        assertArrayEquals(pa, pb);
    }
}
