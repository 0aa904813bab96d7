package io.charrnn.train;

/** Training produced a NaN or infinite loss, gradient or weight; the model at that point is useless. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The step whose loss, gradient or weights were not finite. */
    private final long step;
    /** The loss of the last step that was finite, in nats per character. */
    private final double lastFiniteLoss;

    TrainingDivergedException(long step, int epoch, double loss, double lastFiniteLoss) {
        super("training diverged at step " + step + " (epoch " + epoch + "): got " + loss
                + ", last finite loss " + lastFiniteLoss
                + "; lower the learning rate or clip gradients (gradientClipNorm / gradientClipValue)");
        this.step = step;
        this.lastFiniteLoss = lastFiniteLoss;
    }

    /** @return the step at which the loss stopped being finite */
    public long step() {
        return step;
    }

    /** @return the last finite step loss in nats per character, or NaN if none was */
    public double lastFiniteLoss() {
        return lastFiniteLoss;
    }
}
