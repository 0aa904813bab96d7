package io.charrnn.sample;

import io.charrnn.internal.cells.RnnStepper;
import io.charrnn.internal.cells.StepperWeights;
import io.charrnn.internal.check.Check;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Beam search over a stepper: {@code width} rows, states copied between two steppers each step. */
final class BeamSearch {
    private BeamSearch() {
    }

    static List<Beam> run(StepperWeights weights, Vocabulary vocabulary, int[] prime, int length, int width) {
        Check.atLeast("width", width, 1);
        int v = vocabulary.size();
        RnnStepper current = new RnnStepper(weights, width);
        RnnStepper next = new RnnStepper(weights, width);
        int[] inputs = new int[width];
        for (int i = 0; i < prime.length - 1; i++) {
            inputs[0] = prime[i];
            current.step(inputs, null, 1);
        }
        inputs[0] = prime[prime.length - 1];
        float[][] logits = new float[width][v];
        double[] score = new double[width];
        int[][] parent = new int[length][width];
        int[][] chosen = new int[length][width];
        int alive = 1;
        Integer[] order = null;
        double[] candidates = new double[width * v];
        for (int t = 0; t < length; t++) {
            current.step(inputs, logits, alive);
            int n = alive * v;
            for (int b = 0; b < alive; b++) {
                double[] lp = Probabilities.logSoftmax(logits[b]);
                for (int c = 0; c < v; c++) {
                    candidates[b * v + c] = score[b] + lp[c];
                }
            }
            if (order == null || order.length != n) {
                order = new Integer[n];
            }
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            double[] cand = candidates;
            // best first; ties by beam then character, so the result is deterministic
            Arrays.sort(order, (x, y) -> cand[x] != cand[y] ? Double.compare(cand[y], cand[x]) : Integer.compare(x, y));
            int kept = Math.min(width, n);
            double[] newScore = new double[width];
            for (int i = 0; i < kept; i++) {
                int b = order[i] / v;
                int c = order[i] % v;
                parent[t][i] = b;
                chosen[t][i] = c;
                newScore[i] = cand[order[i]];
                next.copyRow(current, b, i);
                inputs[i] = c;
            }
            score = newScore;
            alive = kept;
            RnnStepper swap = current;
            current = next;
            next = swap;
        }
        List<Beam> beams = new ArrayList<>(alive);
        for (int i = 0; i < alive; i++) {
            int[] codes = new int[length];
            int b = i;
            for (int t = length - 1; t >= 0; t--) {
                codes[t] = chosen[t][b];
                b = parent[t][b];
            }
            beams.add(new Beam(vocabulary.decode(codes), score[i]));
        }
        return beams;
    }
}
