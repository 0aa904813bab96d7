package io.charrnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.text.Vocabulary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RnnModelBuilderTest {
    private static final Vocabulary V65 = Vocabulary.of(IntStream.range(0, 65).map(i -> ' ' + i).toArray());
    private static final Vocabulary SMALL = Vocabulary.fromText("abcde");

    private static String rejected(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void hidden_outOfRange_isRejectedWithValue() {
        assertEquals("hidden must be in [1, 16384], got 0", rejected(() -> RnnModel.builder().hidden(0)));
        assertEquals("hidden must be in [1, 16384], got -3", rejected(() -> RnnModel.builder().hidden(-3)));
        assertEquals("hidden must be in [1, 16384], got 16385", rejected(() -> RnnModel.builder().hidden(16385)));
    }

    @Test
    void layers_outOfRange_isRejectedWithValue() {
        assertEquals("layers must be in [1, 64], got 0", rejected(() -> RnnModel.builder().layers(0)));
        assertEquals("layers must be in [1, 64], got 65", rejected(() -> RnnModel.builder().layers(65)));
    }

    @Test
    void embedding_outOfRange_isRejectedWithValue() {
        assertEquals("embedding must be 0 (one-hot input) or in [1, 16384], got -1",
                rejected(() -> RnnModel.builder().embedding(-1)));
        assertEquals("embedding must be 0 (one-hot input) or in [1, 16384], got 16385",
                rejected(() -> RnnModel.builder().embedding(16385)));
    }

    @Test
    void initScale_notFinitePositive_isRejectedWithValue() {
        assertEquals("initScale must be finite and > 0, got 0.0", rejected(() -> RnnModel.builder().initScale(0)));
        assertEquals("initScale must be finite and > 0, got -0.5", rejected(() -> RnnModel.builder().initScale(-0.5)));
        assertEquals("initScale must be finite and > 0, got NaN",
                rejected(() -> RnnModel.builder().initScale(Double.NaN)));
        assertEquals("initScale must be finite and > 0, got Infinity",
                rejected(() -> RnnModel.builder().initScale(Double.POSITIVE_INFINITY)));
    }

    @Test
    void dropout_outsideZeroToOne_isRejectedWithValue() {
        assertEquals("dropout must be in [0, 1), got -0.1", rejected(() -> RnnModel.builder().dropout(-0.1)));
        assertEquals("dropout must be in [0, 1), got 1.0", rejected(() -> RnnModel.builder().dropout(1)));
        assertEquals("dropout must be in [0, 1), got NaN", rejected(() -> RnnModel.builder().dropout(Double.NaN)));
        assertEquals("dropout must be in [0, 1), got 1.0",
                rejected(() -> new ModelConfig(CellType.LSTM, Activation.TANH, 8, 2, 0, 0.1, 1, 1.0, 1)));
    }

    @Test
    void forgetBias_mustBeFinite() {
        assertEquals("forgetBias must be finite, got NaN", rejected(() -> RnnModel.builder().forgetBias(Double.NaN)));
        assertEquals("forgetBias must be finite, got -Infinity",
                rejected(() -> RnnModel.builder().forgetBias(Double.NEGATIVE_INFINITY)));
        assertEquals("forgetBias must be finite, got Infinity",
                rejected(() -> new ModelConfig(CellType.LSTM, Activation.TANH, 8, 2, 0, 0.1, 1, 0, Double.POSITIVE_INFINITY)));
    }

    @Test
    void forgetBias_defaultsToZero_andStartsTheLstmForgetGateBiases() {
        assertEquals(0.0, RnnModel.builder().build().config().forgetBias());
        assertEquals(0.0, RnnModel.builder().cell(CellType.LSTM).build().config().forgetBias());
        int h = 6;
        for (double bias : new double[] {1, 0, -0.5, 2.5}) {
            RnnModel m = RnnModel.builder().cell(CellType.LSTM).hidden(h).layers(2).forgetBias(bias)
                    .vocabulary(Vocabulary.fromText("abcde")).build();
            for (int l = 0; l < 2; l++) {
                float[] b = m.weights().get("layer" + l + ".b"); // gates i, f, g, o
                for (int j = h; j < 2 * h; j++) {
                    assertEquals((float) bias, b[j], "layer " + l + " forget bias " + j);
                }
                assertTrue(java.util.stream.IntStream.range(0, h).anyMatch(j -> b[j] != 0), "input gate biases are drawn");
            }
        }
        assertEquals("RnnModel[LSTM TANH, hidden=100, layers=1, input=one-hot, forgetBias=1.0, unbound]",
                RnnModel.builder().cell(CellType.LSTM).forgetBias(1).build().toString());
        assertEquals("RnnModel[LSTM TANH, hidden=100, layers=1, input=one-hot, unbound]",
                RnnModel.builder().cell(CellType.LSTM).build().toString());
        assertEquals("RnnModel[GRU TANH, hidden=100, layers=1, input=one-hot, unbound]",
                RnnModel.builder().cell(CellType.GRU).forgetBias(0).build().toString());
    }

    @Test
    void dropout_defaultsToZero_andIsKeptInTheConfig() {
        assertEquals(0.0, RnnModel.builder().build().config().dropout());
        assertEquals(0.0, RnnModel.builder().build().config().dropout());
        assertEquals(0.25, RnnModel.builder().dropout(0.25).build().config().dropout());
        assertEquals(0.999, RnnModel.builder().dropout(0.999).build().config().dropout());
        assertNotEquals(RnnModel.builder().build().config(), RnnModel.builder().dropout(0.25).build().config());
    }

    @Test
    void setters_acceptTheirBounds() {
        ModelConfig c = RnnModel.builder().hidden(16384).layers(64).embedding(16384).initScale(Double.MIN_VALUE)
                .build().config();
        assertEquals(16384, c.hidden());
        assertEquals(64, c.layers());
        assertEquals(16384, c.embedding());
        assertEquals(1, RnnModel.builder().hidden(1).layers(1).embedding(0).build().config().hidden());
    }

    @Test
    void nullArguments_throwNullPointerNamingTheArgument() {
        assertEquals("cell", assertThrows(NullPointerException.class, () -> RnnModel.builder().cell(null)).getMessage());
        assertEquals("activation",
                assertThrows(NullPointerException.class, () -> RnnModel.builder().activation(null)).getMessage());
        assertEquals("vocabulary",
                assertThrows(NullPointerException.class, () -> RnnModel.builder().vocabulary(null)).getMessage());
    }

    @Test
    void modelConfig_validatesEveryField() {
        assertEquals("hidden must be in [1, 16384], got 0",
                rejected(() -> new ModelConfig(CellType.RNN, Activation.TANH, 0, 1, 0, 0.1, 1, 0, 1)));
        assertEquals("layers must be in [1, 64], got 65",
                rejected(() -> new ModelConfig(CellType.RNN, Activation.TANH, 8, 65, 0, 0.1, 1, 0, 1)));
        assertEquals("embedding must be 0 (one-hot input) or in [1, 16384], got -1",
                rejected(() -> new ModelConfig(CellType.RNN, Activation.TANH, 8, 1, -1, 0.1, 1, 0, 1)));
        assertEquals("initScale must be finite and > 0, got NaN",
                rejected(() -> new ModelConfig(CellType.RNN, Activation.TANH, 8, 1, 0, Double.NaN, 1, 0, 1)));
        assertThrows(NullPointerException.class, () -> new ModelConfig(null, Activation.TANH, 8, 1, 0, 0.1, 1, 0, 1));
        assertThrows(NullPointerException.class, () -> new ModelConfig(CellType.RNN, null, 8, 1, 0, 0.1, 1, 0, 1));
        assertFalse(new ModelConfig(CellType.RNN, Activation.TANH, 8, 1, 0, 0.1, 1, 0, 1).hasEmbedding());
        assertTrue(new ModelConfig(CellType.RNN, Activation.TANH, 8, 1, 4, 0.1, 1, 0, 1).hasEmbedding());
    }

    @Test
    void build_defaults_areVanillaTanhOneLayerOneHotSeed42() {
        ModelConfig c = RnnModel.builder().build().config();

        assertEquals(new ModelConfig(CellType.RNN, Activation.TANH, 100, 1, 0, 0.1, 42, 0, 0), c);
    }

    @Test
    void build_initScaleDefaultsToOneOverSqrtHidden() {
        assertEquals(0.25, RnnModel.builder().hidden(16).build().config().initScale());
        assertEquals(0.7, RnnModel.builder().hidden(16).initScale(0.7).build().config().initScale());
    }

    @Test
    void build_withoutVocabulary_givesAnUnboundModel() {
        RnnModel m = RnnModel.builder().hidden(100).build();

        assertFalse(m.isBound());
        assertEquals(Optional.empty(), m.vocabulary());
        assertTrue(m.toString().contains("unbound"), m.toString());
    }

    @Test
    void unboundModel_parameterAccessors_throwIllegalStateExplainingHowToBind() {
        RnnModel m = RnnModel.builder().hidden(100).build();

        for (Executable call : List.<Executable>of(m::parameterCount, m::parameterShapes, m::weights)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals("the model has no vocabulary and no weights yet: train it on a corpus "
                    + "or build it with .vocabulary(v)", e.getMessage());
        }
    }

    @Test
    void parameterCount_oneHotV65H100_is23165() {
        RnnModel m = RnnModel.builder().hidden(100).vocabulary(V65).build();

        assertTrue(m.isBound());
        assertEquals(Optional.of(V65), m.vocabulary());
        assertEquals(65 * 100 + 100 * 100 + 100 + 100 * 65 + 65, m.parameterCount());
        assertEquals(23165, m.parameterCount());
    }

    @Test
    void parameterShapes_listsTensorsInLayoutOrder() {
        RnnModel m = RnnModel.builder().hidden(4).layers(2).embedding(3).vocabulary(SMALL).build();

        Map<String, int[]> shapes = m.parameterShapes();
        assertEquals(List.of("embedding", "layer0.wx", "layer0.wh", "layer0.b", "layer1.wx", "layer1.wh", "layer1.b",
                "output.w", "output.b"), List.copyOf(shapes.keySet()));
        assertArrayEquals(new int[] {5, 3}, shapes.get("embedding"));
        assertArrayEquals(new int[] {3, 4}, shapes.get("layer0.wx"));
        assertArrayEquals(new int[] {4, 4}, shapes.get("layer1.wx"));
        assertArrayEquals(new int[] {4}, shapes.get("layer1.b"));
        assertArrayEquals(new int[] {4, 5}, shapes.get("output.w"));
        assertArrayEquals(new int[] {5}, shapes.get("output.b"));
        assertEquals(15 + 12 + 16 + 4 + 16 + 16 + 4 + 20 + 5, m.parameterCount());
        assertThrows(UnsupportedOperationException.class, () -> shapes.remove("output.b"));
    }

    @Test
    void withVocabulary_sameSeed_givesEqualModels() {
        RnnModel a = RnnModel.builder().hidden(8).seed(7).build().withVocabulary(SMALL);
        RnnModel b = RnnModel.builder().hidden(8).seed(7).build().withVocabulary(SMALL);
        RnnModel c = RnnModel.builder().hidden(8).seed(7).vocabulary(SMALL).build();

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a, c);
        assertArrayEquals(a.weights().get("layer0.wh"), c.weights().get("layer0.wh"));
    }

    @Test
    void withVocabulary_differentSeed_givesDifferentWeights() {
        RnnModel a = RnnModel.builder().hidden(8).seed(7).vocabulary(SMALL).build();
        RnnModel b = RnnModel.builder().hidden(8).seed(8).vocabulary(SMALL).build();

        assertNotEquals(a, b);
        assertFalse(java.util.Arrays.equals(a.weights().get("layer0.wh"), b.weights().get("layer0.wh")));
    }

    @Test
    void withVocabulary_weightsLieWithinInitScaleAndBiasesAreZero() {
        RnnModel m = RnnModel.builder().hidden(8).initScale(0.05).vocabulary(SMALL).build();

        m.weights().forEach((name, w) -> {
            for (float x : w) {
                if (name.endsWith(".b")) {
                    assertEquals(0f, x, name);
                } else {
                    assertTrue(Math.abs(x) <= 0.05f, name + " has " + x);
                }
            }
        });
        float[] wh = m.weights().get("layer0.wh");
        assertTrue(IntStream.range(0, wh.length).anyMatch(i -> wh[i] != 0f), "weights are drawn, not zero");
    }

    @Test
    void withVocabulary_onBoundModelWithEqualVocabulary_returnsTheSameModel() {
        RnnModel m = RnnModel.builder().hidden(8).vocabulary(SMALL).build();
        assertSame(m, m.withVocabulary(Vocabulary.fromText("edcba")));
    }

    @Test
    void withVocabulary_onBoundModelWithDifferentVocabulary_fails() {
        RnnModel m = RnnModel.builder().hidden(8).vocabulary(SMALL).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.withVocabulary(Vocabulary.fromText("abc")));
        assertEquals("vocabulary (3 code points) differs from the model's (5); build both from one Vocabulary",
                e.getMessage());
    }

    @Test
    void withVocabulary_leavesTheUnboundModelUnbound() {
        RnnModel unbound = RnnModel.builder().hidden(8).build();
        RnnModel bound = unbound.withVocabulary(SMALL);

        assertFalse(unbound.isBound());
        assertTrue(bound.isBound());
        assertEquals(unbound.config(), bound.config());
    }

    @Test
    void weights_returnsFreshCopies() {
        RnnModel m = RnnModel.builder().hidden(8).vocabulary(SMALL).build();
        RnnModel twin = RnnModel.builder().hidden(8).vocabulary(SMALL).build();
        float before = m.weights().get("layer0.wh")[0];

        Map<String, float[]> w = m.weights();
        w.get("layer0.wh")[0] = 123f;
        w.get("output.b")[0] = 5f;
        w.clear();

        assertEquals(before, m.weights().get("layer0.wh")[0]);
        assertEquals(0f, m.weights().get("output.b")[0]);
        assertEquals(twin, m);
    }

    @Test
    void fromWeights_roundTripsTheWeightsInAnyMapOrder() {
        RnnModel m = RnnModel.builder().hidden(6).layers(2).embedding(3).seed(3).vocabulary(SMALL).build();

        RnnModel copy = RnnModel.fromWeights(m.config(), SMALL, new TreeMap<>(m.weights()));

        assertEquals(m, copy);
    }

    @Test
    void fromWeights_copiesTheCallersArrays() {
        RnnModel m = RnnModel.builder().hidden(4).vocabulary(SMALL).build();
        Map<String, float[]> w = m.weights();
        RnnModel copy = RnnModel.fromWeights(m.config(), SMALL, w);

        w.get("layer0.wx")[0] = 99f;

        assertEquals(m, copy);
    }

    @Test
    void fromWeights_missingTensor_isRejectedNamingIt() {
        RnnModel m = RnnModel.builder().hidden(4).vocabulary(SMALL).build();
        Map<String, float[]> w = m.weights();
        w.remove("output.b");

        assertEquals("weights must contain 'output.b' [5], got only [layer0.wx, layer0.wh, layer0.b, output.w]",
                rejected(() -> RnnModel.fromWeights(m.config(), SMALL, w)));
    }

    @Test
    void fromWeights_extraTensor_isRejectedNamingIt() {
        RnnModel m = RnnModel.builder().hidden(4).vocabulary(SMALL).build();
        Map<String, float[]> w = new LinkedHashMap<>(m.weights());
        w.put("layer1.wh", new float[16]);

        assertEquals("weights has entries the model does not: [layer1.wh]",
                rejected(() -> RnnModel.fromWeights(m.config(), SMALL, w)));
    }

    @Test
    void fromWeights_wrongLength_isRejectedWithShapeAndLength() {
        RnnModel m = RnnModel.builder().hidden(4).vocabulary(SMALL).build();
        Map<String, float[]> w = m.weights();
        w.put("layer0.wh", new float[15]);

        assertEquals("'layer0.wh' must have 16 values [4, 4], got 15",
                rejected(() -> RnnModel.fromWeights(m.config(), SMALL, w)));
    }

    @Test
    void fromWeights_nonFiniteValue_isRejected() {
        RnnModel m = RnnModel.builder().hidden(4).vocabulary(SMALL).build();
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Map<String, float[]> w = m.weights();
            w.get("layer0.b")[1] = bad;

            // layer0.b follows layer0.wx [5, 4] and layer0.wh [4, 4]: flat index 20 + 16 + 1
            assertEquals("weights must be finite, got " + bad + " at flat index 37",
                    rejected(() -> RnnModel.fromWeights(m.config(), SMALL, w)));
        }
    }

    @Test
    void fromWeights_nullArguments_throwNullPointer() {
        RnnModel m = RnnModel.builder().hidden(4).vocabulary(SMALL).build();
        assertThrows(NullPointerException.class, () -> RnnModel.fromWeights(null, SMALL, m.weights()));
        assertThrows(NullPointerException.class, () -> RnnModel.fromWeights(m.config(), null, m.weights()));
        assertThrows(NullPointerException.class, () -> RnnModel.fromWeights(m.config(), SMALL, null));
    }

    @Test
    void builder_isReusableAndIndependentOfBuiltModels() {
        RnnModel.Builder b = RnnModel.builder().hidden(8);
        RnnModel first = b.build();
        RnnModel second = b.hidden(16).build();

        assertEquals(8, first.config().hidden());
        assertEquals(16, second.config().hidden());
    }

    @Test
    void toString_describesArchitectureAndBinding() {
        assertEquals("RnnModel[RNN TANH, hidden=100, layers=1, input=one-hot, unbound]",
                RnnModel.builder().build().toString());
        // 65·8 embedding + 8·100 + 100·100 + 100 + 100·65 + 65
        assertEquals("RnnModel[RNN RELU, hidden=100, layers=1, input=embedding 8, vocabulary=65, parameters=17985]",
                RnnModel.builder().activation(Activation.RELU).embedding(8).vocabulary(V65).build().toString());
        assertEquals("RnnModel[LSTM TANH, hidden=100, layers=2, input=one-hot, dropout=0.25, unbound]",
                RnnModel.builder().cell(CellType.LSTM).layers(2).dropout(0.25).build().toString());
    }
}
