/**
 * Looking inside models: hidden-state activations over a text, the vanishing-gradient curve of a
 * prediction ({@link io.charrnn.diagnostics.GradientThroughTime}), how often the LSTM's and GRU's
 * gates saturate ({@link io.charrnn.diagnostics.GateSaturation}), per-tensor weight norms
 * ({@link io.charrnn.diagnostics.ParameterNorm}), and the novel-substring check of samples against
 * the training text ({@link io.charrnn.diagnostics.SubstringIndex}).
 *
 * <pre>{@code
 * float[][] h = Diagnostics.hiddenStates(model, "To be or not to be", 0);
 * double[] fade = Diagnostics.gradientThroughTime(model, text).hiddenNorms(0);
 * SubstringIndex index = SubstringIndex.of(trainingText);
 * double novel = index.novelFraction(sample, 8);
 * }</pre>
 */
package io.charrnn.diagnostics;
