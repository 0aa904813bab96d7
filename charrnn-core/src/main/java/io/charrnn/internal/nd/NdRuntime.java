package io.charrnn.internal.nd;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The two process-wide ND4J settings that charrnn's speed depends on, applied once, before the
 * first ND4J call made through charrnn (see ND4J-NOTES.md §4 and the note on OpenBLAS kernels).
 *
 * <ol>
 *   <li><b>OpenBLAS kernels.</b> ND4J's OpenBLAS 0.3.19 does not recognise recent CPUs and falls
 *       back to slow generic kernels (72–90 GFLOP/s against 388 with the AVX-512 ones on our
 *       machine). If {@code OPENBLAS_CORETYPE} is not set in the environment, charrnn sets it
 *       through libc {@code setenv} before the native library loads: {@code SkylakeX} when the CPU
 *       has AVX-512 (F, BW, DQ, VL), {@code Haswell} when it has AVX2 and FMA. The system property
 *       {@code charrnn.openblas.coretype} overrides the choice with a name, or {@code none} to
 *       leave OpenBLAS alone. This only works if ND4J has not been loaded before charrnn.</li>
 *   <li><b>OpenMP threads.</b> The recurrent loop alternates BLAS calls with libnd4j element-wise
 *       ops, and the two thread pools fight over the cores (5–10× slower steps). charrnn sets
 *       libnd4j's OpenMP pool to one thread (BLAS keeps its own threads), which the notes measured
 *       as 4–5× faster on a real training step. The system property {@code charrnn.omp.threads}
 *       sets another count, or {@code default} to leave it as ND4J chose.</li>
 * </ol>
 * Both are logged at DEBUG on the {@code io.charrnn} logger. Nothing else global is changed: no
 * default data type, no global random seed.
 */
public final class NdRuntime {
    private static final System.Logger LOG = System.getLogger("io.charrnn");
    private static String coreType = "unset";

    static {
        chooseBlasKernels();
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
        try {
            LibC libc = Native.loadLibrary("c", LibC.class);
            int rc = libc.setenv("OPENBLAS_CORETYPE", core, 0);
            coreType = rc == 0 ? core : "unset";
            LOG.log(System.Logger.Level.DEBUG, "OPENBLAS_CORETYPE={0} set for the native BLAS (setenv returned {1})",
                    core, rc);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // no libc through JNA (e.g. Windows): OpenBLAS keeps its own choice, which is correct, only slower
            LOG.log(System.Logger.Level.DEBUG, "could not set OPENBLAS_CORETYPE: " + e);
        }
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
        if (threads < 1) {
            throw new IllegalArgumentException("system property charrnn.omp.threads must be >= 1, got " + threads);
        }
        if (!isCpuBackend()) {
            return; // the OpenMP fight is a CPU-backend matter
        }
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        LOG.log(System.Logger.Level.DEBUG, "libnd4j OpenMP threads set to {0}; BLAS threads left at {1}",
                threads, Nd4j.getEnvironment().maxThreads());
    }
}
