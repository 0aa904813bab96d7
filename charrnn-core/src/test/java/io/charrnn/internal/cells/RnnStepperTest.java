package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.charrnn.model.RnnModel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RnnStepperTest {

    @Test
    void batchRows_equalSeparateSingleRowSteppers() {
        for (int hidden : new int[] {3, 8, 13}) {
            ParameterLayout layout = new ParameterLayout(RnnModel.builder().hidden(hidden).layers(2).embedding(hidden % 2 * 4)
                    .initScale(0.7).seed(hidden).build().config(), 7);
            StepperWeights weights = new StepperWeights(layout, layout.initialParameters());
            int rows = 5;
            RnnStepper batch = new RnnStepper(weights, rows);
            RnnStepper[] singles = new RnnStepper[rows];
            for (int b = 0; b < rows; b++) {
                singles[b] = new RnnStepper(weights);
            }
            SplittableRandom rng = new SplittableRandom(hidden);
            float[][] logits = new float[rows][7];
            float[] single = new float[7];
            for (int t = 0; t < 20; t++) {
                int[] codes = rng.ints(rows, 0, 7).toArray();
                batch.step(codes, logits, rows);
                for (int b = 0; b < rows; b++) {
                    singles[b].step(codes[b], single);
                    assertArrayEquals(single, logits[b], "hidden " + hidden + " step " + t + " row " + b);
                }
            }
        }
    }
}
