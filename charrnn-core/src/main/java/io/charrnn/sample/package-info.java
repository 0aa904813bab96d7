/**
 * Generation: {@link io.charrnn.sample.Sampler} (thread-safe, one hidden state per call) with stop
 * strings, cancellable streaming, batches and beam search; the open
 * {@link io.charrnn.sample.SamplingStrategy} seam, composable {@link io.charrnn.sample.LogitTransform}s
 * (temperature, top-k, top-p, min-p, repetition penalty), and {@link io.charrnn.sample.Probabilities}
 * for custom strategies.
 *
 * <pre>{@code
 * Sampler sampler = Sampler.builder(model).strategy(SamplingStrategy.chain(
 *         LogitTransform.temperature(0.8), LogitTransform.topP(0.9))).build();
 * String text = sampler.generate("ROMEO:", 500, new SplittableRandom(1));
 * SamplingStrategy mine = (logits, rng) -> Probabilities.argmax(logits);
 * }</pre>
 */
package io.charrnn.sample;
