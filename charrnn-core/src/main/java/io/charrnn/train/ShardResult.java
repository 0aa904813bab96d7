package io.charrnn.train;

/**
 * One shard's share of a step: what {@link ShardWorker#compute} gives. Summing {@code lossSum} and
 * {@code gradient} over the shards of a step gives what {@link DataParallel#apply} takes.
 *
 * @param lossSum the summed cross-entropy of the shard's predictions, in nats
 * @param gradient the shard's part of the step's gradient (that of the global mean loss)
 * @param hiddenState the shard's hidden state after the step, to carry into its next
 */
public record ShardResult(double lossSum, float[] gradient, float[] hiddenState) {
}
