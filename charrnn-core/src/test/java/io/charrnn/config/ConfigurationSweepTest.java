package io.charrnn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.GenerationOptions;
import io.charrnn.sample.LogitTransform;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Corpus;
import io.charrnn.text.Vocabulary;
import io.charrnn.train.LearningRateSchedule;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every builder and factory rejects out-of-range values with an IllegalArgumentException whose
 * message names the parameter, what must hold and the value given; a builder that threw keeps its
 * earlier settings and still builds.
 */
class ConfigurationSweepTest {

    private static Arguments bad(String parameter, String mustHold, String given, Executable call) {
        return Arguments.of(parameter + " = " + given, parameter, mustHold, given, call);
    }

    static Stream<Arguments> outOfRange() {
        Vocabulary v = Vocabulary.fromText("ab");
        List<Arguments> a = new ArrayList<>();
        // RnnModel.Builder
        for (int h : new int[] {0, -1, 16_385, Integer.MIN_VALUE}) {
            a.add(bad("hidden", "must be in [1, 16384]", "got " + h, () -> RnnModel.builder().hidden(h)));
        }
        for (int l : new int[] {0, 65}) {
            a.add(bad("layers", "must be in [1, 64]", "got " + l, () -> RnnModel.builder().layers(l)));
        }
        a.add(bad("embedding", "must be 0 (one-hot input) or in [1, 16384]", "got -1",
                () -> RnnModel.builder().embedding(-1)));
        for (double s : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            a.add(bad("initScale", "must be finite and > 0", "got " + s, () -> RnnModel.builder().initScale(s)));
        }
        a.add(bad("parameters", "more than 2^31 parameters", "(",
                () -> RnnModel.builder().cell(CellType.LSTM).hidden(16_384).layers(64).vocabulary(v).build()));
        // Trainer.Builder
        a.add(bad("sequenceLength", "must be >= 1", "got 0", () -> Trainer.builder().sequenceLength(0)));
        a.add(bad("batchSize", "must be >= 1", "got -3", () -> Trainer.builder().batchSize(-3)));
        a.add(bad("chunkWindows", "must be >= 1", "got 0", () -> Trainer.builder().chunkWindows(0)));
        a.add(bad("steps", "must be >= 1", "got 0", () -> Trainer.builder().steps(0)));
        a.add(bad("epochs", "must be >= 1", "got -1", () -> Trainer.builder().epochs(-1)));
        a.add(bad("timeLimit", "must be > 0", "got PT0S", () -> Trainer.builder().timeLimit(Duration.ZERO)));
        a.add(bad("timeLimit", "must be > 0", "got PT-1S", () -> Trainer.builder().timeLimit(Duration.ofSeconds(-1))));
        for (double x : new double[] {0, -1, Double.NaN}) {
            a.add(bad("gradientClipValue", "must be > 0", "got " + x, () -> Trainer.builder().gradientClipValue(x)));
            a.add(bad("gradientClipNorm", "must be > 0", "got " + x, () -> Trainer.builder().gradientClipNorm(x)));
        }
        for (double d : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            a.add(bad("weightDecay", "must be finite and >= 0", "got " + d, () -> Trainer.builder().weightDecay(d)));
        }
        a.add(bad("validateEvery", "must be >= 1", "got 0", () -> Trainer.builder().validateEvery(0)));
        a.add(bad("patience", "must be >= 1", "got 0", () -> Trainer.builder().patience(0)));
        a.add(bad("sampleEvery", "must be >= 1", "got 0 and 10", () -> Trainer.builder().sampleEvery(0, 10, 1)));
        a.add(bad("length", "must be >= 1", "got 10 and 0", () -> Trainer.builder().sampleEvery(10, 0, 1)));
        a.add(bad("temperature", "must be finite and > 0", "got 0.0", () -> Trainer.builder().sampleEvery(1, 1, 0)));
        a.add(bad("checkpointEvery", "must be >= 1", "got 0",
                () -> Trainer.builder().checkpointEvery(0, Path.of("."))));
        a.add(bad("checkpoint directory", "must exist", "got /no/such/dir",
                () -> Trainer.builder().checkpointEvery(1, Path.of("/no/such/dir"))));
        a.add(bad("keepCheckpoints", "must be >= 1", "got 0", () -> Trainer.builder().keepCheckpoints(0)));
        a.add(bad("resetStateAt", "must be a valid code point", "got -5", () -> Trainer.builder().resetStateAt(-5)));
        a.add(bad("resetStateAt", "must be a valid code point", "got 1114112",
                () -> Trainer.builder().resetStateAt(0x110000)));
        // Optimizer, LearningRateSchedule
        for (double r : new double[] {0, -1e-3, Double.NaN, Double.POSITIVE_INFINITY}) {
            a.add(bad("learningRate", "must be finite and > 0", "got " + r, () -> Optimizer.adam(r)));
        }
        a.add(bad("momentum", "must be in [0, 1)", "got 1.0", () -> Optimizer.sgd(0.1, 1)));
        a.add(bad("momentum", "must be in [0, 1)", "got -0.5", () -> Optimizer.sgd(0.1, -0.5)));
        a.add(bad("factor", "must be in (0, 1]", "got 0.0", () -> LearningRateSchedule.stepDecay(0, 1)));
        a.add(bad("factor", "must be in (0, 1]", "got 1.5", () -> LearningRateSchedule.exponentialDecay(1.5, 1)));
        a.add(bad("everyEpochs", "must be >= 1", "got 0", () -> LearningRateSchedule.stepDecay(0.5, 0)));
        a.add(bad("startEpoch", "must be >= 1", "got 0", () -> LearningRateSchedule.exponentialDecay(0.5, 0)));
        // GenerationOptions
        a.add(bad("length", "must be >= 0", "got -1", () -> GenerationOptions.builder().length(-1)));
        a.add(bad("stop", "must contain at least one character", "got an empty text",
                () -> GenerationOptions.builder().stop("")));
        // strategies and transforms
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            a.add(bad("temperature", "must be finite and > 0", "got " + t, () -> SamplingStrategy.temperature(t)));
            a.add(bad("temperature", "must be finite and > 0", "got " + t, () -> LogitTransform.temperature(t)));
        }
        a.add(bad("k", "must be >= 1", "got 0", () -> SamplingStrategy.topK(0, 1)));
        a.add(bad("k", "must be >= 1", "got -2", () -> LogitTransform.topK(-2)));
        for (double p : new double[] {0, -0.1, 1.01, Double.NaN}) {
            a.add(bad("p", "must be in (0, 1]", "got " + p, () -> SamplingStrategy.nucleus(p, 1)));
            a.add(bad("p", "must be in (0, 1]", "got " + p, () -> LogitTransform.topP(p)));
            a.add(bad("p", "must be in (0, 1]", "got " + p, () -> SamplingStrategy.minP(p, 1)));
        }
        a.add(bad("penalty", "must be finite and >= 1", "got 0.5", () -> LogitTransform.repetitionPenalty(0.5, 10)));
        a.add(bad("window", "must be in [1, 4096]", "got 0", () -> LogitTransform.repetitionPenalty(1.2, 0)));
        // text
        a.add(bad("validation fraction", "must be in [0, 1)", "got 1.0", () -> Corpus.of("abc").withSplit(1, 0)));
        a.add(bad("test fraction", "must be in [0, 1)", "got -0.1", () -> Corpus.of("abc").withSplit(0, -0.1)));
        a.add(bad("code points", "must be in [0, 0x10FFFF]", "got -1", () -> Vocabulary.of(-1)));
        a.add(bad("replacement", "must be in the vocabulary", "'?' (U+003F)", () -> v.withReplacement('?')));
        return a.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void outOfRangeValue_isRejectedNamingParameterConditionAndValue(String label, String parameter, String mustHold,
                                                                    String given, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String m = e.getMessage();
        assertTrue(m.contains(parameter), "names the parameter: " + m);
        assertTrue(m.contains(mustHold), "says what must hold: " + m);
        assertTrue(m.contains(given), "gives the value: " + m);
    }

    private static <B> void assertStillUsable(B builder, Consumer<B> bad) {
        assertThrows(IllegalArgumentException.class, () -> bad.accept(builder));
    }

    @Test
    void builderThatThrew_keepsItsEarlierSettings_andStillBuilds() {
        RnnModel.Builder m = RnnModel.builder().hidden(12).layers(2).embedding(4).initScale(0.3);
        assertStillUsable(m, b -> b.hidden(0));
        assertStillUsable(m, b -> b.layers(99));
        assertStillUsable(m, b -> b.embedding(-1));
        assertStillUsable(m, b -> b.initScale(Double.NaN));
        RnnModel model = m.build();
        assertEquals(RnnModel.builder().hidden(12).layers(2).embedding(4).initScale(0.3).build(), model);

        RnnModel.Builder huge = RnnModel.builder().cell(CellType.LSTM).hidden(16_384).layers(64)
                .vocabulary(Vocabulary.fromText("ab"));
        assertThrows(IllegalArgumentException.class, huge::build);
        assertEquals(4, huge.hidden(4).layers(1).build().config().hidden(), "usable after a failed build()");

        Trainer.Builder t = Trainer.builder().sequenceLength(7).batchSize(3).steps(5);
        assertStillUsable(t, b -> b.sequenceLength(0));
        assertStillUsable(t, b -> b.sampleEvery(1, 1, Double.NaN)); // sets none of its three values
        assertStillUsable(t, b -> b.checkpointEvery(0, Path.of(".")));
        assertEquals(Trainer.builder().sequenceLength(7).batchSize(3).steps(5).build().toString(), t.build().toString());

        GenerationOptions.Builder g = GenerationOptions.builder().length(9).stop("x");
        assertStillUsable(g, b -> b.length(-1));
        assertStillUsable(g, b -> b.stop(""));
        GenerationOptions options = g.build();
        assertEquals(9, options.length());
        assertEquals(List.of("x"), options.stops());

        RnnModel bound = RnnModel.builder().hidden(4).vocabulary(Vocabulary.fromText("ab")).build();
        Sampler.Builder s = Sampler.builder(bound).strategy(SamplingStrategy.greedy());
        assertThrows(NullPointerException.class, () -> s.strategy(null));
        assertEquals(Sampler.builder(bound).strategy(SamplingStrategy.greedy()).build().generate("a", 5,
                new java.util.SplittableRandom(1)), s.build().generate("a", 5, new java.util.SplittableRandom(1)));
    }
}
