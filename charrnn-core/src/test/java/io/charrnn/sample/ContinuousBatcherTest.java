package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.RnnStepper;
import io.charrnn.internal.cells.StepperWeights;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Continuous batching: a batched step's rows equal one-row steps bit for bit, however rows join and
 * leave; concurrent generations through a batcher give exactly their lone texts; cancellation,
 * interrupts, a full queue, closing and the stepping thread's end.
 */
class ContinuousBatcherTest {
    private static final Vocabulary VOCABULARY = Vocabulary.fromText("abcdefghijklmnop \n.,");
    private static final RnnModel LSTM = RnnModel.builder().cell(CellType.LSTM).hidden(24).layers(2)
            .vocabulary(VOCABULARY).seed(11).build();

    @ParameterizedTest
    @EnumSource(CellType.class)
    void batchedStep_rowsJoiningAndLeaving_equalOneRowSteps_bitForBit(CellType cell) {
        // 256 LSTM/GRU units are large enough for the step to be split across two threads
        RnnModel model = RnnModel.builder().cell(cell).hidden(cell == CellType.RNN ? 40 : 256).layers(2).embedding(8)
                .vocabulary(VOCABULARY).seed(5).build();
        StepperWeights w = ModelAccess.engine(model).stepperWeights();
        int v = VOCABULARY.size();
        int rows = 5;
        RnnStepper batch = new RnnStepper(w, rows);
        RnnStepper zero = new RnnStepper(w, 1);
        RnnStepper[] alone = new RnnStepper[rows];
        int[] slotOf = new int[rows]; // generation → row of the batch, -1 when out
        java.util.Arrays.fill(slotOf, -1);
        SplittableRandom rng = new SplittableRandom(3);
        float[][] logits = new float[rows][v];
        float[] expected = new float[v];
        for (int step = 0; step < 120; step++) {
            // generation gi joins at step 10·gi and leaves at step 60 + 12·gi (copying its state out)
            for (int gi = 0; gi < rows; gi++) {
                if (step == 10 * gi) {
                    alone[gi] = new RnnStepper(w, 1);
                    slotOf[gi] = occupied(slotOf);
                    batch.copyRow(zero, 0, slotOf[gi]);
                } else if (step == 60 + 12 * gi && slotOf[gi] >= 0) {
                    int last = occupied(slotOf) - 1;
                    int from = slotOf[gi];
                    slotOf[gi] = -1;
                    for (int o = 0; o < rows; o++) {
                        if (slotOf[o] == last) {
                            batch.copyRow(batch, last, from);
                            slotOf[o] = from;
                        }
                    }
                }
            }
            int n = occupied(slotOf);
            int[] codes = new int[rows];
            int[] codeOf = new int[rows];
            for (int gi = 0; gi < rows; gi++) {
                codeOf[gi] = rng.nextInt(v);
                if (slotOf[gi] >= 0) {
                    codes[slotOf[gi]] = codeOf[gi];
                }
            }
            if (n > 0) {
                batch.step(codes, logits, n);
            }
            for (int gi = 0; gi < rows; gi++) {
                if (slotOf[gi] >= 0) {
                    alone[gi].step(codeOf[gi], expected);
                    assertArrayEquals(expected, logits[slotOf[gi]], "generation " + gi + " at step " + step);
                }
            }
        }
    }

    private static int occupied(int[] slotOf) {
        int n = 0;
        for (int s : slotOf) {
            n += s >= 0 ? 1 : 0;
        }
        return n;
    }

    /** One generation of the concurrent test: its settings, and a sink rule. */
    private record Job(String prime, int length, SamplingStrategy strategy, long seed, List<String> stops,
                       IntPredicate cancelAt, int interruptAt) {
        GenerationOptions options() {
            GenerationOptions.Builder b = GenerationOptions.builder().prime(prime).length(length);
            stops.forEach(b::stop);
            return b.build();
        }
    }

    private static List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        SamplingStrategy[] strategies = {SamplingStrategy.temperature(0.8), SamplingStrategy.topK(4, 1.2),
            SamplingStrategy.greedy(LogitTransform.repetitionPenalty(1.5, 8)), SamplingStrategy.nucleus(0.9, 1.0),
            SamplingStrategy.minP(0.1, 0.7), SamplingStrategy.temperature(1.5)};
        for (int i = 0; i < 12; i++) {
            int length = new int[] {0, 1, 37, 120, 300, 500, 260}[i % 7];
            String prime = new String[] {"", "abc", "hello. ", "p".repeat(300)}[i % 4];
            List<String> stops = i % 3 == 0 ? List.of("e.", "nn") : List.of();
            int cancel = i == 4 ? 90 : Integer.MAX_VALUE;
            jobs.add(new Job(prime, length, strategies[i % strategies.length], 100 + i, stops, k -> k >= cancel,
                    i == 5 ? 70 : -1));
        }
        return jobs;
    }

    /** Runs a job: its sink counts the characters, cancels or interrupts as the job says, and waits at {@code gate}. */
    private static Sample run(Sampler sampler, Job job, CountDownLatch gate) {
        int[] seen = {0};
        Sample s = sampler.generate(job.options(), new SplittableRandom(job.seed()), cp -> {
            seen[0]++;
            if (seen[0] == 1 && gate != null) {
                gate.countDown();
                await(gate);
            }
            if (seen[0] == job.interruptAt()) {
                Thread.currentThread().interrupt();
            }
            return !job.cancelAt().test(seen[0]);
        });
        boolean interrupted = Thread.interrupted();
        assertEquals(job.interruptAt() > 0 && seen[0] >= job.interruptAt(), interrupted, "interrupt flag kept");
        return s;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS), "the other generations did not start");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void concurrentGenerations_joiningAtDifferentTimes_giveTheirLoneTexts() throws Exception {
        List<Job> jobs = jobs();
        List<Sample> lone = new ArrayList<>();
        int delivering = 0;
        for (Job job : jobs) {
            Sample s = run(Sampler.builder(LSTM).strategy(job.strategy()).build(), job, null);
            lone.add(s);
            delivering += s.text().isEmpty() ? 0 : 1;
        }
        assertEquals(Sample.Ending.CANCELLED, lone.get(4).ending());
        assertEquals(Sample.Ending.CANCELLED, lone.get(5).ending());
        assertEquals(70, lone.get(5).text().length(), "an interrupt ends the text at the next character");

        CountDownLatch gate = new CountDownLatch(delivering); // every delivering job waits for the rest once
        List<AtomicReference<Object>> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (ContinuousBatcher batcher = ContinuousBatcher.builder(LSTM).rows(8).build()) {
            for (int i = 0; i < jobs.size(); i++) {
                Job job = jobs.get(i);
                boolean gated = !lone.get(i).text().isEmpty();
                Sampler sampler = Sampler.builder(LSTM).strategy(job.strategy()).batcher(batcher).build();
                AtomicReference<Object> result = new AtomicReference<>();
                results.add(result);
                Thread t = new Thread(() -> {
                    try {
                        result.set(run(sampler, job, gated ? gate : null));
                    } catch (Throwable e) {
                        result.set(e);
                    }
                });
                threads.add(t);
                t.start(); // each starts while the earlier ones are under way (or waiting at the gate)
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(120));
                assertFalse(t.isAlive(), "a generation did not end");
            }
            assertTrue(batcher.mostRows() >= 2, "steps were batched, most rows " + batcher.mostRows());
        }
        for (int i = 0; i < jobs.size(); i++) {
            assertEquals(lone.get(i), results.get(i).get(), "job " + i + " " + jobs.get(i));
        }
        assertNoBatcherThread();
    }

    @Test
    void largeModel_splitSteps_concurrentTextsEqualLoneTexts() throws Exception {
        RnnModel model = RnnModel.builder().cell(CellType.LSTM).hidden(256).vocabulary(VOCABULARY).seed(2).build();
        Sampler lone = Sampler.builder(model).strategy(SamplingStrategy.temperature(0.9)).build();
        try (ContinuousBatcher batcher = ContinuousBatcher.builder(model).build()) {
            Sampler batched = Sampler.builder(model).strategy(SamplingStrategy.temperature(0.9)).batcher(batcher)
                    .build();
            List<Thread> threads = new ArrayList<>();
            String[] texts = new String[4];
            for (int i = 0; i < texts.length; i++) {
                int k = i;
                threads.add(new Thread(() -> texts[k] = batched.generate("ab", 150 + 50 * k, new SplittableRandom(k))));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            for (int i = 0; i < texts.length; i++) {
                assertEquals(lone.generate("ab", 150 + 50 * i, new SplittableRandom(i)), texts[i]);
            }
        }
        assertNoBatcherThread();
    }

    @Test
    void fullBatcher_refusesAtOnce_andClosedBatcherRefuses() throws Exception {
        ContinuousBatcher batcher = ContinuousBatcher.builder(LSTM).rows(1).queue(0).build();
        Sampler sampler = Sampler.builder(LSTM).batcher(batcher).build();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Sample> first = new AtomicReference<>();
        Thread t = new Thread(() -> first.set(sampler.generate(GenerationOptions.builder().length(50).build(),
                new SplittableRandom(1), cp -> {
                    inside.countDown();
                    await(release);
                    return true;
                })));
        t.start();
        await(inside);
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> sampler.generate("a", 5, new SplittableRandom(2)));
        assertEquals("the batcher is full: 1 generations step together and 0 wait to join; try again later",
                e.getMessage());
        release.countDown();
        t.join();
        assertEquals(50, first.get().text().length());
        batcher.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> sampler.generate("a", 5, new SplittableRandom(2)));
        assertEquals("this batcher is closed", closed.getMessage());
        assertNoBatcherThread();
    }

    @Test
    void throwingStrategy_reachesItsCaller_andFreesItsPlace() {
        SamplingStrategy failing = new SamplingStrategy() {
            private int calls;

            @Override
            public int choose(float[] logits, java.util.random.RandomGenerator rng) {
                if (++calls == 10) {
                    throw new ArithmeticException("the strategy failed");
                }
                return 0;
            }
        };
        try (ContinuousBatcher batcher = ContinuousBatcher.builder(LSTM).rows(1).queue(0).build()) {
            Sampler sampler = Sampler.builder(LSTM).strategy(failing).batcher(batcher).build();
            ArithmeticException e = assertThrows(ArithmeticException.class,
                    () -> sampler.generate("a", 50, new SplittableRandom(1)));
            assertEquals("the strategy failed", e.getMessage());
            // its place is free again: the batcher (1 row, no queue) takes the next generation
            assertEquals(50, sampler.generate("a", 50, new SplittableRandom(1)).length());
        }
    }

    @Test
    void close_cancelsGenerationsUnderWay_andEndsTheSteppingThread() throws Exception {
        ContinuousBatcher batcher = ContinuousBatcher.builder(LSTM).build();
        Sampler sampler = Sampler.builder(LSTM).batcher(batcher).build();
        CountDownLatch running = new CountDownLatch(3);
        List<Thread> threads = new ArrayList<>();
        Sample[] samples = new Sample[3];
        for (int i = 0; i < 3; i++) {
            int k = i;
            boolean[] started = {false};
            Thread t = new Thread(() -> samples[k] = sampler.generate(GenerationOptions.builder().length(100_000)
                    .build(), new SplittableRandom(k), cp -> {
                        if (!started[0]) {
                            started[0] = true;
                            running.countDown();
                        }
                        return true;
                    }));
            threads.add(t);
            t.start();
        }
        await(running);
        batcher.close();
        for (Thread t : threads) {
            t.join();
        }
        for (Sample s : samples) {
            assertEquals(Sample.Ending.CANCELLED, s.ending());
            assertTrue(s.text().length() < 100_000);
        }
        assertNoBatcherThread();
    }

    @Test
    void settings_areChecked() {
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> ContinuousBatcher.builder(LSTM).rows(0));
        assertEquals("rows must be in [1, 1024], got 0", rows.getMessage());
        IllegalArgumentException queue = assertThrows(IllegalArgumentException.class,
                () -> ContinuousBatcher.builder(LSTM).queue(-1));
        assertEquals("queue must be in [0, 100000], got -1", queue.getMessage());
        RnnModel other = RnnModel.builder().hidden(8).vocabulary(VOCABULARY).seed(1).build();
        try (ContinuousBatcher batcher = ContinuousBatcher.builder(other).build()) {
            IllegalArgumentException model = assertThrows(IllegalArgumentException.class,
                    () -> Sampler.builder(LSTM).batcher(batcher));
            assertTrue(model.getMessage().startsWith("the batcher must be made for this sampler's model"),
                    model.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ContinuousBatcher.builder(RnnModel.builder().build()));
    }

    private static void assertNoBatcherThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().equals("charrnn-batcher") && t.isAlive(), "a stepping thread is left: " + t);
        }
    }
}
