package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The four-rows-per-pass products against plain double loops, at every remainder mod 4, with zeros and skipped rows. */
class RowWeightsProperties {
    private static float[][] matrix(SplittableRandom rng, int rows, int cols, double zeroFraction) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rng.nextDouble() < zeroFraction ? 0f : (float) (rng.nextDouble() * 2 - 1);
            }
        }
        return m;
    }

    @Property(tries = 200)
    void rowTimesMatrix_isTheVectorMatrixProduct(@ForAll @IntRange(min = 1, max = 23) int k,
            @ForAll @IntRange(min = 1, max = 37) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = matrix(rng, 1, k, 0.4)[0]; // zeros, and whole groups of four of them, are skipped
        float[][] m = matrix(rng, k, n, 0);
        float[] y = matrix(rng, 1, n, 0)[0];
        double[] expected = new double[n];
        for (int j = 0; j < n; j++) {
            expected[j] = y[j];
            for (int i = 0; i < k; i++) {
                expected[j] += (double) x[i] * m[i][j];
            }
        }
        RowWeights.rowTimesMatrix(x, m, y);
        for (int j = 0; j < n; j++) {
            assertEquals(expected[j], y[j], 1e-5 * (1 + k), "column " + j);
        }
    }

    @Property(tries = 200)
    void addOuterRows_sumsTheOuterProductsOfTheRowsNotSkipped(@ForAll @IntRange(min = 1, max = 13) int count,
            @ForAll @IntRange(min = 0, max = 3) int aFrom, @ForAll @IntRange(min = 1, max = 9) int k,
            @ForAll @IntRange(min = 1, max = 21) int n, @ForAll boolean withSkips, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] a = matrix(rng, aFrom + count, k, 0.3);
        float[][] b = matrix(rng, count, n, 0);
        float[][] g = matrix(rng, k, n, 0);
        boolean[] skip = null;
        if (withSkips) {
            skip = new boolean[count];
            for (int i = 0; i < count; i++) {
                skip[i] = rng.nextInt(3) == 0;
            }
        }
        double[][] expected = new double[k][n];
        for (int r = 0; r < k; r++) {
            for (int j = 0; j < n; j++) {
                expected[r][j] = g[r][j];
                for (int i = 0; i < count; i++) {
                    if (skip == null || !skip[i]) {
                        expected[r][j] += (double) a[aFrom + i][r] * b[i][j];
                    }
                }
            }
        }
        RowWeights.addOuterRows(a, aFrom, b, count, g, skip);
        for (int r = 0; r < k; r++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expected[r][j], g[r][j], 1e-5 * (1 + count), "entry " + r + "," + j);
            }
        }
    }
}
