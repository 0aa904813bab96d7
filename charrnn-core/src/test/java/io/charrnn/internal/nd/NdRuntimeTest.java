package io.charrnn.internal.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.charrnn.testing.ChildJvm;
import org.junit.jupiter.api.Test;

/** The OpenBLAS settings charrnn puts into its own process environment before OpenBLAS loads. */
class NdRuntimeTest {
    private interface LibC extends Library {
        String getenv(String name);
    }

    /** @return the variable as OpenBLAS sees it: libc's environment, which setenv changed (Java's copy did not) */
    private static String processEnv(String name) {
        return Native.loadLibrary("c", LibC.class).getenv(name);
    }

    /** @return the value the JVM started with, or null if unset or empty */
    private static String startedWith(String name) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? null : v;
    }

    @Test
    void openBlasThreadTimeout_isShortened_unlessTheEnvironmentOrAPropertySetsIt() {
        assumeTrue(ChildJvm.isLinux(), "libc");
        NdRuntime.ensureInitialized();
        String given = startedWith("OPENBLAS_THREAD_TIMEOUT");
        String property = System.getProperty("charrnn.openblas.threadtimeout");
        assumeTrue(property == null, "the default is under test");
        assertEquals(given != null ? given : "18", processEnv("OPENBLAS_THREAD_TIMEOUT"));
    }

    @Test
    void openBlasCoreType_isTheDetectedOne_unlessTheEnvironmentSetsIt() {
        assumeTrue(ChildJvm.isLinux(), "libc");
        assumeTrue(System.getProperty("charrnn.openblas.coretype") == null, "the default is under test");
        NdRuntime.ensureInitialized();
        String given = startedWith("OPENBLAS_CORETYPE");
        String expected = given != null ? given : NdRuntime.detectCoreType();
        assertEquals(expected, processEnv("OPENBLAS_CORETYPE"));
        assertEquals(expected == null ? "unset" : expected, NdRuntime.openBlasCoreType());
    }
}
