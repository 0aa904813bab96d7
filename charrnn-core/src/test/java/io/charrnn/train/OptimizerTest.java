package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class OptimizerTest {

    private static String rejected(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void factories_fillInTheUsualDefaults() {
        assertEquals(new Optimizer.Sgd(0.1, 0), Optimizer.sgd(0.1));
        assertEquals(new Optimizer.Adagrad(0.1, 1e-8), Optimizer.adagrad(0.1));
        assertEquals(new Optimizer.Adam(2e-3, 0.9, 0.999, 1e-8), Optimizer.adam(2e-3));
        assertEquals(2e-3, Optimizer.adam(2e-3).learningRate());
    }

    @Test
    void optimizers_areValuesComparedBySettings() {
        assertEquals(Optimizer.adam(1e-3), Optimizer.adam(1e-3));
        assertEquals(Optimizer.adam(1e-3).hashCode(), Optimizer.adam(1e-3).hashCode());
        assertNotEquals(Optimizer.adam(1e-3), Optimizer.adam(2e-3));
        assertNotEquals(Optimizer.sgd(0.1), Optimizer.adagrad(0.1));
    }

    @Test
    void learningRate_notFinitePositive_isRejectedByEveryFactory() {
        double[] bad = {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY};
        String[] shown = {"0.0", "-0.1", "NaN", "Infinity"};
        for (int i = 0; i < bad.length; i++) {
            double lr = bad[i];
            String expected = "learningRate must be finite and > 0, got " + shown[i];
            assertEquals(expected, rejected(() -> Optimizer.sgd(lr)));
            assertEquals(expected, rejected(() -> Optimizer.adagrad(lr)));
            assertEquals(expected, rejected(() -> Optimizer.adam(lr)));
            assertEquals(expected, rejected(() -> new Optimizer.Sgd(lr, 0.9)));
        }
    }

    @Test
    void sgdMomentum_outsideZeroToOne_isRejected() {
        assertEquals("momentum must be in [0, 1), got 1.0", rejected(() -> new Optimizer.Sgd(0.1, 1)));
        assertEquals("momentum must be in [0, 1), got -0.1", rejected(() -> new Optimizer.Sgd(0.1, -0.1)));
        assertEquals("momentum must be in [0, 1), got NaN", rejected(() -> new Optimizer.Sgd(0.1, Double.NaN)));
        assertEquals(0.9, new Optimizer.Sgd(0.1, 0.9).momentum());
    }

    @Test
    void epsilon_notFinitePositive_isRejected() {
        assertEquals("epsilon must be finite and > 0, got 0.0", rejected(() -> new Optimizer.Adagrad(0.1, 0)));
        assertEquals("epsilon must be finite and > 0, got NaN",
                rejected(() -> new Optimizer.Adagrad(0.1, Double.NaN)));
        assertEquals("epsilon must be finite and > 0, got Infinity",
                rejected(() -> new Optimizer.Adam(0.1, 0.9, 0.999, Double.POSITIVE_INFINITY)));
        assertEquals("epsilon must be finite and > 0, got -1.0E-8",
                rejected(() -> new Optimizer.Adam(0.1, 0.9, 0.999, -1e-8)));
    }

    @Test
    void adamBetas_outsideZeroToOne_areRejected() {
        assertEquals("beta1 must be in [0, 1), got 1.0", rejected(() -> new Optimizer.Adam(1e-3, 1, 0.999, 1e-8)));
        assertEquals("beta1 must be in [0, 1), got -0.5",
                rejected(() -> new Optimizer.Adam(1e-3, -0.5, 0.999, 1e-8)));
        assertEquals("beta2 must be in [0, 1), got 1.0", rejected(() -> new Optimizer.Adam(1e-3, 0.9, 1, 1e-8)));
        assertEquals("beta2 must be in [0, 1), got NaN",
                rejected(() -> new Optimizer.Adam(1e-3, 0.9, Double.NaN, 1e-8)));
        assertEquals(0.0, new Optimizer.Adam(1e-3, 0, 0, 1e-8).beta1(), "zero betas are allowed");
    }
}
