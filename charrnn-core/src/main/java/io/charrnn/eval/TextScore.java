package io.charrnn.eval;

import io.charrnn.internal.check.Check;

/**
 * How well a model predicts a text.
 *
 * @param totalNats the summed cross-entropy {@code Σ -ln p(next | before)}, in nats
 * @param characters the number of characters predicted
 */
public record TextScore(double totalNats, long characters) {
    /**
     * @param totalNats the summed cross-entropy {@code Σ -ln p(next | before)}, in nats
     * @param characters the number of characters predicted
     * @throws IllegalArgumentException if the count is negative or the total is NaN
     */
    public TextScore {
        Check.atLeast("characters", characters, 0);
        Check.notNaN("totalNats", totalNats);
    }

    /** @return mean cross-entropy in nats per character (NaN if nothing was scored) */
    public double natsPerCharacter() {
        return characters == 0 ? Double.NaN : totalNats / characters;
    }

    /** @return mean cross-entropy in bits per character */
    public double bitsPerCharacter() {
        return natsPerCharacter() / Math.log(2);
    }

    /** @return {@code exp(nats per character)} */
    public double perplexity() {
        return Math.exp(natsPerCharacter());
    }
}
