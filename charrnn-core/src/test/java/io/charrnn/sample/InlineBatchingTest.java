package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.cells.StepperWeights;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/**
 * Generations that run none of the caller's code have their characters picked on the batcher's
 * thread (no hand-off per character): which ones qualify, and that they still give their lone texts,
 * end on an interrupt and on close, and pass a strategy's exception to their caller.
 */
class InlineBatchingTest {
    private static final Vocabulary VOCABULARY = Vocabulary.fromText("abcdefghijklmnop \n.,");
    private static final RnnModel LSTM = RnnModel.builder().cell(CellType.LSTM).hidden(24).layers(2)
            .vocabulary(VOCABULARY).seed(11).build();

    private static Generation generation(SamplingStrategy strategy, RandomGenerator rng, GenerationOptions options,
            CharacterSink sink) {
        StepperWeights w = ModelAccess.engine(LSTM).stepperWeights();
        return new Generation(w, strategy, rng, new GenerationRow(VOCABULARY, options, new int[0], sink, true),
                new int[0]);
    }

    @Test
    void onlyGenerationsWithoutCallerCode_runOnTheBatcherThread() {
        GenerationOptions plain = GenerationOptions.builder().length(5).stop("ab").build();
        SamplingStrategy t = SamplingStrategy.temperature(0.8);
        RandomGenerator split = new SplittableRandom(1);
        assertTrue(generation(t, split, plain, null).inline);
        assertTrue(generation(SamplingStrategy.greedy(LogitTransform.repetitionPenalty(1.3, 4)), split, plain, null)
                .inline);
        assertTrue(generation(SamplingStrategy.chain(LogitTransform.topK(3), LogitTransform.topP(0.9),
                LogitTransform.minP(0.1), LogitTransform.temperature(2)), split, plain, null).inline);
        assertTrue(generation(SamplingStrategy.nucleus(0.9, 0.7), new Random(3), plain, null).inline);
        assertTrue(generation(t, RandomGeneratorFactory.of("L64X128MixRandom").create(5), plain, null).inline);

        assertFalse(generation(t, split, plain, cp -> true).inline, "a sink");
        assertFalse(generation(t, split, GenerationOptions.builder().length(5).stopWhen(s -> false).build(), null)
                .inline, "a stop predicate");
        assertFalse(generation((logits, rng) -> 0, split, plain, null).inline, "the caller's strategy");
        assertFalse(generation(SamplingStrategy.chain((logits, context) -> { }), split, plain, null).inline,
                "the caller's transform");
        assertFalse(generation(t, ThreadLocalRandom.current(), plain, null).inline, "bound to the calling thread");
        assertFalse(generation(t, new Random(3) { }, plain, null).inline, "the caller's generator");
        assertFalse(generation(t, new SecureRandom(), plain, null).inline, "may wait for entropy");
    }

    @Test
    void inlineGenerations_giveTheirLoneTexts_whileOthersTakeTurns() throws Exception {
        SamplingStrategy[] strategies = {SamplingStrategy.temperature(0.8), SamplingStrategy.topK(4, 1.2),
            SamplingStrategy.greedy(LogitTransform.repetitionPenalty(1.5, 8)), SamplingStrategy.nucleus(0.9, 1.0),
            SamplingStrategy.minP(0.1, 0.7)};
        int n = 14;
        List<GenerationOptions> options = new ArrayList<>();
        List<Sample> lone = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GenerationOptions.Builder b = GenerationOptions.builder().prime(new String[] {"", "ab", "hello. "}[i % 3])
                    .length(new int[] {1, 80, 250, 400}[i % 4]);
            if (i % 4 == 1) {
                b.stop("e.").stop("nn");
            }
            options.add(b.build());
            lone.add(Sampler.builder(LSTM).strategy(strategies[i % strategies.length]).build()
                    .generate(options.get(i), new SplittableRandom(200 + i)));
        }
        List<AtomicReference<Object>> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (ContinuousBatcher batcher = ContinuousBatcher.builder(LSTM).rows(8).build()) {
            // a long generation under way first, so that every other one joins the batch
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean stop = new AtomicBoolean();
            Thread other = blocker(Sampler.builder(LSTM).batcher(batcher).build(), started, stop);
            assertTrue(started.await(60, TimeUnit.SECONDS));
            for (int i = 0; i < n; i++) {
                Sampler sampler = Sampler.builder(LSTM).strategy(strategies[i % strategies.length]).batcher(batcher)
                        .build();
                GenerationOptions o = options.get(i);
                long seed = 200 + i;
                boolean sink = i % 2 == 0; // half of them take turns on their own threads
                AtomicReference<Object> result = new AtomicReference<>();
                results.add(result);
                Thread t = new Thread(() -> {
                    try {
                        result.set(sink ? sampler.generate(o, new SplittableRandom(seed), cp -> true)
                                : sampler.generate(o, new SplittableRandom(seed)));
                    } catch (Throwable e) {
                        result.set(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(120));
                assertFalse(t.isAlive(), "a generation did not end");
            }
            stop.set(true);
            other.join();
            assertTrue(batcher.mostRows() >= 3, "steps were batched, most rows " + batcher.mostRows());
        }
        for (int i = 0; i < n; i++) {
            assertEquals(lone.get(i), results.get(i).get(), "generation " + i);
        }
    }

    /** Starts a generation with a sink (it takes turns) that runs until {@code stop} is set; returns its thread. */
    private static Thread blocker(Sampler sampler, CountDownLatch started, AtomicBoolean stop) {
        Thread t = new Thread(() -> sampler.generate(GenerationOptions.builder().length(1_000_000).build(),
                new SplittableRandom(9), cp -> {
                    started.countDown();
                    return !stop.get();
                }));
        t.start();
        return t;
    }

    @Test
    void interruptedInlineGeneration_endsCancelled_withItsLoneTextsBeginning() throws Exception {
        String full = Sampler.builder(LSTM).build().generate("ab", 200_000, new SplittableRandom(4));
        try (ContinuousBatcher batcher = ContinuousBatcher.builder(LSTM).build()) {
            Sampler sampler = Sampler.builder(LSTM).batcher(batcher).build();
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean stop = new AtomicBoolean();
            Thread other = blocker(sampler, started, stop);
            assertTrue(started.await(60, TimeUnit.SECONDS));
            AtomicReference<Object> result = new AtomicReference<>();
            AtomicBoolean flagKept = new AtomicBoolean();
            Thread t = new Thread(() -> {
                result.set(sampler.generate(GenerationOptions.builder().prime("ab").length(200_000).build(),
                        new SplittableRandom(4)));
                flagKept.set(Thread.currentThread().isInterrupted());
            });
            t.start();
            while (batcher.mostRows() < 2) {
                Thread.onSpinWait(); // until it steps in the batch
            }
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive());
            stop.set(true);
            other.join();
            Sample s = (Sample) result.get();
            assertEquals(Sample.Ending.CANCELLED, s.ending());
            assertTrue(s.text().length() < full.length(), "ended early: " + s.text().length());
            assertEquals(full.substring(0, s.text().length()), s.text());
            assertTrue(flagKept.get(), "the interrupt flag stays set");
        }
    }

    @Test
    void close_cancelsInlineGenerationsUnderWay() throws Exception {
        ContinuousBatcher batcher = ContinuousBatcher.builder(LSTM).build();
        Sampler sampler = Sampler.builder(LSTM).batcher(batcher).build();
        Sample[] samples = new Sample[3];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < samples.length; i++) {
            int k = i;
            Thread t = new Thread(() -> samples[k] = sampler.generate(GenerationOptions.builder().length(1_000_000)
                    .build(), new SplittableRandom(k)));
            threads.add(t);
            t.start();
        }
        while (batcher.mostRows() < 3) {
            Thread.onSpinWait(); // until all three step in the batch
        }
        batcher.close();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive());
        }
        for (Sample s : samples) {
            assertEquals(Sample.Ending.CANCELLED, s.ending());
            assertTrue(s.text().length() < 1_000_000);
        }
    }

    @Test
    void strategyFailingOnTheBatcherThread_reachesItsCaller() throws Exception {
        // tanh(1) > 0 in every unit and Wy = by = -3e38: every logit is -infinity, which temperature
        // sampling refuses (greedy takes index 0)
        RnnModel base = RnnModel.builder().hidden(4).vocabulary(VOCABULARY).seed(1).build();
        ParameterLayout layout = new ParameterLayout(base.config(), VOCABULARY.size());
        float[] p = new float[layout.size()];
        Arrays.fill(p, layout.bias(0).offset(), layout.bias(0).offset() + layout.bias(0).size(), 1f);
        Arrays.fill(p, layout.outputWeights().offset(), layout.outputWeights().offset() + layout.outputWeights().size(),
                -3e38f);
        Arrays.fill(p, layout.outputBias().offset(), layout.outputBias().offset() + layout.outputBias().size(), -3e38f);
        RnnModel broken = ModelAccess.create(base.config(), VOCABULARY, p);
        Sampler alone = Sampler.builder(broken).strategy(SamplingStrategy.temperature(1)).build();
        IllegalArgumentException expected = assertThrows(IllegalArgumentException.class,
                () -> alone.generate("a", 10, new SplittableRandom(1)));
        try (ContinuousBatcher batcher = ContinuousBatcher.builder(broken).build()) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean stop = new AtomicBoolean();
            Thread other = blocker(Sampler.builder(broken).strategy(SamplingStrategy.greedy()).batcher(batcher).build(),
                    started, stop);
            assertTrue(started.await(60, TimeUnit.SECONDS));
            Sampler sampler = Sampler.builder(broken).strategy(SamplingStrategy.temperature(1)).batcher(batcher).build();
            for (int i = 0; i < 3; i++) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> sampler.generate("a", 10, new SplittableRandom(1)));
                assertEquals(expected.getMessage(), e.getMessage());
            }
            // with another generation under way a new one never runs alone: it stepped in the batch
            assertTrue(batcher.mostRows() >= 1, "it failed in the batch");
            stop.set(true);
            other.join();
            // its place is free again
            assertEquals(10, Sampler.builder(broken).strategy(SamplingStrategy.greedy()).batcher(batcher).build()
                    .generate("a", 10, new SplittableRandom(1)).length());
        }
    }
}
