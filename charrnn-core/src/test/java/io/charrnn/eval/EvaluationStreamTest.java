package io.charrnn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.ChildJvm;
import io.charrnn.testing.Corpora;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring a text file as a stream: the same figures as scoring the text in memory, in bounded memory. */
class EvaluationStreamTest {
    private static final String ALPHABET = "abcdefgh \n";
    private static final RnnModel MODEL = RnnModel.builder().hidden(12).layers(2)
            .vocabulary(Vocabulary.fromText(ALPHABET)).seed(5).build();

    @Test
    void scoreOfAFile_equalsTheScoreOfItsText_atWindowEdges(@TempDir Path dir) throws IOException {
        String all = Corpora.syllables(700, 3).replaceAll("[^" + ALPHABET + "]", "a");
        for (int length : new int[] {2, 3, 127, 128, 129, 130, 256, 257, 258, 700}) {
            String text = all.substring(0, length);
            Path f = Files.writeString(dir.resolve("t" + length + ".txt"), text);

            assertEquals(Evaluation.score(MODEL, text), Evaluation.score(MODEL, f), "length " + length);
        }
    }

    @Test
    void surprisalOfAFile_equalsTheSurprisalOfItsText(@TempDir Path dir) throws IOException {
        String text = "abc defg\nhab cafe bead\nface";
        Path f = Files.writeString(dir.resolve("t.txt"), text);
        List<CharacterSurprisal> streamed = new ArrayList<>();

        TextScore total = Evaluation.surprisal(MODEL, f, streamed::add);

        assertEquals(Evaluation.surprisal(MODEL, text), streamed);
        assertEquals(text.length() - 1, total.characters());
        assertEquals(streamed.stream().mapToDouble(CharacterSurprisal::nats).sum(), total.totalNats(), 1e-9);
    }

    @Test
    void emptyOrOneCharacterText_isAClearError(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path one = Files.writeString(dir.resolve("one.txt"), "a");

        assertEquals(empty + ": text must contain at least one character, got an empty file",
                assertThrows(IllegalArgumentException.class, () -> Evaluation.score(MODEL, empty)).getMessage());
        assertEquals(one + ": a text to score must have at least two characters (the first is only read), got 1",
                assertThrows(IllegalArgumentException.class, () -> Evaluation.score(MODEL, one)).getMessage());
        assertEquals(one + ": a text to score must have at least two characters (the first is only read), got 1",
                assertThrows(IllegalArgumentException.class,
                        () -> Evaluation.surprisal(MODEL, one, c -> { })).getMessage());
    }

    @Test
    void unknownCharacter_namesItsPosition(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("t.txt"), "abcz");

        assertTrue(assertThrows(IllegalArgumentException.class, () -> Evaluation.score(MODEL, f)).getMessage()
                .startsWith("text contains 'z' (U+007A) at index 3"));
    }

    @Test
    void fifoAsText_failsAtOnceInsteadOfBlocking(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        assertTrue(ChildJvm.succeeds(10, "mkfifo", fifo.toString()), "mkfifo must work on this system");

        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(IOException.class, () -> Evaluation.score(MODEL, fifo)));
        assertEquals(fifo + ": the text must be a regular file or a directory, got a FIFO (named pipe)",
                e.getMessage());
    }

    /**
     * 5 MB scored and surprisal-streamed in a JVM of 16 MB heap (its codes alone as an {@code int[]}
     * would take 20 MB): memory does not grow with the text.
     */
    @Test
    void fiveMegabytes_scoreInA16MegabyteHeap(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("big.txt");
        String block = Corpora.syllables(1 << 16, 7).replaceAll("[^" + ALPHABET + "]", "a");
        try (Writer w = Files.newBufferedWriter(text, StandardCharsets.UTF_8)) {
            for (long n = 0; n < 5_000_000; n += block.length()) {
                w.write(block);
            }
        }
        long characters = Files.size(text);
        Path model = dir.resolve("m.charrnn");
        RnnModel small = RnnModel.builder().hidden(8).vocabulary(Vocabulary.fromText(ALPHABET)).seed(1).build();
        ModelFiles.save(small, model);

        try (ChildJvm child = ChildJvm.startWithHeap("16m", EvaluationMemoryChild.class, model.toString(),
                text.toString())) {
            assertEquals(0, child.waitFor(), child.output());
            assertEquals(List.of("score " + (characters - 1), "surprisal " + (characters - 1)), child.stdout());
        }
    }
}
