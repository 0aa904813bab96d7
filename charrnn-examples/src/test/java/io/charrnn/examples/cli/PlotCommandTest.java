package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code plot}, {@code inspect --norms} and {@code sample --novelty}, run in-process on a tiny trained model. */
class PlotCommandTest {
    @TempDir
    static Path dir;
    static Path text;
    static Path model;

    private static CharRnnCliTest.Run run(String... args) {
        return CharRnnCliTest.run(args);
    }

    @BeforeAll
    static void trainTinyModel() throws Exception {
        Random r = new Random(2);
        String[] words = {"abcab", "cabba", "abc", "bca", "aab"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 3000) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(5) == 0 ? '\n' : ' ');
        }
        text = dir.resolve("tiny.txt");
        Files.writeString(text, sb);
        model = dir.resolve("tiny.charrnn");
        CharRnnCliTest.Run train = run("train", "--text", text.toString(), "--out", model.toString(), "--cell", "lstm",
                "--hidden", "8", "--seq", "10", "--batch", "2", "--steps", "12", "--val-every", "4", "--no-samples");
        assertEquals(0, train.status(), train.err());
    }

    private static BufferedImage png(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G',
                file + " does not start with the PNG signature");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not a readable image");
        return image;
    }

    @ParameterizedTest
    @ValueSource(strings = {"loss", "heatmap", "gradients", "temperatures"})
    void plot_eachKind_writesAPngOfTheRequestedSize(String kind) throws Exception {
        Path out = dir.resolve(kind + ".png");
        CharRnnCliTest.Run p = run("plot", "--model", model.toString(), "--kind", kind, "--out", out.toString(),
                "--width", "360", "--height", "240", "--text", kind.equals("temperatures") ? "ab" : "abcab cab\nbca",
                "--length", "60");
        assertEquals(0, p.status(), p.err());
        BufferedImage image = png(out);
        assertEquals(360, image.getWidth());
        assertEquals(240, image.getHeight());
        assertTrue(distinctColours(image) > 3, "the image is (nearly) blank");
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(),
                    "temporary files left behind");
        }
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    @ParameterizedTest
    @ValueSource(strings = {"loss", "heatmap", "gradients", "temperatures"})
    void plot_svgOutput_isAnSvgDocumentOfTheRequestedSize(String kind) throws Exception {
        Path out = dir.resolve(kind + ".svg");
        CharRnnCliTest.Run p = run("plot", "--model", model.toString(), "--kind", kind, "--out", out.toString(),
                "--width", "300", "--height", "200", "--text", "abcab", "--length", "30", "--no-compare");
        assertEquals(0, p.status(), p.err());
        String svg = Files.readString(out, StandardCharsets.UTF_8);
        int start = svg.indexOf("<svg");
        assertTrue(start >= 0 && svg.substring(0, start).strip().startsWith("<?xml"), svg.substring(0, 200));
        String tag = svg.substring(start, svg.indexOf('>', start));
        assertTrue(tag.contains("viewBox=\"0 0 300 200\""), tag);
        assertTrue(svg.strip().endsWith("</svg>"));
    }

    @Test
    void plot_heatmapOfTheCellState_andCaseInsensitiveKind() throws Exception {
        Path out = dir.resolve("c.png");
        CharRnnCliTest.Run p = run("plot", "--model", model.toString(), "--kind", "HeatMap", "--cell-state", "--out",
                out.toString(), "--text", "abc", "--width", "200", "--height", "150");
        assertEquals(0, p.status(), p.err());
        assertEquals(200, png(out).getWidth());
    }

    @Test
    void plot_lossOfAModelWithoutHistory_failsWithOneLine() throws Exception {
        Path untrained = dir.resolve("untrained.charrnn");
        ModelFiles.save(RnnModel.builder().cell(CellType.GRU).hidden(3).vocabulary(Vocabulary.fromText("abc")).build(),
                untrained);
        CharRnnCliTest.Run p = run("plot", "--model", untrained.toString(), "--kind", "loss", "--out",
                dir.resolve("none.png").toString());
        assertEquals(1, p.status());
        assertOneErrorLine(p.err());
        assertTrue(p.err().contains("has no loss history (it was never trained)"), p.err());
        assertFalse(Files.exists(dir.resolve("none.png")));
    }

    @Test
    void plot_badArguments_areOneLineErrors() {
        String m = model.toString();
        Object[][] cases = {
            {2, "expected one of [LOSS, HEATMAP, GRADIENTS, TEMPERATURES]",
                new String[] {"plot", "--model", m, "--kind", "histogram", "--out", dir.resolve("x.png").toString()}},
            {2, "--out must end in .png or .svg, got",
                new String[] {"plot", "--model", m, "--kind", "loss", "--out", dir.resolve("x.jpg").toString()}},
            {1, "cannot be written: the directory " + dir.resolve("no/such") + " does not exist",
                new String[] {"plot", "--model", m, "--kind", "loss", "--out", dir.resolve("no/such/x.png").toString()}},
            {2, "--text: text contains 'T' (U+0054) at index 0",
                new String[] {"plot", "--model", m, "--kind", "heatmap", "--out", dir.resolve("x.png").toString()}},
            {2, "--layer must be in [0, 1), got 1",
                new String[] {"plot", "--model", m, "--kind", "gradients", "--layer", "1", "--text", "abc", "--out",
                    dir.resolve("x.png").toString()}},
            {2, "--width must be in [100, 10000], got 5",
                new String[] {"plot", "--model", m, "--kind", "loss", "--width", "5", "--out", dir.resolve("x.png").toString()}},
            {2, "Missing required option: '--kind=KIND'",
                new String[] {"plot", "--model", m, "--out", dir.resolve("x.png").toString()}},
        };
        for (Object[] c : cases) {
            CharRnnCliTest.Run p = run((String[]) c[2]);
            assertEquals(c[0], p.status(), p.err());
            assertOneErrorLine(p.err());
            assertTrue(p.err().contains((String) c[1]), c[1] + " not in " + p.err());
        }
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    @Test
    void help_listsPlotAndItsOptions() {
        assertTrue(run("--help").out().contains("plot"));
        String help = run("plot", "--help").out();
        for (String o : new String[] {"--model", "--kind", "--out", "--text", "--layer", "--cell-state", "--[no-]compare",
                "--length", "--seed", "--width", "--height"}) {
            assertTrue(help.contains(o), o + " missing in\n" + help);
        }
    }

    @Test
    void inspect_norms_printsEveryParameter_andTheHistory() {
        CharRnnCliTest.Run r = run("inspect", "--norms", model.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("norms:"), r.out());
        for (String name : new String[] {"layer0.wx", "layer0.wh", "layer0.b", "output.w", "output.b"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("  " + name.replace(".", "\\.")
                    + " +[0-9.e+-]+ +[0-9.e+-]+ +[0-9.e+-]+")), name + " in\n" + r.out());
        }
        assertTrue(r.out().contains("history:      steps 1..12, 3 validations"), r.out());
    }

    @Test
    void sample_novelty_reportsTheNovelFractionsOnStderr() {
        CharRnnCliTest.Run s = run("sample", "--model", model.toString(), "--length", "50", "--seed", "1", "--novelty",
                text.toString());
        assertEquals(0, s.status(), s.err());
        assertTrue(s.err().matches("(?s)novel substrings \\(not in the --novelty text\\): 4 chars [0-9.]+ %; 8 chars "
                + "[0-9.]+ %; 16 chars [0-9.]+ %; 32 chars [0-9.]+ %\\R"), s.err());
    }

    private static void assertOneErrorLine(String err) {
        String[] lines = err.strip().split("\\R");
        assertEquals(1, lines.length, err);
        assertTrue(lines[0].startsWith("charrnn: error: "), err);
        assertFalse(err.contains("Exception"), err);
    }
}
