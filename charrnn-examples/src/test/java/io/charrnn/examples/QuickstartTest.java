package io.charrnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartTest {
    @Test
    void readmeExample_trainsAndSamples(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("tiny.txt");
        Files.writeString(text, "the cat sat on the mat. ".repeat(200));
        String sample = Quickstart.run(text, 20);
        assertEquals(200, sample.codePointCount(0, sample.length()));
    }

    @Test
    void readme_showsTheQuickstartCode() throws Exception {
        Path readme = Path.of("..", "README.md");
        String source = Files.readString(Path.of("src/main/java/io/charrnn/examples/Quickstart.java"));
        String example = source.substring(source.indexOf("// --- README example starts ---"),
                source.indexOf("// --- README example ends ---"));
        String code = example.lines().skip(1).map(String::strip).collect(Collectors.joining("\n"));
        String doc = Files.readString(readme).lines().map(String::strip).collect(Collectors.joining("\n"));
        assertTrue(doc.contains(code), "README.md's Java example differs from Quickstart.java:\n" + code);
    }
}
