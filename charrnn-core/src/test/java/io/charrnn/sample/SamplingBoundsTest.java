package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.ChildJvm;
import io.charrnn.text.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory of sampling does not grow with what the caller cannot see: history, streams, batches, beams. */
class SamplingBoundsTest {
    private static final Vocabulary VOCABULARY = Vocabulary.fromText("abcdefgh \n");
    private static final RnnModel MODEL = RnnModel.builder().hidden(8).vocabulary(VOCABULARY).seed(3).build();
    private static final Sampler SAMPLER = Sampler.builder(MODEL).build();

    @Test
    void context_holdsTheLatestMaxHistoryIndices_oldestFirst() {
        List<int[]> seen = new ArrayList<>();
        int length = SamplingContext.MAX_HISTORY + 700;
        SamplingStrategy recording = new SamplingStrategy() {
            @Override
            public int choose(float[] logits, RandomGenerator rng) {
                return rng.nextInt(logits.length);
            }

            @Override
            public int choose(float[] logits, SamplingContext context, RandomGenerator rng) {
                int[] held = new int[context.length()];
                for (int i = 0; i < held.length; i++) {
                    held[i] = context.indexAt(i);
                }
                seen.add(held);
                return choose(logits, rng);
            }
        };
        Sampler s = Sampler.builder(MODEL).strategy(recording).build();
        String text = s.generate("ab", length, new SplittableRandom(4));

        int[] all = VOCABULARY.encode("ab" + text);
        for (int step : new int[] {0, 1, 100, SamplingContext.MAX_HISTORY - 2, SamplingContext.MAX_HISTORY,
                length - 1}) {
            int end = 2 + step; // indices fed before the draw of character `step`
            int start = Math.max(0, end - SamplingContext.MAX_HISTORY);
            assertEquals(VOCABULARY.decode(java.util.Arrays.copyOfRange(all, start, end)),
                    VOCABULARY.decode(seen.get(step)), "step " + step);
        }
    }

    @Test
    void stream_givesTheSameCharactersAsGenerate_withAStopString() {
        GenerationOptions o = GenerationOptions.builder().prime("a").length(20_000).stop("hh\n").build();
        Sample whole = SAMPLER.generate(o, new SplittableRandom(9));
        StringBuilder streamed = new StringBuilder();

        Sample.Ending ending = SAMPLER.stream(o, new SplittableRandom(9), cp -> {
            streamed.appendCodePoint(cp);
            return true;
        });

        assertEquals(whole.text(), streamed.toString());
        assertEquals(whole.ending(), ending);
    }

    @Test
    void batchesAndBeams_areCapped_sayingWhatMustHold() {
        GenerationOptions hundred = GenerationOptions.builder().length(100).build();
        assertEquals("count must be in [1, 1024], got 1000000", assertThrows(IllegalArgumentException.class,
                () -> SAMPLER.generateBatch(hundred, 1_000_000, new SplittableRandom(1))).getMessage());
        GenerationOptions long1 = GenerationOptions.builder().length(100_000).build();
        assertEquals("count × length must be at most 16777216 characters (the texts are returned at once), got "
                        + "1000 × 100000", assertThrows(IllegalArgumentException.class,
                () -> SAMPLER.generateBatch(long1, 1000, new SplittableRandom(1))).getMessage());
        assertEquals("width must be in [1, 1024], got 100000", assertThrows(IllegalArgumentException.class,
                () -> SAMPLER.beamSearch("a", 10, 100_000)).getMessage());
        assertEquals("width × length must be at most 16777216 (the search keeps a back-pointer for each), got "
                + "1000 × 100000", assertThrows(IllegalArgumentException.class,
                () -> SAMPLER.beamSearch("a", 100_000, 1000)).getMessage());
    }

    /** 3 M characters (an int each in the old history alone: 12 MB) streamed with a stop string and a repetition penalty in a 16 MB heap. */
    @Test
    void longStream_runsInA16MegabyteHeap(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.charrnn");
        ModelFiles.save(MODEL, model);

        try (ChildJvm child = ChildJvm.startWithHeap("16m", StreamChild.class, model.toString(), "3000000")) {
            assertEquals(0, child.waitFor(), child.output());
            assertEquals(List.of("streamed 3000000 LENGTH"), child.stdout());
        }
    }

    /** Run by {@link #longStream_runsInA16MegabyteHeap}: streams a long text and counts it. */
    public static final class StreamChild {
        private StreamChild() {
        }

        /** @param args the model file and the length */
        public static void main(String[] args) throws Exception {
            Sampler s = Sampler.builder(ModelFiles.load(Path.of(args[0])))
                    .strategy(SamplingStrategy.chain(LogitTransform.repetitionPenalty(1.1, 64))).build();
            int length = Integer.parseInt(args[1]);
            long[] count = {0};
            GenerationOptions o = GenerationOptions.builder().length(length).stop("never said").build();
            Sample.Ending e = s.stream(o, new SplittableRandom(1), cp -> {
                count[0]++;
                return true;
            });
            System.out.println("streamed " + count[0] + " " + e);
        }
    }
}
