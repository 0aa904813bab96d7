package io.charrnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
