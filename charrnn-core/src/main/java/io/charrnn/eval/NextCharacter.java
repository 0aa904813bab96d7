package io.charrnn.eval;

import io.charrnn.internal.check.Check;

/**
 * One candidate for the character after a prefix.
 *
 * @param codePoint the character
 * @param probability the model's probability for it, in {@code [0, 1]}
 */
public record NextCharacter(int codePoint, double probability) {
    /**
     * @param codePoint the character
     * @param probability the model's probability for it, in {@code [0, 1]}
     * @throws IllegalArgumentException if the probability is outside [0, 1]
     */
    public NextCharacter {
        Check.probability("probability", probability);
    }

    @Override
    public String toString() {
        return "NextCharacter[" + new String(Character.toChars(codePoint)) + " (U+"
                + String.format("%04X", codePoint) + "), " + probability + "]";
    }
}
