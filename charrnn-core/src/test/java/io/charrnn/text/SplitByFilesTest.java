package io.charrnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.text.Corpus.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corpus of many files split by file: seeded, every file in one part, about the fractions, one file unchanged. */
class SplitByFilesTest {
    private static final int FILES = 40;

    @TempDir
    Path dir;

    /** A directory of 40 files of 50 to 549 characters, each starting with its own name. */
    private Path directory() throws IOException {
        Path d = Files.createDirectories(dir.resolve("src"));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < FILES; i++) {
            String name = String.format(Locale.ROOT, "f%02d.txt", i);
            StringBuilder text = new StringBuilder(name).append(':');
            int n = 50 + r.nextInt(500);
            while (text.length() < n) {
                text.append((char) ('a' + r.nextInt(26)));
            }
            Files.writeString(d.resolve(name), text);
        }
        return d;
    }

    private static String base(String name) {
        return name.substring(name.lastIndexOf('/') + 1).replaceAll(".*!", "");
    }

    @Test
    void manyFiles_areSplitByFile_byDefault_eachFileInExactlyOnePart_startingItsPart() throws IOException {
        Path d = directory();
        for (Corpus.Storage storage : Corpus.Storage.values()) {
            Corpus c = Corpus.open(d, storage);
            assertTrue(c.splitByFiles());
            List<String> all = new ArrayList<>();
            for (Split s : Split.values()) {
                List<String> files = c.files(s);
                all.addAll(files);
                if (!files.isEmpty()) { // each part starts with the first character of its first file
                    assertTrue(c.text(s).startsWith(base(files.get(0)) + ":"), s + ": " + c.text(s));
                }
                for (String f : files) {
                    assertTrue(c.text(s).contains(base(f) + ":"), f + " in " + s);
                }
            }
            assertEquals(FILES, all.size());
            assertEquals(FILES, new HashSet<>(all).size());
            assertFalse(c.files(Split.VALIDATION).isEmpty());
            assertTrue(c.files(Split.TEST).isEmpty());
        }
    }

    @Test
    void theSplit_isTheSameForASeed_onHeapMappedAndInAZip_andAnotherSeedGivesAnother() throws IOException {
        Path d = directory();
        Corpus heap = Corpus.reader().splitByFiles(3).storage(Corpus.Storage.HEAP).open(d);
        Corpus mapped = Corpus.reader().splitByFiles(3).storage(Corpus.Storage.MAPPED).open(d);
        Path zip = dir.resolve("src.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            try (var files = Files.list(d)) {
                for (Path f : files.sorted().toList()) {
                    out.putNextEntry(new ZipEntry("src/" + f.getFileName()));
                    out.write(Files.readAllBytes(f));
                    out.closeEntry();
                }
            }
        }
        Corpus zipped = Corpus.reader().splitByFiles(3).open(zip);
        for (Split s : Split.values()) {
            assertArrayEquals(heap.codes(s), mapped.codes(s), s.toString());
            assertArrayEquals(heap.codes(s), zipped.codes(s), s.toString());
            assertEquals(heap.files(s), mapped.files(s));
            assertEquals(heap.files(s).stream().map(SplitByFilesTest::base).toList(),
                    zipped.files(s).stream().map(SplitByFilesTest::base).toList());
        }
        assertEquals(heap.files(Split.VALIDATION), Corpus.reader().splitByFiles(3).open(d).files(Split.VALIDATION));
        assertNotEquals(heap.files(Split.TRAIN), Corpus.reader().splitByFiles(4).open(d).files(Split.TRAIN));
        assertEquals(Corpus.open(d).files(Split.TRAIN),
                Corpus.reader().splitByFiles(Corpus.DEFAULT_FILE_SEED).open(d).files(Split.TRAIN));
    }

    @Test
    void eachPart_holdsAboutItsFraction_withinOneFile() throws IOException {
        Corpus c = Corpus.open(directory()).withSplit(0.2, 0.1);
        int longestFile = 549 + 1; // the newline after a file belongs to it
        assertEquals(0.2 * c.length(), c.length(Split.VALIDATION), longestFile);
        assertEquals(0.1 * c.length(), c.length(Split.TEST), longestFile);
        assertEquals(c.length(), c.length(Split.TRAIN) + c.length(Split.VALIDATION) + c.length(Split.TEST));
        Set<String> seen = new HashSet<>();
        for (Split s : Split.values()) {
            assertFalse(c.files(s).isEmpty(), s.toString());
            seen.addAll(c.files(s));
        }
        assertEquals(FILES, seen.size());
    }

    @Test
    void splitContiguously_readsThePathOrder_andSplitsItAsOneText() throws IOException {
        Path d = directory();
        Corpus c = Corpus.reader().splitContiguously().open(d);
        assertFalse(c.splitByFiles());
        Corpus whole = Corpus.of(Texts.read(d));
        for (Split s : Split.values()) {
            assertArrayEquals(whole.codes(s), c.codes(s));
        }
        assertEquals("f00.txt", base(c.files(Split.TRAIN).get(0)));
    }

    @Test
    void aSingleFile_keepsTheContiguousSplit() throws IOException {
        Path f = Files.writeString(dir.resolve("one.txt"), "abcdefghij".repeat(10));
        for (Corpus.Storage storage : Corpus.Storage.values()) {
            Corpus c = Corpus.open(f, storage);
            assertFalse(c.splitByFiles());
            assertEquals(90, c.length(Split.TRAIN));
            assertArrayEquals(Corpus.of("abcdefghij".repeat(10)).codes(Split.VALIDATION), c.codes(Split.VALIDATION));
            assertEquals(List.of(f.toString()), c.files(Split.TRAIN));
        }
    }

    @Test
    void twoFiles_withValidationAndTest_failWithWhatMustHold() throws IOException {
        Path d = Files.createDirectories(dir.resolve("two"));
        Files.writeString(d.resolve("a.txt"), "aaaa");
        Files.writeString(d.resolve("b.txt"), "bbbb");
        Corpus c = Corpus.open(d);
        assertEquals(1, c.files(Split.VALIDATION).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.withSplit(0.1, 0.1));
        assertEquals("a split by files needs a file for each part with a fraction above zero (training, "
                + "validation 0.1, test 0.1): 3 files, got 2", e.getMessage());
    }

    @Test
    void aFilesOrder_isAShuffleOfItsIndices() {
        int[] order = FileSplit.order(100, 11);
        assertArrayEquals(FileSplit.order(100, 11), order);
        int[] sorted = order.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
        assertFalse(java.util.Arrays.equals(sorted, order));
    }
}
