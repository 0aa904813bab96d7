package io.charrnn.internal;

import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;

/**
 * Lets core packages reach a model's flat parameter buffer without a public accessor (the
 * "shared secrets" pattern): {@link RnnModel} installs the bridge when its class initialises.
 *
 * <p>Callers must treat the arrays as read-only (reading) or hand over ownership (creating).
 */
public final class ModelAccess {
    /** What {@link RnnModel} exposes to core packages. */
    public interface Bridge {
        /** @return the model's own flat buffer, not a copy: never write to it */
        float[] parameters(RnnModel model);

        /** @return a model that owns {@code parameters} from now on */
        RnnModel create(ModelConfig config, Vocabulary vocabulary, float[] parameters);
    }

    private static volatile Bridge bridge;

    private ModelAccess() {
    }

    /** Called once, by {@link RnnModel}'s static initialiser. */
    public static void install(Bridge b) {
        if (bridge != null) {
            throw new IllegalStateException("internal error: model bridge installed twice");
        }
        bridge = b;
    }

    private static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            try {
                Class.forName(RnnModel.class.getName(), true, RnnModel.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("internal error: " + e, e);
            }
            b = bridge;
        }
        return b;
    }

    /**
     * @return the model's flat parameters, read-only
     * @throws IllegalStateException if the model is unbound
     */
    public static float[] parameters(RnnModel model) {
        return bridge().parameters(model);
    }

    /** @return a model owning {@code parameters} (checked to be finite) */
    public static RnnModel create(ModelConfig config, Vocabulary vocabulary, float[] parameters) {
        return bridge().create(config, vocabulary, parameters);
    }
}
