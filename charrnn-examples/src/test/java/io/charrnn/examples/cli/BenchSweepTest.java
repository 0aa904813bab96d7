package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.CellType;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep's grid, generated texts, CSV, plot and argument checks (not its speed). */
class BenchSweepTest {
    @TempDir
    Path dir;

    private static BenchSweep.Point point(BenchSweep.Group g, CellType cell, int layers, int hidden, int vocab,
                                          boolean embed) {
        return new BenchSweep.Point(g, cell, layers, hidden, 64, 100, vocab, embed);
    }

    @Test
    void grid_isTheIssuesGrid_andTheSizeOptionsSelectPartOfIt() {
        List<BenchSweep.Point> all = BenchSweep.grid(List.of(BenchSweep.Group.values()), 65);
        assertEquals(42 + 5 + 4 + 6, all.size());
        List<BenchSweep.Point> hidden = BenchSweep.grid(List.of(BenchSweep.Group.HIDDEN), 65);
        assertEquals(List.of(32.0, 64.0, 128.0, 256.0, 512.0, 1024.0, 2048.0),
                hidden.subList(0, 7).stream().map(BenchSweep.Point::size).toList());
        assertTrue(hidden.stream().allMatch(p -> p.batch() == 64 && p.seq() == 100 && p.vocab() == 65 && !p.embed()));
        List<BenchSweep.Point> lstm1 = BenchSweep.filter(hidden, CellType.LSTM, null, 1, null, null, null, false);
        assertEquals(7, lstm1.size());
        assertTrue(lstm1.stream().allMatch(p -> p.cell() == CellType.LSTM && p.layers() == 1));
        List<BenchSweep.Point> vocab = BenchSweep.grid(List.of(BenchSweep.Group.VOCAB), 65);
        assertEquals(List.of(65.0, 1000.0, 10000.0, 65.0, 1000.0, 10000.0),
                vocab.stream().map(BenchSweep.Point::size).toList());
        assertEquals(3, BenchSweep.filter(vocab, null, null, null, null, null, null, true).size());
        assertEquals(List.of(), BenchSweep.filter(vocab, null, 512, null, null, null, null, false));
        assertEquals(List.of(1.0, 4.0, 16.0, 64.0, 256.0), BenchSweep.grid(List.of(BenchSweep.Group.BATCH), 65)
                .stream().map(BenchSweep.Point::size).toList());
        assertEquals(List.of(10.0, 25.0, 100.0, 400.0), BenchSweep.grid(List.of(BenchSweep.Group.SEQ), 65)
                .stream().map(BenchSweep.Point::size).toList());
    }

    @Test
    void generatedText_hasExactlyTheVocabulary_andDependsOnlyOnTheSeed() {
        String t = BenchText.generate(1000, 5000, 22);
        assertEquals(5000, t.codePointCount(0, t.length()));
        assertEquals(1000, t.codePoints().distinct().count());
        assertEquals(t, BenchText.generate(1000, 5000, 22));
        assertNotEquals(t, BenchText.generate(1000, 5000, 23));
        String ascii = BenchText.generate(65, 2000, 22);
        assertEquals(65, ascii.codePoints().distinct().count());
        assertTrue(ascii.codePoints().allMatch(c -> c < 128), ascii);
        // Zipf: the most common character is far more common than the average one
        long top = t.codePoints().boxed().collect(java.util.stream.Collectors.groupingBy(c -> c,
                java.util.stream.Collectors.counting())).values().stream().mapToLong(Long::longValue).max().orElse(0);
        assertTrue(top > 10 * 5000 / 1000, "top count " + top);
    }

    private static List<BenchSweep.Row> rows() {
        BenchSweep.Point lstm32 = point(BenchSweep.Group.HIDDEN, CellType.LSTM, 1, 32, 65, false);
        BenchSweep.Point lstm64 = point(BenchSweep.Group.HIDDEN, CellType.LSTM, 1, 64, 65, false);
        BenchSweep.Point v1000 = point(BenchSweep.Group.VOCAB, CellType.LSTM, 1, 256, 1000, true);
        return List.of(
                new BenchSweep.Row(lstm32, "charrnn", 0, 1000.5, 2000, 250, 12.25, "ok"),
                new BenchSweep.Row(lstm32, "pytorch", 0, 500, 1000, 400, 10, "ok"),
                new BenchSweep.Row(lstm64, "charrnn", 0, 900, 1800, 260, 12, "ok"),
                new BenchSweep.Row(lstm64, "pytorch", 0, Double.NaN, Double.NaN, 380, 3, "exit status 1, see log"),
                new BenchSweep.Row(v1000, "charrnn", 0, 300, 400, 300, 20, "ok"),
                new BenchSweep.Row(v1000, "charrnn", 1, 500, 600, 310, 20, "ok"));
    }

    @Test
    void csv_hasOneRowPerRun_emptyCellsForMissingFigures_andReplacesTheFileWhole() throws Exception {
        Path csv = dir.resolve("sweep.csv");
        Files.writeString(csv, "old content\n");
        BenchSweepFiles.writeCsv(rows(), csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(BenchSweepFiles.CSV_HEADER, lines.get(0));
        assertEquals(7, lines.size());
        assertEquals("hidden,charrnn,0,lstm,1,32,64,100,65,one-hot,1000.5,2000.0,250.0,12.3,ok", lines.get(1));
        assertEquals("hidden,pytorch,0,lstm,1,64,64,100,65,one-hot,,,380.0,3.0,\"exit status 1, see log\"",
                lines.get(4));
        assertEquals("vocab,charrnn,1,lstm,1,256,64,100,1000,embedding,500.0,600.0,310.0,20.0,ok", lines.get(6));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(csv), files.toList()); // no temporary file left behind
        }
    }

    @Test
    void plot_hasTwoPanelsPerSweptSize() throws Exception {
        Path png = dir.resolve("sweep.png");
        BenchSweepFiles.plot(rows()).write(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(2 * BenchSweepFiles.PANEL_WIDTH, image.getWidth());
        assertEquals(2 * BenchSweepFiles.PANEL_HEIGHT, image.getHeight()); // hidden and vocab
    }

    private static String error(String... args) {
        CharRnnCliTest.Run r = CharRnnCliTest.run(args);
        assertEquals(2, r.status(), String.join(" ", args) + " -> " + r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("charrnn: error: ")).toList();
        assertEquals(1, errors.size(), r.err());
        return errors.get(0);
    }

    @Test
    void badArguments_areRefusedBeforeAnyWork_sayingWhatMustHold() throws Exception {
        Path out = dir.resolve("out");
        Path script = Files.writeString(dir.resolve("torch_charrnn.py"), "# the reference\n");
        Path text = Files.writeString(dir.resolve("t.txt"), "abc abc\n");
        assertTrue(error("bench", "--vocab", "1").contains("--vocab must be 2 to 20000 distinct characters, got 1"));
        assertTrue(error("bench", "--hidden", "0").contains("--hidden must be >= 1, got 0"));
        assertTrue(error("bench", "--batch", "-3").contains("--batch must be >= 1, got -3"));
        assertTrue(error("bench", "--sample-chars", "0").contains("--sample-chars must be >= 1, got 0"));
        assertTrue(error("bench", "--vocab", "100", "--text", text.toString()).contains("give --vocab or --text"));
        assertTrue(error("bench", "--out", out.toString()).contains("--out only applies to --sweep"));
        assertTrue(error("bench", "--sweep", "hidden", "--startup").contains("cannot be combined with --config"));
        assertTrue(error("bench", "--sweep", "hidden", "--config", "C2").contains("cannot be combined"));
        assertTrue(error("bench", "--sweep", "nosuch").contains("nosuch"));
        assertTrue(error("bench", "--sweep", "hidden", "--reference", dir.resolve("missing.py").toString(),
                "--out", out.toString()).contains("--reference must be the PyTorch reference script"));
        assertTrue(error("bench", "--sweep", "vocab", "--hidden", "512", "--reference", script.toString(),
                "--out", out.toString()).contains("no point of the grid for [VOCAB] has the sizes given"));
        assertTrue(error("bench", "--sweep", "seq", "--repeats", "0", "--reference", script.toString(),
                "--out", out.toString()).contains("--repeats must be >= 1, got 0"));
        assertTrue(error("bench", "--sweep", "seq", "--text", dir.toString(), "--reference", script.toString(),
                "--out", out.toString()).contains("--text must be a plain text file"));
        assertTrue(error("bench", "--sweep", "seq", "--reference", script.toString(), "--out", text.toString())
                .contains("--out must be a folder"));
        Path earlier = Files.createDirectories(dir.resolve("earlier"));
        Files.writeString(earlier.resolve("sweep.csv"), "an earlier sweep\n");
        assertTrue(error("bench", "--sweep", "seq", "--reference", script.toString(), "--out", earlier.toString())
                .contains("--out must not hold a sweep already"));
        assertEquals("an earlier sweep\n", Files.readString(earlier.resolve("sweep.csv")));
        assertFalse(Files.exists(out), "nothing is written before the checks pass");
        assertEquals("abc abc\n", Files.readString(text));
    }
}
