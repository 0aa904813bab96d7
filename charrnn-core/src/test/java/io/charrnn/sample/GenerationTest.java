package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.eval.CharacterSurprisal;
import io.charrnn.eval.Evaluation;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Stop conditions, cancellable streaming, batches, beam search and thread safety. */
class GenerationTest {
    private static final Vocabulary VOCABULARY = Vocabulary.fromText("abcdefgh \n");
    private static final RnnModel MODEL = RnnModel.builder().hidden(16).vocabulary(VOCABULARY).seed(3).build();
    private static final Sampler SAMPLER = Sampler.builder(MODEL).strategy(SamplingStrategy.temperature(0.9)).build();

    private static GenerationOptions.Builder options() {
        return GenerationOptions.builder().prime("ab").length(400);
    }

    @Test
    void stopString_endsGenerationAndIsLeftOut() {
        String full = SAMPLER.generate("ab", 400, new SplittableRandom(5));
        String stop = full.substring(30, 32); // a stop string that does occur
        int at = full.indexOf(stop);

        Sample s = SAMPLER.generate(options().stop(stop).build(), new SplittableRandom(5));

        assertEquals(Sample.Ending.STOP_STRING, s.ending());
        assertEquals(full.substring(0, at), s.text());
    }

    @Test
    void severalStopStrings_theFirstToCompleteWins() {
        String full = SAMPLER.generate("ab", 400, new SplittableRandom(6));
        String early = full.substring(10, 13);
        String late = full.substring(50, 53);
        int end = Math.min(full.indexOf(early), full.indexOf(late));

        Sample s = SAMPLER.generate(options().stop(late).stop(early).build(), new SplittableRandom(6));

        assertEquals(full.substring(0, end), s.text());
    }

    @Test
    void stopStringThatNeverOccurs_runsToTheLength() {
        Sample s = SAMPLER.generate(options().stop("zz-not-in-vocabulary").build(), new SplittableRandom(7));
        assertEquals(Sample.Ending.LENGTH, s.ending());
        assertEquals(SAMPLER.generate("ab", 400, new SplittableRandom(7)), s.text());
    }

    @Test
    void stopPredicate_endsAfterTheAcceptedCharacter() {
        String full = SAMPLER.generate("ab", 400, new SplittableRandom(8));
        Sample s = SAMPLER.generate(options().stopWhen(t -> t.length() > 0 && t.charAt(t.length() - 1) == ' ').build(),
                new SplittableRandom(8));

        assertEquals(Sample.Ending.STOP_PREDICATE, s.ending());
        assertEquals(full.substring(0, full.indexOf(' ') + 1), s.text());
    }

    @Test
    void streaming_withStopStrings_neverDeliversAStopString() {
        String full = SAMPLER.generate("ab", 400, new SplittableRandom(9));
        String stop = full.substring(40, 43);
        StringBuilder streamed = new StringBuilder();

        Sample s = SAMPLER.generate(options().stop(stop).build(), new SplittableRandom(9), cp -> {
            streamed.appendCodePoint(cp);
            return true;
        });

        assertEquals(s.text(), streamed.toString());
        assertFalse(streamed.toString().contains(stop));
    }

    @Test
    void streaming_sinkReturningFalse_cancelsAtOnce() {
        List<Integer> seen = new ArrayList<>();
        Sample s = SAMPLER.generate(options().build(), new SplittableRandom(10), cp -> {
            seen.add(cp);
            return seen.size() < 25;
        });

        assertEquals(Sample.Ending.CANCELLED, s.ending());
        assertEquals(25, seen.size());
        assertEquals(SAMPLER.generate("ab", 25, new SplittableRandom(10)), s.text());
    }

    @Test
    void streaming_deliversEachCharacterBeforeTheNextIsDrawn() {
        List<String> events = new ArrayList<>();
        SamplingStrategy recording = (logits, rng) -> {
            events.add("draw");
            return Probabilities.argmax(logits);
        };
        Sampler.builder(MODEL).strategy(recording).build()
                .generate(GenerationOptions.builder().length(3).build(), new SplittableRandom(1), cp -> events.add("char"));

        assertEquals(List.of("draw", "char", "draw", "char", "draw", "char"), events);
    }

    @Test
    void batch_givesCountTextsOfTheLength_reproducibly() {
        List<String> a = SAMPLER.generate("ab", 120, 5, new SplittableRandom(11));
        List<String> b = SAMPLER.generate("ab", 120, 5, new SplittableRandom(11));

        assertEquals(a, b);
        assertEquals(5, a.size());
        for (String t : a) {
            assertEquals(120, t.length());
        }
        assertNotEquals(a.get(0), a.get(1));
    }

    @Test
    void batchWithGreedy_everyRowEqualsTheSingleText() {
        Sampler greedy = Sampler.builder(MODEL).strategy(SamplingStrategy.greedy()).build();
        String single = greedy.generate("cab", 200, new SplittableRandom(1));
        for (String row : greedy.generate("cab", 200, 4, new SplittableRandom(1))) {
            assertEquals(single, row);
        }
    }

    @Test
    void batch_rowsStopOnTheirOwn() {
        List<Sample> rows = SAMPLER.generateBatch(options().stop(" ").build(), 6, new SplittableRandom(12));
        for (Sample s : rows) {
            assertFalse(s.text().contains(" "), s.text());
        }
        assertThrows(IllegalArgumentException.class, () -> SAMPLER.generate("a", 5, 0, new SplittableRandom(1)));
    }

    @Test
    void beamWidthOne_equalsGreedy_andScoresItsLogProbability() {
        String greedy = Sampler.builder(MODEL).strategy(SamplingStrategy.greedy()).build()
                .generate("abc", 40, new SplittableRandom(1));
        List<Beam> beams = SAMPLER.beamSearch("abc", 40, 1);

        assertEquals(1, beams.size());
        assertEquals(greedy, beams.get(0).text());
        assertEquals(conditionalLogProbability("abc", greedy), beams.get(0).logProbability(), 1e-3);
    }

    @Test
    void wideBeam_isSortedAndAtLeastAsLikelyAsGreedy() {
        List<Beam> beams = SAMPLER.beamSearch("abc", 30, 8);
        Beam greedy = SAMPLER.beamSearch("abc", 30, 1).get(0);

        assertEquals(8, beams.size());
        for (int i = 1; i < beams.size(); i++) {
            assertTrue(beams.get(i - 1).logProbability() >= beams.get(i).logProbability());
        }
        assertTrue(beams.get(0).logProbability() >= greedy.logProbability() - 1e-9);
        for (Beam b : beams) {
            assertEquals(30, b.text().length());
            assertEquals(conditionalLogProbability("abc", b.text()), b.logProbability(), 1e-3, b.text());
        }
        assertEquals(beams, SAMPLER.beamSearch("abc", 30, 8));
    }

    @Test
    void beamSearch_badArguments_areRejected() {
        assertEquals("width must be in [1, 1024], got 0",
                assertThrows(IllegalArgumentException.class, () -> SAMPLER.beamSearch("a", 5, 0)).getMessage());
        assertEquals("length must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> SAMPLER.beamSearch("a", -1, 2)).getMessage());
        assertEquals(List.of(new Beam("", 0)), SAMPLER.beamSearch("a", 0, 3));
    }

    @Test
    void options_validateEagerly() {
        assertEquals("length must be >= 0, got -3", assertThrows(IllegalArgumentException.class,
                () -> GenerationOptions.builder().length(-3)).getMessage());
        assertEquals("stop must contain at least one character, got an empty text",
 assertThrows(IllegalArgumentException.class,
                () -> GenerationOptions.builder().stop("")).getMessage());
        assertThrows(NullPointerException.class, () -> GenerationOptions.builder().stopWhen(null));
        assertEquals(List.of("a", "b"), GenerationOptions.builder().stop("a").stop("b").build().stops());
    }

    @Test
    void eightThreadsSharingOneSampler_eachGetTheirSingleThreadedTwin() throws Exception {
        Sampler sampler = Sampler.builder(MODEL).strategy(SamplingStrategy.chain(
                LogitTransform.repetitionPenalty(1.3, 16), LogitTransform.temperature(0.8), LogitTransform.topP(0.95)))
                .build();
        int threads = 8;
        List<String> expected = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            expected.add(sampler.generate("ab", 3000, new SplittableRandom(100 + t)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<String>> jobs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 100 + t;
                jobs.add(() -> sampler.generate("ab", 3000, new SplittableRandom(seed)));
            }
            List<Future<String>> results = pool.invokeAll(jobs);
            for (int t = 0; t < threads; t++) {
                assertEquals(expected.get(t), results.get(t).get(), "thread " + t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** ln p(continuation | prime) from per-character surprisal of prime + continuation. */
    private static double conditionalLogProbability(String prime, String continuation) {
        List<CharacterSurprisal> all = Evaluation.surprisal(MODEL, prime + continuation);
        double sum = 0;
        for (CharacterSurprisal c : all.subList(prime.length() - 1, all.size())) {
            sum -= c.nats();
        }
        return sum;
    }
}
