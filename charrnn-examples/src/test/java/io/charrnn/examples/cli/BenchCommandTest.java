package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.charrnn.model.CellType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @TempDir
    Path dir;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = CharRnnCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(0, status, err.toString());
        return new String[] {out.toString(), err.toString()};
    }

    private static JsonObject line(String out, String prefix) {
        List<String> lines = out.lines().filter(l -> l.startsWith(prefix + " ")).toList();
        assertEquals(1, lines.size(), out);
        return JsonParser.parseString(lines.get(0).substring(prefix.length() + 1)).getAsJsonObject();
    }

    @Test
    void forwardFlops_followTheDocumentedFormula() {
        // vanilla: recurrent 2·H·H plus output 2·H·V; the one-hot input product is a gather, not counted
        assertEquals(2.0 * (512 * 512 + 512 * 65), BenchRun.forwardFlopsPerChar(CellType.RNN, 512, 1, 65, 0));
        // 2-layer LSTM: 4 gate blocks; layer 1 also multiplies its H inputs
        assertEquals(2.0 * 4 * 512 * 512 + 2.0 * 4 * 512 * (512 + 512) + 2.0 * 512 * 65,
                BenchRun.forwardFlopsPerChar(CellType.LSTM, 512, 2, 65, 0));
        assertEquals(2.0 * 3 * 100 * 100 + 2.0 * 100 * 65, BenchRun.forwardFlopsPerChar(CellType.GRU, 100, 1, 65, 0));
    }

    @Test
    void peakAlone_printsOnlyThePeakLine() {
        String out = run("bench", "--peak")[0];
        JsonObject peak = line(out, "PEAK");
        assertTrue(peak.get("gemm_gflops_median").getAsDouble() > 0, out);
        assertEquals(2048, peak.get("n").getAsInt());
        assertFalse(out.contains("RESULT"), out);
    }

    @Test
    void cellOption_benchesThatCell_andReportsLimitFractionAndMemory() throws Exception {
        Random r = new Random(2);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 6000) {
            sb.append("abcde \n".charAt(r.nextInt(7)));
        }
        Path text = dir.resolve("t.txt");
        Files.writeString(text, sb);
        // 0.3 s left the timed run a limit of about half a second, which a stall of the loaded
        // machine used up before the first window (twice in full builds at load average 15-20)
        String out = run("bench", "--peak", "--config", "C1", "--cell", "gru", "--seconds", "1.5",
                "--text", text.toString())[0];
        JsonObject peak = line(out, "PEAK");
        JsonObject result = line(out, "RESULT");
        assertTrue(out.indexOf("PEAK ") < out.indexOf("RESULT "), out);
        assertEquals("C1", result.get("config").getAsString());
        assertEquals("gru", result.get("cell").getAsString());
        assertEquals(100, result.get("hidden").getAsInt());
        assertTrue(result.get("train_cps_median").getAsDouble() > 0, out);
        assertTrue(result.get("sample_cps_median").getAsDouble() > 0, out);
        assertEquals(peak.get("gemm_gflops_median").getAsDouble(), result.get("gemm_peak_gflops").getAsDouble());
        double flops = 3 * BenchRun.forwardFlopsPerChar(CellType.GRU, 100, 1, 7, 0);
        assertEquals(Math.round(flops), result.get("train_flops_per_char").getAsLong());
        double peakGflops = result.get("gemm_peak_gflops").getAsDouble();
        double limit = peakGflops * 1e9 / flops;
        // the printed peak is rounded to 0.1 GFLOPS, which on a loaded machine (a low peak) is more than 0.1 %
        assertEquals(limit, result.get("train_limit_cps").getAsDouble(), (0.05 / peakGflops + 1e-3) * limit);
        assertEquals(result.get("train_cps_median").getAsDouble() / limit,
                result.get("train_limit_fraction").getAsDouble(), 0.0006 + 1e-3 * result.get("train_limit_fraction").getAsDouble());
        // GRU H=100, V=7: the sampler's products read rows of [Wh | Wy], 100 × (300 + 7) floats
        assertEquals(Math.round(4 * 100 * 307 / 1e4) / 100.0, result.get("sample_weight_mb_per_char").getAsDouble());
        double sampleLimit = result.get("sample_limit_cps").getAsDouble();
        assertTrue(sampleLimit > 0, out);
        double fraction = result.get("sample_limit_fraction").getAsDouble();
        assertEquals(result.get("sample_cps_median").getAsDouble() / sampleLimit, fraction, 0.0006 + 1e-3 * fraction);
        assertEquals(4 * 100 * 307 * sampleLimit / 1e9, result.get("sample_product_gbps").getAsDouble(), 0.06);
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertTrue(result.get("peak_rss_mb").getAsDouble() > 10, out);
        }
        assertTrue(result.get("heap_peak_mb").getAsDouble() > 0, out);
        assertTrue(result.get("heap_max_mb").getAsDouble() >= result.get("heap_peak_mb").getAsDouble(), out);
    }

    @Test
    void sizeOverridesAndVocab_benchThoseSizes_onAGeneratedText() {
        // the embedding's product counts as a first-layer input of H
        assertEquals(2.0 * 4 * 16 * (16 + 16) * 2 + 2.0 * 16 * 300,
                BenchRun.forwardFlopsPerChar(CellType.LSTM, 16, 2, 300, 16));
        String out = run("bench", "--config", "C1", "--cell", "lstm", "--hidden", "16", "--layers", "2", "--seq", "10",
                "--batch", "2", "--embed", "--vocab", "300", "--sample-chars", "50", "--seconds", "1.5")[0];
        JsonObject result = line(out, "RESULT");
        assertEquals("lstm", result.get("cell").getAsString());
        assertEquals(16, result.get("hidden").getAsInt());
        assertEquals(2, result.get("layers").getAsInt());
        assertEquals(10, result.get("seq").getAsInt());
        assertEquals(2, result.get("batch").getAsInt());
        assertEquals(300, result.get("vocab").getAsInt());
        assertEquals(50, result.get("sample_chars").getAsInt());
        assertEquals("embedding", result.get("input").getAsString());
        assertEquals(Math.round(3 * BenchRun.forwardFlopsPerChar(CellType.LSTM, 16, 2, 300, 16)),
                result.get("train_flops_per_char").getAsLong());
        assertTrue(result.get("train_cps_median").getAsDouble() > 0, out);
        assertTrue(result.get("sample_cps_median").getAsDouble() > 0, out);
    }
}
