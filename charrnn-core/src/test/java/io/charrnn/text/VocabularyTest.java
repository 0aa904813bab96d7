package io.charrnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Test
    void fromText_sortsDistinctCodePointsByCodePoint() {
        Vocabulary v = Vocabulary.fromText("hello, world\n");

        assertArrayEquals(new int[] {'\n', ' ', ',', 'd', 'e', 'h', 'l', 'o', 'r', 'w'}, v.codePoints());
        assertEquals(10, v.size());
        assertEquals(0, v.indexOf('\n'));
        assertEquals(9, v.indexOf('w'));
        assertEquals('l', v.codePointAt(6));
    }

    @Test
    void fromText_emptyText_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromText(""));
        assertEquals("text must contain at least one character, got an empty text", e.getMessage());
    }

    @Test
    void fromText_null_throwsNullPointerNamingTheArgument() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Vocabulary.fromText(null));
        assertEquals("text", e.getMessage());
    }

    @Test
    void encodeThenDecode_returnsTheText() {
        Vocabulary v = Vocabulary.fromText("abc ba\n");

        int[] codes = v.encode("cab\n");

        assertArrayEquals(new int[] {4, 2, 3, 0}, codes);
        assertEquals("cab\n", v.decode(codes));
    }

    @Test
    void encode_emptyText_givesNoIndices() {
        assertArrayEquals(new int[0], Vocabulary.fromText("ab").encode(""));
        assertEquals("", Vocabulary.fromText("ab").decode());
    }

    @Test
    void surrogatePair_isOneCharacter() {
        String text = "a\uD83D\uDE00b"; // a😀b
        Vocabulary v = Vocabulary.fromText(text);

        assertEquals(3, v.size());
        assertArrayEquals(new int[] {'a', 'b', 0x1F600}, v.codePoints());
        assertTrue(v.contains(0x1F600));
        assertFalse(v.contains(0xD83D), "a lone high surrogate is not a character of the text");
        int[] codes = v.encode(text);
        assertArrayEquals(new int[] {0, 2, 1}, codes);
        assertEquals(text, v.decode(codes));
    }

    @Test
    void indexOf_codePointAboveBmpAndAbsentValues() {
        Vocabulary v = Vocabulary.of('x', 0x1F600, 0x10FFFF);

        assertEquals(1, v.indexOf(0x1F600));
        assertEquals(2, v.indexOf(0x10FFFF));
        assertEquals(-1, v.indexOf(0x1F601));
        assertEquals(-1, v.indexOf('y'));
        assertEquals(-1, v.indexOf(-5));
        assertEquals(-1, v.indexOf(0xFFFF));
    }

    @Test
    void encode_unknownCharacter_reportsIndexAndCodePoint() {
        Vocabulary v = Vocabulary.fromText("abc");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("ab\u00E9c"));

        assertEquals("text contains '\u00E9' (U+00E9) at index 2, which is not in the vocabulary (3 code points)",
                e.getMessage());
    }

    @Test
    void encode_unknownCharacterAfterSurrogatePair_reportsCodePointIndexAndFullCodePoint() {
        Vocabulary v = Vocabulary.fromText("a\uD83D\uDE00");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v.encode("\uD83D\uDE00a\uD83D\uDE01"));

        // the index counts code points (the surrogate pair before it is one character), the code point in U+XXXX form
        assertTrue(e.getMessage().contains("(U+1F601) at index 2"), e.getMessage());
    }

    @Test
    void encode_unknownControlCharacter_isShownEscaped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.fromText("ab").encode("a\n"));
        assertTrue(e.getMessage().startsWith("text contains '\\n' (U+000A) at index 1"), e.getMessage());
    }

    @Test
    void withReplacement_mapsUnknownCharactersToTheReplacement() {
        Vocabulary v = Vocabulary.fromText("ab?").withReplacement('?');

        assertArrayEquals(new int[] {1, 0, 1, 0}, v.encode("a\u00E9a\uD83D\uDE00"));
        assertEquals("a?a?", v.decode(v.encode("a\u00E9a\uD83D\uDE00")));
        assertEquals(OptionalInt.of('?'), v.replacement());
    }

    @Test
    void withReplacement_keepsTheCharactersAndIndices() {
        Vocabulary plain = Vocabulary.fromText("ab?");
        Vocabulary replacing = plain.withReplacement('?');

        assertArrayEquals(plain.codePoints(), replacing.codePoints());
        assertArrayEquals(plain.encode("ba?"), replacing.encode("ba?"));
        assertEquals(OptionalInt.empty(), plain.replacement());
    }

    @Test
    void withReplacement_replacementNotInVocabulary_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.fromText("abc").withReplacement('?'));
        assertEquals("replacement '?' (U+003F) must be in the vocabulary (3 code points)", e.getMessage());
    }

    @Test
    void equalsAndHashCode_dependOnCodePointsAndReplacement() {
        Vocabulary a = Vocabulary.fromText("cab");
        Vocabulary b = Vocabulary.of('a', 'b', 'c', 'a');

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Vocabulary.fromText("abd"));
        assertNotEquals(a, Vocabulary.fromText("ab"));
        assertNotEquals(a, a.withReplacement('a'));
        assertEquals(a.withReplacement('b'), b.withReplacement('b'));
        assertEquals(a.withReplacement('b').hashCode(), b.withReplacement('b').hashCode());
        assertNotEquals(a.withReplacement('a'), a.withReplacement('b'));
        assertNotEquals(a, "abc");
    }

    @Test
    void toString_showsSizeAndEscapedCharacters() {
        assertEquals("Vocabulary[size=4, \"\\n ab\"]", Vocabulary.fromText("ab \n").toString());
    }

    @Test
    void toString_largeVocabulary_showsFirstSixteenAndEllipsis() {
        Vocabulary v = Vocabulary.fromText("abcdefghijklmnopqrstuvwxyz");
        assertEquals("Vocabulary[size=26, \"abcdefghijklmnop\u2026\"]", v.toString());
    }

    @Test
    void toString_withReplacement_namesTheReplacement() {
        assertEquals("Vocabulary[size=3, \"?ab\", replacement='?' (U+003F)]",
                Vocabulary.fromText("ab?").withReplacement('?').toString());
    }

    @Test
    void of_noCodePoints_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.of());
        assertEquals("codePoints must have at least one entry, got none", e.getMessage());
    }

    @Test
    void of_invalidCodePoint_isRejectedWithItsValue() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Vocabulary.of('a', -1));
        assertEquals("code points must be in [0, 0x10FFFF], got -1", negative.getMessage());

        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.of(0x110000));
        assertTrue(tooLarge.getMessage().startsWith("code points must be in [0, 0x10FFFF], got "),
                tooLarge.getMessage());
        assertTrue(tooLarge.getMessage().endsWith(String.valueOf(0x110000)), tooLarge.getMessage());
    }

    @Test
    void of_mergesDuplicatesAndSorts() {
        assertArrayEquals(new int[] {'a', 'b', 0x1F600}, Vocabulary.of(0x1F600, 'b', 'a', 'b').codePoints());
    }

    @Test
    void codePoints_returnsACopy() {
        Vocabulary v = Vocabulary.fromText("ab");
        int[] cps = v.codePoints();
        cps[0] = 'z';

        assertArrayEquals(new int[] {'a', 'b'}, v.codePoints());
        assertEquals(0, v.indexOf('a'));
    }

    @Test
    void codePointAt_outOfRange_isRejected() {
        Vocabulary v = Vocabulary.fromText("abc");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.codePointAt(3));
        assertEquals("index must be in [0, 3), got 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.codePointAt(-1));
    }

    @Test
    void decode_outOfRangeIndex_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.fromText("abc").decode(0, 7));
        assertEquals("index must be in [0, 3), got 7", e.getMessage());
    }

    @Test
    void describe_showsCharacterAndHexCodePoint() {
        assertEquals("'\u00E9' (U+00E9)", Vocabulary.describe(0xE9));
        assertEquals("'\\t' (U+0009)", Vocabulary.describe('\t'));
        assertEquals("'?' (U+0000)", Vocabulary.describe(0));
        assertEquals("'\uD83D\uDE00' (U+1F600)", Vocabulary.describe(0x1F600));
    }
}
