package io.charrnn.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Independent, plain double-precision statements of what each built-in claims to sample from. */
final class Reference {
    private Reference() {
    }

    static double[] softmax(double[] z) {
        double max = Arrays.stream(z).max().orElseThrow();
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = z[i] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static double[] scaled(float[] logits, double temperature) {
        double[] z = new double[logits.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = logits[i] / temperature;
        }
        return z;
    }

    /** Indices by descending value, ties in index order. */
    static List<Integer> descending(double[] z) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < z.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> z[a] != z[b] ? Double.compare(z[b], z[a]) : Integer.compare(a, b));
        return order;
    }

    /** Zeroes all but the first {@code k} in descending order, then renormalises. */
    static double[] topK(double[] z, int k) {
        double[] masked = z.clone();
        List<Integer> order = descending(z);
        for (int r = k; r < order.size(); r++) {
            masked[order.get(r)] = Double.NEGATIVE_INFINITY;
        }
        return softmax(masked);
    }

    static double[] topP(double[] z, double p) {
        double[] probs = softmax(z);
        double[] masked = z.clone();
        List<Integer> order = descending(z);
        double kept = 0;
        int r = 0;
        while (r < order.size()) {
            kept += probs[order.get(r)];
            r++;
            if (kept >= p) {
                break;
            }
        }
        for (; r < order.size(); r++) {
            masked[order.get(r)] = Double.NEGATIVE_INFINITY;
        }
        return softmax(masked);
    }

    static double[] minP(double[] z, double p) {
        double[] probs = softmax(z);
        double max = Arrays.stream(probs).max().orElseThrow();
        double[] out = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            out[i] = probs[i] >= p * max ? probs[i] : 0;
            sum += out[i];
        }
        for (int i = 0; i < z.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /** Divides the weight of each distinct index among the last {@code window} by {@code penalty}. */
    static double[] penalised(double[] z, int[] history, double penalty, int window) {
        double[] out = z.clone();
        boolean[] seen = new boolean[z.length];
        for (int i = Math.max(0, history.length - window); i < history.length; i++) {
            seen[history[i]] = true;
        }
        for (int i = 0; i < z.length; i++) {
            if (seen[i]) {
                out[i] -= Math.log(penalty);
            }
        }
        return out;
    }
}
