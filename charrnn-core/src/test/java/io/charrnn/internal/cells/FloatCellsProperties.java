package io.charrnn.internal.cells;

import static io.charrnn.testing.Asserts.assertClose;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The float32 specialisation of every cell's step ({@link FloatCells}: one zero-based array per
 * gate, {@link FastTanh}) against the one definition ({@link CellEquations}: float64 over
 * [B, G·H] rows, exact tanh), on the same float-representable inputs. Tolerances: 2e-6 absolute
 * and relative forward (FastTanh's 3.7e-7 through a few products), 1e-5 backward.
 */
class FloatCellsProperties {
    private static final double TOL = 2e-6;
    private static final double BACKWARD_TOL = 1e-5;

    private static double[] random(SplittableRandom rng, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale); // representable in float
        }
        return a;
    }

    /** Gate k of a [B, G·H] block as a [B·H] float array. */
    private static float[] gate(double[] block, int k, int gates, int batch, int hidden) {
        float[] g = new float[batch * hidden];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < hidden; j++) {
                g[b * hidden + j] = (float) block[b * gates * hidden + k * hidden + j];
            }
        }
        return g;
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @Property(tries = 60)
    void lstmFloatMatchesExactDouble(@ForAll @IntRange(min = 1, max = 4) int batch,
                                     @ForAll @IntRange(min = 1, max = 37) int hidden, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = batch * hidden;
        double[] z = random(rng, 4 * n, 6);
        double[] cPrev = random(rng, n, 3);
        double[] dh = random(rng, n, 1);
        double[] dcNext = random(rng, n, 1);

        float[][] a = new float[4][];
        for (int k = 0; k < 4; k++) {
            a[k] = gate(z, k, 4, batch, hidden);
        }
        double[] c = new double[n];
        double[] tc = new double[n];
        double[] h = new double[n];
        CellEquations.lstmForward(z, cPrev, c, 0, tc, 0, h, batch, hidden);
        float[] cf = new float[n];
        float[] tcf = new float[n];
        float[] hf = new float[n];
        FloatCells.lstmForward(a[0], a[1], a[2], a[3], floats(cPrev), cf, tcf, hf, 0, n);
        for (int k = 0; k < 4; k++) {
            assertClose(gate(z, k, 4, batch, hidden), a[k], TOL, TOL, "activation of gate " + k);
        }
        assertClose(floats(c), cf, TOL, TOL, "c");
        assertClose(floats(tc), tcf, TOL, TOL, "tanh(c)");
        assertClose(floats(h), hf, TOL, TOL, "h");

        double[] dz = new double[4 * n];
        double[] dc = dcNext.clone();
        CellEquations.lstmBackward(z, cPrev, tc, 0, dh, dc, dz, null, batch, hidden);
        float[][] dzf = new float[4][n];
        float[] dcf = floats(dcNext);
        FloatCells.lstmBackward(a[0], a[1], a[2], a[3], floats(cPrev), tcf, floats(dh), dcf, dzf[0], dzf[1], dzf[2],
                dzf[3], 0, n);
        for (int k = 0; k < 4; k++) {
            assertClose(gate(dz, k, 4, batch, hidden), dzf[k], BACKWARD_TOL, BACKWARD_TOL, "gradient of gate " + k);
        }
        assertClose(floats(dc), dcf, BACKWARD_TOL, BACKWARD_TOL, "dL/dc_{t-1}");
    }

    @Property(tries = 60)
    void gruFloatMatchesExactDouble(@ForAll @IntRange(min = 1, max = 4) int batch,
                                    @ForAll @IntRange(min = 1, max = 37) int hidden, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = batch * hidden;
        double[] x = random(rng, 3 * n, 4);
        double[] hr = random(rng, 3 * n, 4);
        double[] bh = random(rng, 3 * hidden, 1);
        double[] hPrev = random(rng, n, 1);
        double[] dh = random(rng, n, 1);

        float[][] a = new float[3][];
        float[][] hh = new float[3][];
        float[][] bRep = new float[3][n];
        for (int k = 0; k < 3; k++) {
            a[k] = gate(x, k, 3, batch, hidden);
            hh[k] = gate(hr, k, 3, batch, hidden);
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < hidden; j++) {
                    bRep[k][b * hidden + j] = (float) bh[k * hidden + j];
                }
            }
        }
        double[] h = new double[n];
        CellEquations.gruForward(x, hr, bh, hPrev, h, batch, hidden);
        float[] hf = new float[n];
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < n; i++) {
                hh[k][i] += bRep[k][i]; // the float routine takes h·Wh + bh
            }
        }
        FloatCells.gruForward(a[0], a[1], a[2], hh[0], hh[1], hh[2], floats(hPrev), hf, 0, n);
        for (int k = 0; k < 3; k++) {
            assertClose(gate(x, k, 3, batch, hidden), a[k], TOL, TOL, "activation of gate " + k);
        }
        assertClose(gate(hr, 2, 3, batch, hidden), hh[2], TOL, TOL, "h·Whn + bhn");
        assertClose(floats(h), hf, TOL, TOL, "h");

        double[] dx = new double[3 * n];
        double[] dhr = new double[3 * n];
        double[] dPrev = new double[n];
        CellEquations.gruBackward(x, hr, hPrev, dh, dx, dhr, dPrev, batch, hidden);
        float[][] df = new float[4][n];
        float[] dPrevF = new float[n];
        FloatCells.gruBackward(a[0], a[1], a[2], hh[2], floats(hPrev), floats(dh), df[0], df[1], df[2], df[3], dPrevF,
                0, n);
        for (int k = 0; k < 3; k++) {
            assertClose(gate(dx, k, 3, batch, hidden), df[k], BACKWARD_TOL, BACKWARD_TOL, "x-side gradient of gate " + k);
        }
        assertClose(gate(dhr, 2, 3, batch, hidden), df[3], BACKWARD_TOL, BACKWARD_TOL, "dL/d(h·Whn + bhn)");
        assertClose(floats(dPrev), dPrevF, BACKWARD_TOL, BACKWARD_TOL, "direct dL/dh_{t-1}");
    }

    @Property(tries = 60)
    void vanillaFloatMatchesExactDouble(@ForAll @IntRange(min = 1, max = 150) int n, @ForAll boolean tanh,
                                        @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = random(rng, n, 6);
        double[] dh = random(rng, n, 1);
        float[] af = floats(a);
        CellEquations.rnnForward(a, 0, n, tanh);
        FloatCells.rnnForward(af, 0, n, tanh);
        assertClose(floats(a), af, TOL, TOL, "h");

        double[] da = dh.clone();
        float[] daf = floats(dh);
        CellEquations.rnnBackward(a, 0, da, 0, n, tanh);
        FloatCells.rnnBackward(af, daf, 0, n, tanh);
        assertClose(floats(da), daf, BACKWARD_TOL, BACKWARD_TOL, "dL/da");
    }
}
