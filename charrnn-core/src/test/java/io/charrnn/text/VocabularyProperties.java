package io.charrnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VocabularyProperties {
    /** Mixed alphabet: ASCII, control, Latin-1, CJK, and characters outside the BMP. */
    private static final int[] ALPHABET = {'\n', '\t', ' ', 'a', 'Z', '0', '?', 0xE9, 0x4E2D, 0xFFFD,
        0x1F600, 0x1D11E, 0x10FFFF};

    @Provide
    Arbitrary<String> alphabetTexts() {
        return Arbitraries.of(IntStream.of(ALPHABET).boxed().toList())
                .list().ofMinSize(1).ofMaxSize(60)
                .map(VocabularyProperties::fromCodePoints);
    }

    /** Texts of any valid non-surrogate code points: ASCII, the rest of the BMP, and beyond. */
    @Provide
    Arbitrary<String> anyTexts() {
        Arbitrary<Integer> cp = Arbitraries.oneOf(
                        Arbitraries.integers().between(0, 0x7F),
                        Arbitraries.integers().between(0x80, 0xFFFF),
                        Arbitraries.integers().between(0x10000, 0x10FFFF))
                .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE);
        return cp.list().ofMinSize(1).ofMaxSize(40).map(VocabularyProperties::fromCodePoints);
    }

    @Property(tries = 200, seed = "20240601")
    void decodeOfEncode_isIdentity_overTheAlphabet(@ForAll("alphabetTexts") String text) {
        Vocabulary v = Vocabulary.of(ALPHABET);
        assertEquals(text, v.decode(v.encode(text)));
    }

    @Property(tries = 200, seed = "20240602")
    void decodeOfEncode_isIdentity_withTheTextsOwnVocabulary(@ForAll("anyTexts") String text) {
        Vocabulary v = Vocabulary.fromText(text);
        int[] codes = v.encode(text);
        assertEquals(text.codePointCount(0, text.length()), codes.length);
        assertEquals(text, v.decode(codes));
    }

    @Property(tries = 200, seed = "20240603")
    void indices_coverZeroToSizeWithoutGaps(@ForAll("anyTexts") String text) {
        Vocabulary v = Vocabulary.fromText(text);
        int[] cps = v.codePoints();

        assertEquals(text.codePoints().distinct().count(), v.size());
        for (int i = 0; i < v.size(); i++) {
            assertEquals(i, v.indexOf(v.codePointAt(i)));
            if (i > 0) {
                assertTrue(cps[i - 1] < cps[i], "code points must be strictly ascending");
            }
        }
        int[] used = IntStream.of(v.encode(text)).distinct().sorted().toArray();
        assertArrayEquals(IntStream.range(0, v.size()).toArray(), used);
    }

    @Property(tries = 100, seed = "20240604")
    void shufflingTheText_givesTheSameVocabulary(@ForAll("anyTexts") String text, @ForAll Random random) {
        List<Integer> cps = new ArrayList<>(text.codePoints().boxed().toList());
        Collections.shuffle(cps, random);
        String shuffled = fromCodePoints(cps);

        Vocabulary original = Vocabulary.fromText(text);
        Vocabulary other = Vocabulary.fromText(shuffled);
        assertEquals(original, other);
        assertEquals(original.hashCode(), other.hashCode());
        assertArrayEquals(original.encode(text), other.encode(text));
    }

    private static String fromCodePoints(List<Integer> cps) {
        StringBuilder sb = new StringBuilder();
        cps.forEach(sb::appendCodePoint);
        return sb.toString();
    }
}
