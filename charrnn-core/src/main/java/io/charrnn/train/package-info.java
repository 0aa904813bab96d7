/**
 * Training: {@link io.charrnn.train.Trainer} (immutable configuration; truncated BPTT over parallel
 * streams), the closed set of {@link io.charrnn.train.Optimizer}s, and what a run reports
 * ({@link io.charrnn.train.StepSummary}, {@link io.charrnn.train.TrainingResult} with its
 * {@link io.charrnn.train.StopReason}). A {@link io.charrnn.train.TrainingControl} stops a run after
 * its current step from any thread.
 *
 * <pre>{@code
 * TrainingResult r = Trainer.builder().optimizer(Optimizer.adagrad(0.1)).sequenceLength(25)
 *     .batchSize(1).gradientClipValue(5).steps(10_000)
 *     .listener(s -> { if (s.step() % 1000 == 0) System.out.println(s.smoothLoss()); })
 *     .build().train(RnnModel.builder().hidden(100).build(), Corpus.of(text));
 * RnnModel trained = r.model();
 * }</pre>
 */
package io.charrnn.train;
