package io.charrnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.charrnn.text.Corpus.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    private static final String TEXT = "abcdefghijklmnopqrst"; // 20 characters

    @Test
    void of_defaultSplit_isNinetyPercentTrainingTenPercentValidation() {
        Corpus c = Corpus.of(TEXT);

        assertEquals(20, c.length());
        assertEquals(18, c.length(Split.TRAIN));
        assertEquals(2, c.length(Split.VALIDATION));
        assertEquals(0, c.length(Split.TEST));
        assertEquals(0.1, c.validationFraction());
        assertEquals(0.0, c.testFraction());
        assertEquals("abcdefghijklmnopqr", c.text(Split.TRAIN));
        assertEquals("st", c.text(Split.VALIDATION));
        assertEquals("", c.text(Split.TEST));
    }

    @Test
    void withSplit_givesContiguousPartsInOrderWhoseLengthsAddUp() {
        double[][] fractions = {{0, 0}, {0.1, 0}, {0.2, 0.3}, {0.05, 0.05}, {0.5, 0.49}, {0, 0.99}, {0.33, 0.33}};
        for (int n : new int[] {1, 2, 7, 20, 101}) {
            String text = TEXT.repeat(6).substring(0, n);
            for (double[] f : fractions) {
                Corpus c = Corpus.of(text).withSplit(f[0], f[1]);
                String where = "n=" + n + ", validation=" + f[0] + ", test=" + f[1];

                assertEquals(n, c.length(Split.TRAIN) + c.length(Split.VALIDATION) + c.length(Split.TEST), where);
                assertEquals(text, c.text(Split.TRAIN) + c.text(Split.VALIDATION) + c.text(Split.TEST), where);
                assertEquals(Math.round(n * f[1]), c.length(Split.TEST), where);
                assertEquals(Math.round(n * f[0]), c.length(Split.VALIDATION), where);
            }
        }
    }

    @Test
    void withSplit_keepsTheTextAndVocabulary() {
        Corpus c = Corpus.of(TEXT);
        Corpus resplit = c.withSplit(0.25, 0.25);

        assertSame(c.vocabulary(), resplit.vocabulary());
        assertEquals(0.25, resplit.validationFraction());
        assertEquals(0.25, resplit.testFraction());
        assertEquals("abcdefghij", resplit.text(Split.TRAIN));
        assertEquals("klmno", resplit.text(Split.VALIDATION));
        assertEquals("pqrst", resplit.text(Split.TEST));
        assertEquals(18, c.length(Split.TRAIN), "the original corpus is unchanged");
    }

    @Test
    void withSplit_fractionOutOfRange_isRejectedWithNameAndValue() {
        Corpus c = Corpus.of(TEXT);

        assertEquals("validation fraction must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> c.withSplit(1.0, 0)).getMessage());
        assertEquals("validation fraction must be in [0, 1), got -0.1",
                assertThrows(IllegalArgumentException.class, () -> c.withSplit(-0.1, 0)).getMessage());
        assertEquals("validation fraction must be in [0, 1), got NaN",
                assertThrows(IllegalArgumentException.class, () -> c.withSplit(Double.NaN, 0)).getMessage());
        assertEquals("test fraction must be in [0, 1), got 1.5",
                assertThrows(IllegalArgumentException.class, () -> c.withSplit(0, 1.5)).getMessage());
        assertEquals("test fraction must be in [0, 1), got NaN",
                assertThrows(IllegalArgumentException.class, () -> c.withSplit(0.1, Double.NaN)).getMessage());
    }

    @Test
    void withSplit_fractionsLeavingNoTraining_areRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Corpus.of(TEXT).withSplit(0.5, 0.5));
        assertEquals("validation + test must be < 1 to leave text for training, got 0.5 + 0.5", e.getMessage());
    }

    @Test
    void codes_returnsAFreshCopyOfEachPart() {
        Corpus c = Corpus.of(TEXT).withSplit(0.25, 0.25);
        Vocabulary v = c.vocabulary();

        int[] validation = c.codes(Split.VALIDATION);
        assertArrayEquals(v.encode("klmno"), validation);
        validation[0] = 0;
        assertArrayEquals(v.encode("klmno"), c.codes(Split.VALIDATION));
        assertEquals("klmno", c.text(Split.VALIDATION));
    }

    @Test
    void copyCodes_copiesARangeOfAPartIntoTheDestination() {
        Corpus c = Corpus.of(TEXT).withSplit(0.25, 0.25);
        int[] dest = {-1, -1, -1, -1, -1};

        c.copyCodes(Split.TEST, 1, dest, 2, 3); // "qrs" of "pqrst"

        int[] qrs = c.vocabulary().encode("qrs");
        assertArrayEquals(new int[] {-1, -1, qrs[0], qrs[1], qrs[2]}, dest);
    }

    @Test
    void copyCodes_rangeOutsideThePart_throwsIndexOutOfBounds() {
        Corpus c = Corpus.of(TEXT).withSplit(0.25, 0.25); // validation has 5 codes
        int[] dest = new int[10];

        assertThrows(IndexOutOfBoundsException.class, () -> c.copyCodes(Split.VALIDATION, 3, dest, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> c.copyCodes(Split.VALIDATION, -1, dest, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> c.copyCodes(Split.TRAIN, 0, dest, 8, 5));
        c.copyCodes(Split.VALIDATION, 0, dest, 5, 5); // exactly the whole part fits
    }

    @Test
    void of_emptyText_isRejected() {
        assertEquals("text must contain at least one character, got an empty text",
                assertThrows(IllegalArgumentException.class, () -> Corpus.of("")).getMessage());
        assertEquals("text must contain at least one character, got an empty text",
                assertThrows(IllegalArgumentException.class,
                        () -> Corpus.of("", Vocabulary.fromText("ab"))).getMessage());
    }

    @Test
    void of_unknownCharacterForGivenVocabulary_isRejectedWithPosition() {
        Vocabulary v = Vocabulary.fromText("abc");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corpus.of("abcaz", v));

        assertEquals("text contains 'z' (U+007A) at index 4, which is not in the vocabulary (3 code points)",
                e.getMessage());
    }

    @Test
    void of_givenVocabulary_isUsedEvenIfLargerThanTheText() {
        Vocabulary v = Vocabulary.fromText("abcxyz");
        Corpus c = Corpus.of("cab", v).withSplit(0, 0);

        assertSame(v, c.vocabulary());
        assertArrayEquals(new int[] {2, 0, 1}, c.codes(Split.TRAIN));
    }

    @Test
    void of_replacingVocabulary_encodesUnknownCharacters() {
        Vocabulary v = Vocabulary.fromText("ab?").withReplacement('?');
        Corpus c = Corpus.of("a\u00E9b", v).withSplit(0, 0);

        assertEquals("a?b", c.text(Split.TRAIN));
    }

    @Test
    void open_readsUtf8TextWithItsOwnOrAGivenVocabulary(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.txt");
        Files.writeString(file, "h\u00E9llo", StandardCharsets.UTF_8);

        Corpus own = Corpus.open(file, Corpus.Storage.HEAP);
        assertEquals(Vocabulary.fromText("h\u00E9llo"), own.vocabulary());
        assertEquals(5, own.length());

        Vocabulary given = Vocabulary.fromText("\u00E9hlo!");
        assertSame(given, Corpus.open(file, given, Corpus.Storage.HEAP).vocabulary());
    }

    @Test
    void toString_showsLengthsOfTheParts() {
        assertEquals("Corpus[length=20, train=10, validation=5, test=5, Vocabulary[size=20, \"abcdefghijklmnop\u2026\"]]",
                Corpus.of(TEXT).withSplit(0.25, 0.25).toString());
    }
}
