package io.charrnn.eval;

import io.charrnn.internal.check.Check;

/**
 * How surprising one character of a text was to a model, given every character before it.
 *
 * @param position the character's index in the text, in code points ({@code >= 1}: the first
 *     character is only read, never predicted)
 * @param codePoint the character
 * @param probability the model's probability for it, in {@code [0, 1]}
 */
public record CharacterSurprisal(long position, int codePoint, double probability) {
    /**
     * @param position the character's index in the text, in code points ({@code >= 1}: the first
     *     character is only read, never predicted)
     * @param codePoint the character
     * @param probability the model's probability for it, in {@code [0, 1]}
     * @throws IllegalArgumentException if the position is below 1 or the probability outside [0, 1]
     */
    public CharacterSurprisal {
        Check.atLeast("position", position, 1);
        Check.probability("probability", probability);
    }

    /** @return the surprisal {@code -log2 p} in bits */
    public double bits() {
        return -Math.log(probability) / Math.log(2);
    }

    /** @return the surprisal {@code -ln p} in nats */
    public double nats() {
        return -Math.log(probability);
    }
}
