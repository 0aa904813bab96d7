package io.charrnn.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.eval.Evaluation;
import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.cells.RnnStepper;
import io.charrnn.internal.cells.StepperWeights;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {
    private static final String TEXT = "To be or not to be, that is the question";
    private static final Vocabulary VOCABULARY = Vocabulary.fromText(TEXT);

    private static RnnModel model(CellType cell, int hidden, int layers, int embedding, double scale) {
        return RnnModel.builder().cell(cell).hidden(hidden).layers(layers).embedding(embedding).initScale(scale)
                .seed(17).vocabulary(VOCABULARY).build();
    }

    @Test
    void hiddenStates_areOneRowPerCharacter_equalToTheSamplersState() {
        RnnModel m = model(CellType.LSTM, 6, 2, 0, 0.5);
        float[][] h = Diagnostics.hiddenStates(m, "To be", 1);
        float[][] c = Diagnostics.cellStates(m, "To be", 1);
        assertEquals(5, h.length);
        assertEquals(6, h[0].length);
        RnnStepper stepper = new RnnStepper(new StepperWeights(
                new ParameterLayout(m.config(), VOCABULARY.size()), ModelAccess.engine(m).parameters()));
        for (int t = 0; t < 5; t++) {
            stepper.step(VOCABULARY.indexOf("To be".charAt(t)), null);
            assertArrayEquals(stepper.state(1), h[t], "h at " + t);
            assertArrayEquals(stepper.cellState(1), c[t], "c at " + t);
            for (int k = 0; k < 6; k++) {
                assertTrue(Math.abs(h[t][k]) < 1, "an LSTM's h = o·tanh(c) lies in (-1, 1)");
            }
        }
    }

    @Test
    void badArguments_areRefusedWithWhatMustHold() {
        RnnModel m = model(CellType.RNN, 4, 2, 0, 0.5);
        assertEquals("layer must be in [0, 2), got 2", assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.hiddenStates(m, "To", 2)).getMessage());
        assertEquals("only the LSTM has a cell state, the model is RNN", assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.cellStates(m, "To", 0)).getMessage());
        assertEquals("text must have at least 2 characters (inputs and the predicted one), got 1",
                assertThrows(IllegalArgumentException.class, () -> Diagnostics.gradientThroughTime(m, "T")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Diagnostics.hiddenStates(m, "To be!", 0));
        assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.hiddenStates(RnnModel.builder().hidden(3).build(), "To", 0));
    }

    /**
     * Each norm against central differences: perturbing unit j of h_t (c_t held) changes the last
     * prediction's loss by ∂L/∂h_t[j]·eps, computed in float64.
     */
    @ParameterizedTest(name = "{0} {1}, {2} layers, embedding {3}")
    @CsvSource({"RNN, TANH, 1, 0", "RNN, TANH, 2, 3", "RNN, RELU, 2, 0", "LSTM, TANH, 1, 0", "LSTM, TANH, 2, 3",
            "GRU, TANH, 1, 0", "GRU, TANH, 2, 3"})
    void gradientThroughTime_matchesFiniteDifferences(CellType cell, Activation activation, int layers, int embedding) {
        RnnModel m = RnnModel.builder().cell(cell).activation(activation).hidden(5).layers(layers).embedding(embedding)
                .initScale(0.9).seed(23).vocabulary(VOCABULARY).build();
        String text = "not to be, th";
        GradientThroughTime g = Diagnostics.gradientThroughTime(m, text);
        int steps = text.length() - 1;
        assertEquals(steps, g.steps());
        assertEquals(layers, g.layers());

        int[] codes = VOCABULARY.encode(text);
        int[] inputs = java.util.Arrays.copyOf(codes, steps);
        int target = codes[steps];
        HiddenGradients reference = new HiddenGradients(new ParameterLayout(m.config(), VOCABULARY.size()),
                ModelAccess.engine(m).parameters());
        double eps = 1e-6;
        for (int l = 0; l < layers; l++) {
            double[] norms = g.hiddenNorms(l);
            for (int t = 0; t < steps; t++) {
                double sum = 0;
                for (int j = 0; j < 5; j++) {
                    double d = (reference.perturbedLoss(inputs, target, l, t, j, eps)
                            - reference.perturbedLoss(inputs, target, l, t, j, -eps)) / (2 * eps);
                    sum += d * d;
                }
                double expected = Math.sqrt(sum);
                double actual = norms[steps - 1 - t];
                assertEquals(expected, actual, 1e-6 * Math.max(1, expected) + 1e-9,
                        "layer " + l + ", step " + t + " (" + (steps - 1 - t) + " back)");
            }
        }
        // the float64 loss is the library's own, from its float32 forward
        double expectedLoss = Evaluation.logProbability(m, text.substring(0, steps))
                - Evaluation.logProbability(m, text);
        assertEquals(expectedLoss, g.loss(), 1e-4);
        if (cell == CellType.LSTM) {
            assertEquals(steps, g.cellNorms(0).length);
        } else {
            assertThrows(IllegalStateException.class, () -> g.cellNorms(0));
        }
    }

    @Test
    void gradientThroughTime_ofAVanillaRnnWithSmallWeights_decaysGeometrically() {
        RnnModel m = model(CellType.RNN, 16, 1, 0, 0.05);
        double[] norms = Diagnostics.gradientThroughTime(m, TEXT).hiddenNorms(0);
        assertEquals(TEXT.length() - 1, norms.length);
        for (int k = 1; k < norms.length; k++) {
            // ||Wh|| is at most 16·0.05 = 0.8 (and tanh' <= 1), so each step back shrinks the gradient
            assertTrue(norms[k] < 0.8 * norms[k - 1] && norms[k] > 0, "step " + k + ": " + norms[k] + " after "
                    + norms[k - 1]);
        }
        assertTrue(norms[norms.length - 1] < 1e-6 * norms[0]);
    }

    @Test
    void parameterNorms_giveL2AndMaxAbsByName() {
        RnnModel m = model(CellType.GRU, 3, 1, 0, 0.5);
        List<ParameterNorm> norms = Diagnostics.parameterNorms(m);
        Map<String, float[]> weights = m.weights();
        assertEquals(List.copyOf(weights.keySet()), norms.stream().map(ParameterNorm::name).toList());
        for (ParameterNorm n : norms) {
            float[] w = weights.get(n.name());
            double sum = 0;
            double max = 0;
            for (float x : w) {
                sum += x * (double) x;
                max = Math.max(max, Math.abs(x));
            }
            assertEquals(w.length, n.size());
            assertEquals(Math.sqrt(sum), n.l2Norm(), 1e-12);
            assertEquals(max, n.maxAbs());
            assertEquals(n.l2Norm() / Math.sqrt(w.length), n.rms(), 1e-12);
        }
        assertEquals(0.0, norms.stream().filter(n -> n.name().equals("layer0.bx")).findFirst().orElseThrow().l2Norm());
    }

    @Test
    void novelSubstringRatio_countsSubstringsMissingFromTheTrainingText() {
        // "abcd" has the 2-grams ab, bc, cd; the sample's ab, bx, xc, cd: bx and xc are new
        assertEquals(0.5, Diagnostics.novelSubstringRatio("abxcd", "abcd", 2));
        assertEquals(0.0, Diagnostics.novelSubstringRatio("bc", "abcd", 2));
        assertTrue(Double.isNaN(Diagnostics.novelSubstringRatio("a", "abcd", 2)));
        assertEquals("length must be in [1, 64], got 0", assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.novelSubstringRatio("a", "b", 0)).getMessage());
    }
}
