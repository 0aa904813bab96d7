package io.charrnn.examples.strategies;

import io.charrnn.sample.SamplingContext;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Vocabulary;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A custom {@link SamplingStrategy}: never generates the banned characters, and otherwise leaves
 * the choice to another strategy. Built on the public API only.
 *
 * <pre>{@code
 * SamplingStrategy clean = BannedCharacters.of(vocabulary, "0123456789", SamplingStrategy.temperature(0.8));
 * Sampler sampler = Sampler.builder(model).strategy(clean).build();
 * }</pre>
 *
 * <p>If every character with a finite logit is banned, the ban is lifted for that one choice: a
 * strategy must always return an index. Immutable and thread-safe.
 */
public final class BannedCharacters implements SamplingStrategy {
    private final int[] banned; // vocabulary indices, sorted
    private final SamplingStrategy then;

    private BannedCharacters(int[] banned, SamplingStrategy then) {
        this.banned = banned;
        this.then = then;
    }

    /**
     * @param vocabulary the model's vocabulary
     * @param characters the characters to ban; those not in the vocabulary are ignored
     * @param then picks among the remaining characters
     * @return the strategy
     */
    public static BannedCharacters of(Vocabulary vocabulary, String characters, SamplingStrategy then) {
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(characters, "characters");
        Objects.requireNonNull(then, "then");
        int[] indices = characters.codePoints().filter(vocabulary::contains).map(vocabulary::indexOf)
                .distinct().sorted().toArray();
        return new BannedCharacters(indices, then);
    }

    /**
     * @param indices vocabulary indices to ban, each {@code >= 0}
     * @param then picks among the remaining characters
     * @return the strategy
     * @throws IllegalArgumentException if an index is negative
     */
    public static BannedCharacters ofIndices(int[] indices, SamplingStrategy then) {
        Objects.requireNonNull(then, "then");
        for (int i : indices) {
            if (i < 0) {
                throw new IllegalArgumentException("banned indices must be >= 0, got " + i);
            }
        }
        return new BannedCharacters(Arrays.stream(indices).distinct().sorted().toArray(), then);
    }

    @Override
    public int choose(float[] logits, RandomGenerator rng) {
        return choose(logits, SamplingContext.empty(), rng);
    }

    @Override
    public int choose(float[] logits, SamplingContext context, RandomGenerator rng) {
        float[] original = null;
        boolean anyLeft = false;
        for (int i : banned) {
            if (i < logits.length) {
                if (original == null) {
                    original = logits.clone();
                }
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
        for (float z : logits) {
            anyLeft |= z > Float.NEGATIVE_INFINITY;
        }
        return then.choose(anyLeft || original == null ? logits : original, context, rng);
    }

    /**
     * @param index a character index of the model's vocabulary
     * @return whether {@code index} is banned
     */
    public boolean bans(int index) {
        return Arrays.binarySearch(banned, index) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BannedCharacters b && Arrays.equals(banned, b.banned) && then.equals(b.then);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(banned) + then.hashCode();
    }

    @Override
    public String toString() {
        return "bannedCharacters(" + Arrays.toString(banned) + ", " + then + ")";
    }
}
