package io.charrnn.internal.nd;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.charrnn.internal.check.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The three process-wide ND4J settings that charrnn's speed depends on, applied once, before the
 * first ND4J call made through charrnn (measurements: docs/engine.md).
 *
 * <ol>
 *   <li><b>OpenBLAS kernels.</b> ND4J's OpenBLAS 0.3.19 does not recognise recent CPUs and falls
 *       back to slow generic kernels, several times slower than the AVX-512 ones. If {@code OPENBLAS_CORETYPE} is not set in the environment, charrnn sets it
 *       through libc {@code setenv} before the native library loads: {@code SkylakeX} when the CPU
 *       has AVX-512 (F, BW, DQ, VL), {@code Haswell} when it has AVX2 and FMA. The system property
 *       {@code charrnn.openblas.coretype} overrides the choice with a name, or {@code none} to
 *       leave OpenBLAS alone. This only works if ND4J has not been loaded before charrnn.</li>
 *   <li><b>OpenMP threads.</b> The recurrent loop alternates BLAS calls with libnd4j element-wise
 *       ops, and the two thread pools fight over the cores (several times slower steps). charrnn
 *       sets libnd4j's OpenMP pool to one thread (BLAS keeps its own threads). The system property {@code charrnn.omp.threads}
 *       sets another count, or {@code default} to leave it as ND4J chose.</li>
 *   <li><b>OpenBLAS's idle threads.</b> After a product, OpenBLAS's worker thread spins for
 *       2<sup>28</sup> cycles (about 0.1 s) before it sleeps, so it holds the second core while the
 *       gated kernels run a step's gate math there ({@link io.charrnn.internal.cells.StepWorker}):
 *       both then ran at half speed, and splitting the gate math gained 0–2 %. If
 *       {@code OPENBLAS_THREAD_TIMEOUT} is not set in the environment, charrnn sets it to 18
 *       (2<sup>18</sup> cycles, about 0.1 ms; set through {@code setenv} like the core type): longer
 *       than the gaps between the vanilla kernel's products, which it leaves as fast as before,
 *       shorter than a large LSTM step's gate math. The system property
 *       {@code charrnn.openblas.threadtimeout} sets another exponent (4–30), or {@code none}.</li>
 * </ol>
 * All are logged at DEBUG on the {@code io.charrnn} logger. Nothing else global is changed: no
 * default data type, no global random seed.
 */
public final class NdRuntime {
    private static final System.Logger LOG = System.getLogger("io.charrnn");
    private static String coreType = "unset";

    static {
        chooseBlasKernels();
        chooseBlasThreadTimeout();
        Nd4j.getBackend(); // loads the backend (and OpenBLAS) now, after the environment is set
        configureThreads();
    }

    private NdRuntime() {
    }

    /** Runs the one-time set-up; call before touching any ND4J class. Cheap after the first call. */
    public static void ensureInitialized() {
        // the work happens in the static initialiser
    }

    /**
     * @return the OpenBLAS core type in effect: the environment's {@code OPENBLAS_CORETYPE}, the one
     *     charrnn set, or {@code "unset"} (OpenBLAS chose)
     */
    public static String openBlasCoreType() {
        return coreType;
    }

    /** @return whether ND4J runs on its CPU backend (arrays live in host memory) */
    public static boolean isCpuBackend() {
        return Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu");
    }

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /** OpenBLAS reads {@code OPENBLAS_THREAD_TIMEOUT} (an exponent, clamped to 4–30) once, when it starts. */
    private static void chooseBlasThreadTimeout() {
        String property = System.getProperty("charrnn.openblas.threadtimeout", "18").trim();
        String existing = System.getenv("OPENBLAS_THREAD_TIMEOUT");
        if (existing != null && !existing.isEmpty() || property.equalsIgnoreCase("none")) {
            LOG.log(System.Logger.Level.DEBUG, "OPENBLAS_THREAD_TIMEOUT left as is ({0})", existing);
            return;
        }
        int exponent;
        try {
            exponent = Integer.parseInt(property);
        } catch (NumberFormatException e) {
            exponent = -1;
        }
        if (exponent < 4 || exponent > 30) {
            throw new IllegalArgumentException("system property charrnn.openblas.threadtimeout must be an integer "
                    + "from 4 to 30 or 'none', got '" + property + "'");
        }
        setenv("OPENBLAS_THREAD_TIMEOUT", Integer.toString(exponent));
    }

    /** Sets an environment variable of this process through libc, unless it is set; @return whether it was set. */
    private static boolean setenv(String name, String value) {
        try {
            LibC libc = Native.loadLibrary("c", LibC.class);
            int rc = libc.setenv(name, value, 0);
            LOG.log(System.Logger.Level.DEBUG, "{0}={1} set for the native BLAS (setenv returned {2})", name, value,
                    rc);
            return rc == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // no libc through JNA (e.g. Windows): OpenBLAS keeps its own setting, which is correct, only slower
            LOG.log(System.Logger.Level.DEBUG, "could not set " + name + ": " + e);
            return false;
        }
    }

    private static void chooseBlasKernels() {
        String property = System.getProperty("charrnn.openblas.coretype", "auto").trim();
        String existing = System.getenv("OPENBLAS_CORETYPE");
        if (existing != null && !existing.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "OPENBLAS_CORETYPE={0} from the environment; left as is", existing);
            coreType = existing;
            return;
        }
        if (property.equalsIgnoreCase("none")) {
            LOG.log(System.Logger.Level.DEBUG, "charrnn.openblas.coretype=none: OpenBLAS picks its own kernels");
            return;
        }
        String core = property.equalsIgnoreCase("auto") ? detectCoreType() : property;
        if (core == null) {
            return;
        }
        coreType = setenv("OPENBLAS_CORETYPE", core) ? core : "unset";
    }

    /** @return the OpenBLAS core type that matches this CPU's vector units, or null if unknown */
    static String detectCoreType() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return null;
        }
        String flags;
        try {
            flags = Files.lines(Path.of("/proc/cpuinfo")).filter(l -> l.startsWith("flags")).findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            return null;
        }
        java.util.Set<String> set = java.util.Set.of(flags.replaceFirst("^[^:]*:", "").trim().split("\\s+"));
        if (set.containsAll(java.util.List.of("avx512f", "avx512bw", "avx512dq", "avx512vl"))) {
            return "SkylakeX";
        }
        if (set.containsAll(java.util.List.of("avx2", "fma"))) {
            return "Haswell";
        }
        return null;
    }

    private static void configureThreads() {
        String property = System.getProperty("charrnn.omp.threads", "1").trim();
        if (property.equalsIgnoreCase("default")) {
            return;
        }
        int threads;
        try {
            threads = Integer.parseInt(property);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property charrnn.omp.threads must be a positive integer or "
                    + "'default', got '" + property + "'", e);
        }
        Check.atLeast("system property charrnn.omp.threads", threads, 1);
        if (!isCpuBackend()) {
            return; // the OpenMP fight is a CPU-backend matter
        }
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        LOG.log(System.Logger.Level.DEBUG, "libnd4j OpenMP threads set to {0}; BLAS threads left at {1}",
                threads, Nd4j.getEnvironment().maxThreads());
    }
}
