package io.charrnn.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.CellReference;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The float64 gradient through time's forward pass, {@link io.charrnn.internal.cells.CellEquations}
 * between its products, against the reference cells: its loss, and the activated gates of every
 * layer at every step.
 */
class HiddenGradientsReferenceTest {

    @ParameterizedTest
    @EnumSource(CellType.class)
    void loss_matchesTheReference(CellType cell) {
        ParameterLayout layout = new ParameterLayout(RnnModel.builder().cell(cell).hidden(5).layers(2).embedding(2)
                .initScale(0.9).seed(3).build().config(), 6);
        float[] p = layout.initialParameters();
        SplittableRandom rng = new SplittableRandom(cell.ordinal());
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) rng.nextDouble(-0.3, 0.3);
        }
        int[] codes = rng.ints(8, 0, 6).toArray();
        CellReference reference = new CellReference(layout, p);
        HiddenGradients gradients = new HiddenGradients(layout, p);
        double[][][] gates = {gradients.gates(codes, 0), gradients.gates(codes, 1)};
        double[] logits = null;
        for (int t = 0; t < codes.length - 1; t++) {
            logits = reference.step(codes[t]);
            for (int l = 0; l < 2; l++) {
                assertArrayEquals(reference.gates(l), gates[l][t], 1e-12, "gates of layer " + l + " at step " + t);
            }
        }
        double expected = CellReference.crossEntropy(logits, codes[codes.length - 1]);
        double actual = new HiddenGradients(layout, p).compute(Arrays.copyOf(codes, codes.length - 1),
                codes[codes.length - 1]).loss();
        assertEquals(expected, actual, 1e-12 * Math.max(1, expected));
    }
}
