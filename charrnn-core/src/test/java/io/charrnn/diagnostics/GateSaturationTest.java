package io.charrnn.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.CellReference;
import io.charrnn.text.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Diagnostics#gateSaturation} against gates counted from the reference cells, and its errors. */
class GateSaturationTest {
    private static final String TEXT = "To be or not to be, that is the question";
    private static final Vocabulary VOCABULARY = Vocabulary.fromText(TEXT);

    @ParameterizedTest(name = "{0}, layer {1} of 2, embedding {2}")
    @CsvSource({"LSTM, 0, 0", "LSTM, 1, 3", "GRU, 0, 3", "GRU, 1, 0"})
    void fractions_countTheReferenceCellsGates(CellType cell, int layer, int embedding) {
        // large weights so that many gates saturate, some to each side
        RnnModel m = RnnModel.builder().cell(cell).hidden(6).layers(2).embedding(embedding).initScale(2.5).seed(29)
                .vocabulary(VOCABULARY).build();
        GateSaturation s = Diagnostics.gateSaturation(m, TEXT, layer);

        int h = 6;
        int[] blocks = cell == CellType.LSTM ? new int[] {0, 1, 3} : new int[] {0, 1};
        double[][] left = new double[blocks.length][h];
        double[][] right = new double[blocks.length][h];
        CellReference reference = new CellReference(new ParameterLayout(m.config(), VOCABULARY.size()),
                ModelAccess.engine(m).parameters());
        for (int code : VOCABULARY.encode(TEXT)) {
            reference.step(code);
            double[] a = reference.gates(layer);
            for (int g = 0; g < blocks.length; g++) {
                for (int k = 0; k < h; k++) {
                    double x = a[blocks[g] * h + k];
                    left[g][k] += x < 0.1 ? 1.0 / TEXT.length() : 0;
                    right[g][k] += x > 0.9 ? 1.0 / TEXT.length() : 0;
                }
            }
        }
        assertEquals(cell == CellType.LSTM ? List.of("input", "forget", "output") : List.of("reset", "update"),
                s.gates());
        assertEquals(cell, s.cell());
        assertEquals(layer, s.layer());
        assertEquals(TEXT.length(), s.steps());
        assertEquals(h, s.units());
        double saturated = 0;
        for (int g = 0; g < blocks.length; g++) {
            assertArrayEquals(left[g], s.leftSaturated(g), 1e-12, s.gates().get(g) + " left");
            assertArrayEquals(right[g], s.rightSaturated(g), 1e-12, s.gates().get(g) + " right");
            double meanLeft = 0;
            for (int k = 0; k < h; k++) {
                meanLeft += left[g][k] / h;
                assertTrue(left[g][k] + right[g][k] <= 1 + 1e-12);
                saturated += left[g][k] + right[g][k];
            }
            assertEquals(meanLeft, s.meanLeftSaturated(g), 1e-12);
        }
        assertTrue(saturated > 0.5, "the weights saturate some gates, so the comparison means something");
    }

    @Test
    void aLargeForgetBias_keepsEveryForgetGateOpen_andSmallWeightsSaturateNothingElse() {
        // σ(20 + O(0.01)) > 0.9 and σ(O(0.01)) ≈ 0.5: forget gates right-saturated at every step, others never
        RnnModel m = RnnModel.builder().cell(CellType.LSTM).hidden(4).initScale(0.01).forgetBias(20).seed(5)
                .vocabulary(VOCABULARY).build();
        GateSaturation s = Diagnostics.gateSaturation(m, "not to be", 0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, s.rightSaturated(1));
        assertEquals(1.0, s.meanRightSaturated(1));
        for (int g = 0; g < 3; g++) {
            assertArrayEquals(new double[4], s.leftSaturated(g), s.gates().get(g));
            if (g != 1) {
                assertArrayEquals(new double[4], s.rightSaturated(g), s.gates().get(g));
            }
        }
        double[] copy = s.rightSaturated(1);
        copy[0] = -1;
        assertEquals(1.0, s.rightSaturated(1)[0], "accessors return copies");
        assertNotSame(s.leftSaturated(0), s.leftSaturated(0));
    }

    @Test
    void badArguments_areRefusedWithWhatMustHold() {
        RnnModel lstm = RnnModel.builder().cell(CellType.LSTM).hidden(3).layers(2).seed(1).vocabulary(VOCABULARY)
                .build();
        RnnModel rnn = RnnModel.builder().cell(CellType.RNN).hidden(3).seed(1).vocabulary(VOCABULARY).build();
        assertEquals("only the LSTM and GRU have gates, the model is RNN", assertThrows(
                IllegalArgumentException.class, () -> Diagnostics.gateSaturation(rnn, "To", 0)).getMessage());
        assertEquals("layer must be in [0, 2), got 2", assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.gateSaturation(lstm, "To", 2)).getMessage());
        assertEquals("layer must be in [0, 2), got -1", assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.gateSaturation(lstm, "To", -1)).getMessage());
        assertEquals("text must contain at least one character, got an empty text", assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.gateSaturation(lstm, "", 0)).getMessage());
        assertEquals(assertThrows(IllegalArgumentException.class, () -> Diagnostics.hiddenStates(lstm, "To be!", 0))
                .getMessage(), assertThrows(IllegalArgumentException.class,
                        () -> Diagnostics.gateSaturation(lstm, "To be!", 0)).getMessage(),
                "the same wording as hiddenStates for a character outside the vocabulary");
        assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.gateSaturation(RnnModel.builder().cell(CellType.GRU).hidden(3).build(), "To", 0));
        GateSaturation s = Diagnostics.gateSaturation(lstm, "To", 0);
        assertEquals("gate must be in [0, 3) [input, forget, output], got 3", assertThrows(
                IllegalArgumentException.class, () -> s.leftSaturated(3)).getMessage());
    }
}
