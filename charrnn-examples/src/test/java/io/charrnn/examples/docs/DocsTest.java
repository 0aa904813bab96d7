package io.charrnn.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import io.charrnn.train.Trainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md and docs/*.md: the jshell recipe runs, links resolve, the model file's fields are documented. */
class DocsTest {
    static final Path ROOT = Path.of("..");

    static List<Path> pages() throws Exception {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void readme_jshellRecipe_trainsAndSamples() throws Exception {
        List<String> blocks = JShellRunner.snippets(ROOT.resolve("README.md"));
        assertEquals(1, blocks.size());
        JShellRunner.Session session = JShellRunner.session(blocks);
        assertEquals(2, session.values().size(), session.values().toString());
        assertTrue(session.values().get(0).startsWith("OptionalDouble["), session.values().toString());
        String sample = session.values().get(1);
        assertEquals(80 + 2, sample.length(), "80 characters in quotes: " + sample);
    }

    @Test
    void links_pointToFilesAndHeadingsThatExist() throws Exception {
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            Matcher m = link.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ": " + target + " (no file " + resolved + ")");
                } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(page + ": " + target + " (no heading; there are " + anchors(resolved) + ")");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void readme_linksEveryDocsPage() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (Path page : pages().subList(1, pages().size())) {
            assertTrue(readme.contains("](docs/" + page.getFileName() + ")"), "README.md does not link " + page);
        }
    }

    /** @return GitHub's anchors of a Markdown file's headings */
    static Set<String> anchors(Path markdown) throws Exception {
        return Files.readAllLines(markdown).stream().filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "")
                        .replace(' ', '-'))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void fileFormat_documentsEveryFieldOfCharrnnJson(@TempDir Path dir) throws Exception {
        Corpus corpus = Corpus.of("the cat sat on the mat. ".repeat(40));
        RnnModel model = Trainer.builder().sequenceLength(8).batchSize(2).steps(3).validateEvery(2).build()
                .train(RnnModel.builder().hidden(4).embedding(3).build(), corpus).model();
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model, file);
        Set<String> keys = new TreeSet<>();
        List<String> entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().forEach(e -> entries.add(e.getName()));
            String json = new String(zip.getInputStream(zip.getEntry("charrnn.json")).readAllBytes(),
                    StandardCharsets.UTF_8);
            collectKeys(JsonParser.parseString(json), keys);
        }
        String doc = Files.readString(ROOT.resolve("docs/file-format.md"));
        List<String> missing = keys.stream().filter(k -> !doc.contains("\"" + k + "\"")).toList();
        assertEquals(List.of(), missing, "charrnn.json fields that docs/file-format.md does not name");
        for (String entry : entries) {
            String documented = entry.startsWith("weights/") ? "weights/<name>.npy" : entry;
            assertTrue(doc.contains("`" + documented + "`"), "zip entry " + entry + " is not in docs/file-format.md");
        }
    }

    private static void collectKeys(JsonElement e, Set<String> keys) {
        if (e.isJsonObject()) {
            e.getAsJsonObject().entrySet().forEach(en -> {
                keys.add(en.getKey());
                collectKeys(en.getValue(), keys);
            });
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> collectKeys(x, keys));
        }
    }
}
