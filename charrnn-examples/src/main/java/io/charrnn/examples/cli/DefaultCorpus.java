package io.charrnn.examples.cli;

import java.io.FileNotFoundException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The zero-configuration training text: the Java sources of Guava, which the build copies from
 * Maven Central to {@code corpus/guava-sources.jar} beside {@code charrnn.jar}, both in
 * {@code target/} and in the distribution {@code target/charrnn/}.
 */
final class DefaultCorpus {
    private DefaultCorpus() {
    }

    /**
     * @return the path of the default corpus
     * @throws FileNotFoundException if the build did not leave it next to the running code
     */
    static Path locate() throws FileNotFoundException {
        Path code;
        try {
            code = Path.of(CharRnnCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new FileNotFoundException("cannot tell where charrnn runs from (" + e.getMessage()
                    + "), so the default corpus cannot be found; pass --text FILE");
        }
        // target/charrnn.jar, target/classes or the distribution's charrnn.jar: corpus/ is beside it
        Path corpus = code.toAbsolutePath().getParent().resolve("corpus").resolve("guava-sources.jar");
        if (!Files.isRegularFile(corpus)) {
            throw new FileNotFoundException("the default corpus " + corpus + " is missing; build with "
                    + "'mvn -B -DskipTests package' (it copies Guava's sources jar there) or pass --text FILE");
        }
        return corpus;
    }

    /**
     * @param given the user's --text, or null
     * @return the path to read
     * @throws FileNotFoundException if none was given and the default corpus is missing
     */
    static Path orDefault(Path given) throws FileNotFoundException {
        return given != null ? given : locate();
    }
}
