package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one definition's backward steps ({@link CellEquations}) against central finite differences
 * of its forward steps, per cell, over two rows of random pre-activations and states: for a loss
 * {@code L = Σ w·h_t (+ Σ v·c_t)} with random weights, every gradient the backward step writes.
 * Its forward steps are held to the independent reference ({@code io.charrnn.testing.CellReference})
 * through the gradient through time ({@code HiddenGradientsReferenceTest}); its float32
 * specialisation to it in {@code FloatCellsProperties}.
 */
class CellEquationsTest {
    private static final int BATCH = 2;
    private static final int HIDDEN = 5;
    private static final double EPS = 1e-6;
    private static final double TOL = 1e-7;

    private static double[] random(SplittableRandom rng, int n, double scale) {
        return rng.doubles(n, -scale, scale).toArray();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Asserts {@code analytic[i] = ∂loss/∂x[i]} by central differences, for every i. */
    private static void assertGradient(double[] x, double[] analytic, ToDoubleFunction<double[]> loss, String what) {
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + EPS;
            double up = loss.applyAsDouble(x);
            x[i] = keep - EPS;
            double down = loss.applyAsDouble(x);
            x[i] = keep;
            double numeric = (up - down) / (2 * EPS);
            assertEquals(numeric, analytic[i], TOL * Math.max(1, Math.abs(numeric)), what + " [" + i + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void vanillaBackward_isTheDerivativeOfItsForward(boolean tanh) {
        SplittableRandom rng = new SplittableRandom(tanh ? 1 : 2);
        int n = BATCH * HIDDEN;
        double[] a = random(rng, n, 2);
        for (int i = 0; i < n; i++) {
            if (Math.abs(a[i]) < 1e-3) {
                a[i] = 0.5; // away from ReLU's kink
            }
        }
        double[] w = random(rng, n, 1);
        ToDoubleFunction<double[]> loss = pre -> {
            double[] h = pre.clone();
            CellEquations.rnnForward(h, 0, n, tanh);
            return dot(w, h);
        };
        double[] h = a.clone();
        CellEquations.rnnForward(h, 0, n, tanh);
        double[] da = w.clone();
        CellEquations.rnnBackward(h, 0, da, 0, n, tanh);
        assertGradient(a, da, loss, "dL/da");
    }

    @org.junit.jupiter.api.Test
    void lstmBackward_isTheDerivativeOfItsForward() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = BATCH * HIDDEN;
        double[] z = random(rng, 4 * n, 3);
        double[] cPrev = random(rng, n, 2);
        double[] w = random(rng, n, 1); // on h_t
        double[] v = random(rng, n, 1); // on c_t, as if from the step after
        ToDoubleFunction<double[][]> loss = in -> {
            double[] c = new double[n];
            double[] h = new double[n];
            CellEquations.lstmForward(in[0].clone(), in[1], c, 0, new double[n], 0, h, BATCH, HIDDEN);
            return dot(w, h) + dot(v, c);
        };
        double[] a = z.clone();
        double[] c = new double[n];
        double[] tc = new double[n];
        CellEquations.lstmForward(a, cPrev, c, 0, tc, 0, new double[n], BATCH, HIDDEN);
        double[] dz = new double[4 * n];
        double[] dc = v.clone();
        double[] dcStep = new double[n];
        CellEquations.lstmBackward(a, cPrev, tc, 0, w, dc, dz, dcStep, BATCH, HIDDEN);

        assertGradient(z, dz, x -> loss.applyAsDouble(new double[][] {x, cPrev}), "dL/d(pre-activations)");
        assertGradient(cPrev, dc, x -> loss.applyAsDouble(new double[][] {z, x}), "dL/dc_{t-1}");
        // dL/dc_t: the loss as a function of c_t alone is v·c + w·(o ⊙ tanh c)
        double[] o = new double[n];
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(a, b * 4 * HIDDEN + 3 * HIDDEN, o, b * HIDDEN, HIDDEN);
        }
        double[] cNow = c.clone();
        assertGradient(cNow, dcStep, x -> {
            double s = dot(v, x);
            for (int i = 0; i < n; i++) {
                s += w[i] * o[i] * Math.tanh(x[i]);
            }
            return s;
        }, "dL/dc_t");
    }

    @org.junit.jupiter.api.Test
    void gruBackward_isTheDerivativeOfItsForward() {
        SplittableRandom rng = new SplittableRandom(4);
        int n = BATCH * HIDDEN;
        int g = 3 * HIDDEN;
        double[] x = random(rng, BATCH * g, 3); // x·Wx + bx
        double[] hh = random(rng, BATCH * g, 3); // h·Wh
        double[] bh = random(rng, g, 1);
        double[] hPrev = random(rng, n, 1);
        double[] w = random(rng, n, 1);
        ToDoubleFunction<double[][]> loss = in -> {
            double[] h = new double[n];
            CellEquations.gruForward(in[0].clone(), in[1].clone(), bh, in[2], h, BATCH, HIDDEN);
            return dot(w, h);
        };
        double[] a = x.clone();
        double[] hr = hh.clone();
        CellEquations.gruForward(a, hr, bh, hPrev, new double[n], BATCH, HIDDEN);
        double[] dx = new double[BATCH * g];
        double[] dhr = new double[BATCH * g];
        double[] dPrev = new double[n];
        CellEquations.gruBackward(a, hr, hPrev, w, dx, dhr, dPrev, BATCH, HIDDEN);

        assertGradient(x, dx, v -> loss.applyAsDouble(new double[][] {v, hh, hPrev}), "dL/d(x·Wx + bx)");
        assertGradient(hh, dhr, v -> loss.applyAsDouble(new double[][] {x, v, hPrev}), "dL/d(h·Wh + bh)");
        assertGradient(hPrev, dPrev, v -> loss.applyAsDouble(new double[][] {x, hh, v}),
                "direct dL/dh_{t-1} (h·Wh held)");
    }
}
