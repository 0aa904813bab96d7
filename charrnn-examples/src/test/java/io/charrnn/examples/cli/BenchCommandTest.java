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
        assertEquals(2.0 * (512 * 512 + 512 * 65), BenchCommand.forwardFlopsPerChar(CellType.RNN, 512, 1, 65));
        // 2-layer LSTM: 4 gate blocks; layer 1 also multiplies its H inputs
        assertEquals(2.0 * 4 * 512 * 512 + 2.0 * 4 * 512 * (512 + 512) + 2.0 * 512 * 65,
                BenchCommand.forwardFlopsPerChar(CellType.LSTM, 512, 2, 65));
        assertEquals(2.0 * 3 * 100 * 100 + 2.0 * 100 * 65, BenchCommand.forwardFlopsPerChar(CellType.GRU, 100, 1, 65));
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
        String out = run("bench", "--peak", "--config", "C1", "--cell", "gru", "--seconds", "0.3",
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
        double flops = 3 * BenchCommand.forwardFlopsPerChar(CellType.GRU, 100, 1, 7);
        assertEquals(Math.round(flops), result.get("train_flops_per_char").getAsLong());
        double printedPeak = result.get("gemm_peak_gflops").getAsDouble();
        double limit = printedPeak * 1e9 / flops;
        // the printed peak is rounded to 0.1 GFLOP/s: a relative error of 0.05 / peak, over 1e-3 on a loaded machine
        assertEquals(limit, result.get("train_limit_cps").getAsDouble(), (0.05 / printedPeak + 1e-3) * limit);
        double trainFraction = result.get("train_limit_fraction").getAsDouble();
        assertEquals(result.get("train_cps_median").getAsDouble() / limit, trainFraction,
                0.0006 + (0.05 / printedPeak + 1e-3) * trainFraction);
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
}
