package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s options are checked before the model is read. */
class ServeCommandTest {
    @Test
    void threadsBeyondTheCap_areRefusedBeforeTheModelIsRead(@TempDir Path dir) throws Exception {
        Path notAModel = Files.writeString(dir.resolve("notes.txt"), "this is not a model file");
        for (String threads : new String[] {"1000000", "257", "0"}) {
            CharRnnCliTest.Run r = CharRnnCliTest.run("serve", "--model", notAModel.toString(), "--threads", threads);
            assertEquals(2, r.status(), r.err());
            assertEquals("charrnn: error: --threads must be from 1 to 256, got " + threads
                    + " (see 'charrnn serve --help')", r.err().strip());
        }
    }
}
