package io.charrnn.sample;

/**
 * Receives generated characters as they are produced (streaming) and may cancel generation.
 *
 * <pre>{@code
 * sampler.generate(options, rng, cp -> { System.out.print(Character.toString(cp)); return !stopRequested; });
 * }</pre>
 */
@FunctionalInterface
public interface CharacterSink {
    /**
     * @param codePoint the next generated character
     * @return {@code true} to go on, {@code false} to stop generating after this character
     */
    boolean accept(int codePoint);
}
