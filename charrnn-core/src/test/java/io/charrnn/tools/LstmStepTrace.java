package io.charrnn.tools;

import io.charrnn.internal.format.Npy;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import io.charrnn.text.Texts;
import io.charrnn.text.Vocabulary;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-step training trace of a charrnn LSTM, the counterpart of {@code tools/lstm-compare/torch_steps.py}
 * (not a test; run by hand, see tools/lstm-compare/README.md). Trains on the first 90 % of the text
 * with STREAMS batching, Adam and clip-norm 5, and prints "step loss grad_norm" per step.
 *
 * <p>Arguments: {@code text hidden layers steps seq batch lr init [every] [forgetBias]}; {@code init} is
 * a directory of charrnn-layout {@code .npy} weights (as torch_steps.py --export writes), or
 * {@code own:DIR} for charrnn's own initialisation, exported to DIR for torch_steps.py --load.
 */
public final class LstmStepTrace {
    private LstmStepTrace() {
    }

    public static void main(String[] args) throws Exception {
        String full = Texts.read(Path.of(args[0]));
        int hidden = Integer.parseInt(args[1]);
        int layers = Integer.parseInt(args[2]);
        long steps = Long.parseLong(args[3]);
        int seq = Integer.parseInt(args[4]);
        int batch = Integer.parseInt(args[5]);
        double lr = Double.parseDouble(args[6]);
        String init = args[7];
        int every = args.length > 8 ? Integer.parseInt(args[8]) : 1;
        Vocabulary vocabulary = Vocabulary.fromText(full);
        int[] cps = full.codePoints().toArray();
        String train = new String(cps, 0, (int) (cps.length * 0.9));
        Corpus corpus = Corpus.of(train, vocabulary).withSplit(0, 0);
        ModelConfig config = new ModelConfig(CellType.LSTM, Activation.TANH, hidden, layers, 0,
                1 / Math.sqrt(hidden), 42, 0, 1);
        RnnModel model;
        if (init.startsWith("own:")) {
            model = RnnModel.builder().cell(CellType.LSTM).hidden(hidden).layers(layers).seed(42)
                    .vocabulary(vocabulary).build();
            Path dir = Path.of(init.substring(4));
            Files.createDirectories(dir);
            Map<String, int[]> shapes = model.parameterShapes();
            for (Map.Entry<String, float[]> e : model.weights().entrySet()) {
                try (OutputStream out = Files.newOutputStream(dir.resolve(e.getKey() + ".npy"))) {
                    Npy.write(out, shapes.get(e.getKey()), e.getValue());
                }
            }
        } else {
            Map<String, float[]> weights = new LinkedHashMap<>();
            RnnModel shape = RnnModel.builder().cell(CellType.LSTM).hidden(hidden).layers(layers)
                    .vocabulary(vocabulary).build();
            for (Map.Entry<String, int[]> e : shape.parameterShapes().entrySet()) {
                try (InputStream in = Files.newInputStream(Path.of(init, e.getKey() + ".npy"))) {
                    weights.put(e.getKey(), Npy.read(in, e.getValue()));
                }
            }
            if (args.length > 9) {
                float fb = Float.parseFloat(args[9]);
                for (int l = 0; l < layers; l++) {
                    java.util.Arrays.fill(weights.get("layer" + l + ".b"), hidden, 2 * hidden, fb);
                }
            }
            model = RnnModel.fromWeights(config, vocabulary, weights);
        }
        Trainer trainer = Trainer.builder().optimizer(Optimizer.adam(lr)).sequenceLength(seq).batchSize(batch)
                .steps(steps).gradientClipNorm(5).listener(s -> {
                    if (s.step() % every == 0 || s.step() == 1) {
                        System.out.printf("%d %.6f %.6f%n", s.step(), s.loss(), s.gradientNorm());
                    }
                }).build();
        trainer.train(model, corpus);
    }
}
