package io.charrnn.internal.cells;

import static io.charrnn.testing.Asserts.assertClose;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The float gate math (one zero-based array per gate) against the exact double math over [B, G·H] rows. */
class GateMathProperties {
    private static final double TOL = 2e-6;

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
        GateMath.lstmForward(z, cPrev, c, 0, tc, 0, h, batch, hidden);
        float[] cf = new float[n];
        float[] tcf = new float[n];
        float[] hf = new float[n];
        GateMath.lstmForward(a[0], a[1], a[2], a[3], floats(cPrev), cf, tcf, hf, 0, n);
        for (int k = 0; k < 4; k++) {
            assertClose(gate(z, k, 4, batch, hidden), a[k], TOL, TOL, "activation of gate " + k);
        }
        assertClose(floats(c), cf, TOL, TOL, "c");
        assertClose(floats(tc), tcf, TOL, TOL, "tanh(c)");
        assertClose(floats(h), hf, TOL, TOL, "h");

        double[] dz = new double[4 * n];
        double[] dc = dcNext.clone();
        GateMath.lstmBackward(z, cPrev, tc, 0, dh, dc, dz, batch, hidden);
        float[][] dzf = new float[4][n];
        float[] dcf = floats(dcNext);
        GateMath.lstmBackward(a[0], a[1], a[2], a[3], floats(cPrev), tcf, floats(dh), dcf, dzf[0], dzf[1], dzf[2],
                dzf[3], 0, n);
        for (int k = 0; k < 4; k++) {
            assertClose(gate(dz, k, 4, batch, hidden), dzf[k], 1e-5, 1e-5, "gradient of gate " + k);
        }
        assertClose(floats(dc), dcf, 1e-5, 1e-5, "dL/dc_{t-1}");
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
        GateMath.gruForward(x, hr, bh, hPrev, h, batch, hidden);
        float[] hf = new float[n];
        GateMath.gruForward(a[0], a[1], a[2], hh[0], hh[1], hh[2], bRep[0], bRep[1], bRep[2], floats(hPrev), hf, 0, n);
        for (int k = 0; k < 3; k++) {
            assertClose(gate(x, k, 3, batch, hidden), a[k], TOL, TOL, "activation of gate " + k);
        }
        assertClose(gate(hr, 2, 3, batch, hidden), hh[2], TOL, TOL, "h·Whn + bhn");
        assertClose(floats(h), hf, TOL, TOL, "h");

        double[] dx = new double[3 * n];
        double[] dhr = new double[3 * n];
        double[] dPrev = new double[n];
        GateMath.gruBackward(x, hr, hPrev, dh, dx, dhr, dPrev, batch, hidden);
        float[][] df = new float[4][n];
        float[] dPrevF = new float[n];
        GateMath.gruBackward(a[0], a[1], a[2], hh[2], floats(hPrev), floats(dh), df[0], df[1], df[2], df[3], dPrevF,
                0, n);
        for (int k = 0; k < 3; k++) {
            assertClose(gate(dx, k, 3, batch, hidden), df[k], 1e-5, 1e-5, "x-side gradient of gate " + k);
        }
        assertClose(gate(dhr, 2, 3, batch, hidden), df[3], 1e-5, 1e-5, "dL/d(h·Whn + bhn)");
        assertClose(floats(dPrev), dPrevF, 1e-5, 1e-5, "direct dL/dh_{t-1}");
    }
}
