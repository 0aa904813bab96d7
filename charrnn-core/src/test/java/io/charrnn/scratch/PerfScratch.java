package io.charrnn.scratch;

import io.charrnn.model.*;
import io.charrnn.text.*;
import io.charrnn.train.*;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;

public class PerfScratch {
    public static void main(String[] a) throws Exception {
        String text = Files.readString(Path.of("/work/shared/data/tinyshakespeare.txt"));
        Corpus corpus = Corpus.of(text);
        String cfg = a.length > 0 ? a[0] : "C1";
        int secs = a.length > 1 ? Integer.parseInt(a[1]) : 10;
        RnnModel m; Trainer.Builder tb;
        if (cfg.equals("C1")) {
            m = RnnModel.builder().hidden(100).build();
            tb = Trainer.builder().optimizer(Optimizer.adagrad(0.1)).sequenceLength(25).batchSize(1).gradientClipValue(5).gradientClipNorm(Double.POSITIVE_INFINITY);
        } else {
            m = RnnModel.builder().hidden(512).build();
            tb = Trainer.builder().optimizer(Optimizer.adam(1e-3)).sequenceLength(100).batchSize(64).gradientClipNorm(5);
        }
        List<Double> cps = new ArrayList<>();
        long[] n = {0};
        TrainingResult r = tb.timeLimit(Duration.ofSeconds(secs)).listener(s -> { if (s.step() > 3) cps.add(s.charactersPerSecond()); }).build().train(m, corpus.withSplit(0.001, 0));
        Collections.sort(cps);
        System.out.printf("%s steps=%d overall cps=%.0f median step cps=%.0f loss=%.3f smooth=%.3f%n", cfg, r.steps(), r.charactersPerSecond(), cps.get(cps.size()/2), r.loss(), r.smoothLoss());
    }
}
