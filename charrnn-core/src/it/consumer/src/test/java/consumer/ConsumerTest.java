package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.text.Corpus;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

/** What a user of the one charrnn-core dependency gets: a working library, and one platform's natives. */
class ConsumerTest {
    /** A JavaCPP platform classifier at the end of a jar's name, e.g. {@code -linux-x86_64.jar}. */
    private static final Pattern NATIVES =
            Pattern.compile("-((?:android|ios|linux|macosx|windows)-[a-z0-9_]+?)(?:-[a-z0-9]+)?\\.jar$");
    /** The bound for the dependency set on linux-x86_64. */
    private static final long MAX_BYTES = 150_000_000L;

    @Test
    void trainsAndSamples() {
        String text = "the quick brown fox jumps over the lazy dog. ".repeat(60);
        RnnModel model = RnnModel.builder().hidden(100).build();
        TrainingResult result = Trainer.builder().sequenceLength(25).batchSize(4).steps(5).seed(1).build()
                .train(model, Corpus.of(text));
        assertEquals(5, result.steps());
        assertTrue(Double.isFinite(result.loss()), "loss " + result.loss());
        String sample = Sampler.builder(result.model()).build().generate("the ", 100, new SplittableRandom(1));
        assertEquals(100, sample.codePointCount(0, sample.length()));
        assertTrue(sample.codePoints().allMatch(cp -> text.indexOf(cp) >= 0), sample);
    }

    @Test
    void dependencySetHoldsThisPlatformOnly() throws IOException {
        String classpath = Files.readString(Path.of(System.getProperty("runtimeClasspathFile"))).strip();
        List<Path> jars = new ArrayList<>();
        for (String entry : classpath.split(Pattern.quote(File.pathSeparator))) {
            jars.add(Path.of(entry));
        }
        Set<String> platforms = new TreeSet<>();
        long bytes = 0;
        for (Path jar : jars) {
            bytes += Files.size(jar);
            Matcher m = NATIVES.matcher(jar.getFileName().toString());
            if (m.find()) {
                platforms.add(m.group(1));
            }
        }
        String summary = String.format(Locale.ROOT, "dependency set: %d jars, %.1f MB (%,d bytes), natives for %s",
                jars.size(), bytes / 1e6, bytes, platforms);
        System.out.println(summary);
        Files.writeString(Path.of("target", "dependency-set.txt"), summary + System.lineSeparator());
        assertEquals(Set.of(Loader.getPlatform()), platforms, summary);
        if (Loader.getPlatform().equals("linux-x86_64")) {
            assertTrue(bytes < MAX_BYTES, summary);
        }
    }

    @Test
    void sourcesAndJavadocJarsWereDeployed() throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("attachedDirectory")))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), names.toString());
            assertTrue(names.get(0).endsWith("-javadoc.jar") && names.get(1).endsWith("-sources.jar"), names.toString());
        }
    }
}
