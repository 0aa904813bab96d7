package io.charrnn.internal.access;

import io.charrnn.internal.cells.ModelEngine;
import io.charrnn.internal.check.Check;
import io.charrnn.internal.format.ModelArchive;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The one door from core's packages to a model's engine: {@link RnnModel} keeps its
 * {@link ModelEngine} private (no public accessor, so its weights never leave the library), and this
 * class reaches it through private method handles, found once when the class initialises; nothing
 * in it can be changed after that. Only core uses it: charrnn-examples' architecture test fails the
 * build if anything outside core imports {@code io.charrnn.internal}.
 */
public final class ModelAccess {
    private static final MethodHandle ENGINE;
    private static final MethodHandle CREATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(RnnModel.class, MethodHandles.lookup());
            ENGINE = lookup.findVirtual(RnnModel.class, "engine", MethodType.methodType(ModelEngine.class));
            CREATE = lookup.findStatic(RnnModel.class, "fromEngine",
                    MethodType.methodType(RnnModel.class, ModelConfig.class, Vocabulary.class, ModelEngine.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ModelAccess() {
    }

    /**
     * @return the engine of a bound model
     * @throws IllegalStateException if the model is unbound
     */
    public static ModelEngine engine(RnnModel model) {
        try {
            return (ModelEngine) ENGINE.invokeExact(model);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("internal error: " + t, t);
        }
    }

    /**
     * @param parameters a flat buffer in layout order, owned by the model from now on
     * @return a model of these weights
     * @throws IllegalArgumentException if the buffer has the wrong length or a value that is not finite
     */
    public static RnnModel create(ModelConfig config, Vocabulary vocabulary, float[] parameters) {
        ModelEngine engine = ModelEngine.adopt(config, vocabulary.size(), parameters);
        try {
            return (RnnModel) CREATE.invokeExact(config, vocabulary, engine);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("internal error: " + t, t);
        }
    }

    /**
     * @return the model as a file holds it, sharing its weights (the writer only reads them)
     * @throws IllegalArgumentException if the model is unbound
     */
    public static ModelArchive.Stored stored(RnnModel model) {
        Check.bound(model.isBound(), "save");
        return new ModelArchive.Stored(model.config(), model.vocabulary().orElseThrow(), engine(model).parameters(),
                model.trainingInfo().orElse(null));
    }

    /** @return the model of checked file contents, owning their weights */
    public static RnnModel fromStored(ModelArchive.Stored stored) {
        RnnModel model;
        try {
            model = create(stored.config(), stored.vocabulary(), stored.parameters());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("internal error: checked weights were refused: " + e.getMessage(), e);
        }
        return stored.training() == null ? model : model.withTrainingInfo(stored.training());
    }
}
