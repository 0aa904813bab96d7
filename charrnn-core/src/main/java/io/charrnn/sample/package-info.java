/**
 * Generation: {@link io.charrnn.sample.Sampler} (thread-safe, one hidden state per call) and the
 * open {@link io.charrnn.sample.SamplingStrategy} seam, with {@link io.charrnn.sample.Probabilities}
 * for custom strategies.
 *
 * <pre>{@code
 * Sampler sampler = Sampler.builder(model).strategy(SamplingStrategy.temperature(0.8)).build();
 * String text = sampler.generate("ROMEO:", 500, new SplittableRandom(1));
 * SamplingStrategy mine = (logits, rng) -> Probabilities.argmax(logits);
 * }</pre>
 */
package io.charrnn.sample;
