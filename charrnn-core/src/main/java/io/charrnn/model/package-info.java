/**
 * The model: {@link io.charrnn.model.RnnModel} (immutable architecture and weights, built with
 * {@code RnnModel.builder()}), its {@link io.charrnn.model.ModelConfig}, how it was trained
 * ({@link io.charrnn.model.TrainingInfo} with its {@link io.charrnn.model.LossHistory}), and
 * {@link io.charrnn.model.GradientCheck}, which proves the hand-written BPTT against finite
 * differences.
 *
 * <pre>{@code
 * RnnModel model = RnnModel.builder().hidden(100).build();        // unbound: weights come with a corpus
 * RnnModel bound = model.withVocabulary(Vocabulary.fromText(text));
 * System.out.println(bound.parameterCount());
 * System.out.print(GradientCheck.of(model.config()).run().table());
 * }</pre>
 */
package io.charrnn.model;
