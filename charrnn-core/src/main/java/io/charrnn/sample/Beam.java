package io.charrnn.sample;

import java.util.Objects;

/**
 * One result of {@link Sampler#beamSearch}: a continuation and its log-probability under the model.
 *
 * @param text the generated characters, without the prime
 * @param logProbability {@code Σ ln p(c_i | prime, c_1..c_{i-1})} over the generated characters, in
 *     nats; 0 for an empty text
 */
public record Beam(String text, double logProbability) {
    /**
     * @param text the generated characters, without the prime
     * @param logProbability {@code Σ ln p(c_i | prime, c_1..c_{i-1})} over the generated characters, in
     *     nats; 0 for an empty text
     * @throws NullPointerException if the text is null
     */
    public Beam {
        Objects.requireNonNull(text, "text");
    }
}
