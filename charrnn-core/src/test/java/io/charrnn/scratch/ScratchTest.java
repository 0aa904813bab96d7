package io.charrnn.scratch;

import io.charrnn.model.*;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void gradcheck() {
        for (Activation act : Activation.values()) {
            for (int emb : new int[] {0, 3}) {
                ModelConfig c = RnnModel.builder().hidden(5).layers(2).embedding(emb).activation(act).initScale(0.8).build().config();
                long t0 = System.nanoTime();
                GradientCheck.Report r = GradientCheck.run(c, 7, 5, 3, 1);
                System.out.println(act + " emb=" + emb + " loss=" + r.loss() + " ms=" + (System.nanoTime() - t0) / 1e6);
                System.out.print(r.table());
            }
        }
    }
}
