/**
 * Scoring texts: {@link io.charrnn.eval.Evaluation} gives the cross-entropy of a text under a model
 * as a {@link io.charrnn.eval.TextScore} in nats and bits per character and perplexity, its
 * log-probability, each character's {@link io.charrnn.eval.CharacterSurprisal}, and the most likely
 * {@link io.charrnn.eval.NextCharacter}s after a prefix.
 *
 * <pre>{@code
 * TextScore s = Evaluation.score(model, Files.readString(Path.of("held-out.txt")));
 * System.out.printf("%.3f bits/char, perplexity %.2f%n", s.bitsPerCharacter(), s.perplexity());
 * List<NextCharacter> next = Evaluation.nextCharacters(model, "ROMEO", 5);
 * }</pre>
 */
package io.charrnn.eval;
