package io.charrnn.examples;

import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Corpus;
import io.charrnn.text.Texts;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** The README's example: train on a text file for a few hundred steps, then sample. */
public final class Quickstart {
    private Quickstart() {
    }

    /**
     * Trains a small model on a text and returns a sample of it.
     *
     * @param text a UTF-8 file, a directory or a jar/zip of text files
     * @param steps optimizer steps
     * @return 200 generated characters
     * @throws IOException if the text cannot be read
     */
    public static String run(Path text, int steps) throws IOException {
        // --- README example starts ---
        Corpus corpus = Corpus.of(Texts.read(text));            // 90 % train, 10 % validation
        RnnModel model = RnnModel.builder().hidden(128).build(); // vanilla tanh RNN, one-hot input
        TrainingResult result = Trainer.builder()
                .optimizer(Optimizer.adam(2e-3))
                .sequenceLength(50).batchSize(16).steps(steps)
                .listener(s -> { if (s.step() % 100 == 0) System.err.printf("step %d loss %.3f%n", s.step(), s.loss()); })
                .build()
                .train(model, corpus);                           // `model` is left untouched
        System.out.printf("validation: %.3f bits/char%n", result.validationBitsPerCharacter().orElse(Double.NaN));
        Sampler sampler = Sampler.builder(result.model())
                .strategy(SamplingStrategy.temperature(0.8))
                .build();
        String sample = sampler.generate("", 200, new SplittableRandom(1));
        // --- README example ends ---
        return sample;
    }

    /**
     * @param args a text file, optionally the number of steps (default 500)
     * @throws IOException if the text cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Quickstart TEXT [STEPS]");
            System.exit(2);
        }
        System.out.println(run(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 500));
    }
}
