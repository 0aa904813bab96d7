package io.charrnn.eval;

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
        if (position < 1) {
            throw new IllegalArgumentException("position must be >= 1, got " + position);
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
        }
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
