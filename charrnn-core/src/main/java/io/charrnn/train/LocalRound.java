package io.charrnn.train;

import java.util.Map;

/**
 * One shard's round of local steps in periodic averaging ({@link ShardWorker#localSteps}).
 *
 * @param lossSums each step's summed cross-entropy over the shard's predictions, in nats
 * @param weights the shard's weights after the round
 * @param moments the shard's optimizer moments after the round
 * @param scalars the optimizer's scalar state after the round
 * @param hiddenState the shard's hidden state after the round
 */
public record LocalRound(double[] lossSums, float[] weights, Map<String, float[]> moments, Map<String, Double> scalars,
                         float[] hiddenState) {
}
