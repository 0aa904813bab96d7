package io.charrnn.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on the test class path, whose stdout and stderr are read line by line (a lone
 * carriage return, as in progress lines, also ends a line), so a test can wait for what it prints
 * instead of sleeping. Always {@link #close()} it: that kills it if it still runs. Shipped in the
 * core test-jar for the examples' tests.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread[] readers = new Thread[2];

    private ChildJvm(Process process) {
        this.process = process;
        readers[0] = read(process.getInputStream(), out, "out");
        readers[1] = read(process.getErrorStream(), err, "err");
    }

    /**
     * Starts {@code mainClass} with SIGINT at its default disposition: a child started from a
     * background job would otherwise inherit it ignored, and then Ctrl-C could not reach it.
     *
     * @param mainClass the class to run
     * @param args its arguments
     * @return the running child
     * @throws IOException if it cannot be started
     */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        return startWithHeap("512m", mainClass, args);
    }

    /**
     * {@link #start} with a given maximum heap, for tests that memory stays bounded.
     *
     * @param maxHeap the {@code -Xmx} value, e.g. {@code "64m"}
     * @param mainClass the class to run
     * @param args its arguments
     * @return the running child
     * @throws IOException if it cannot be started
     */
    public static ChildJvm startWithHeap(String maxHeap, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (canResetSigint()) {
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx" + maxHeap, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).start());
    }

    /** @return whether this is Linux, where tests may send signals with {@code kill} */
    public static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    private static boolean canResetSigint() {
        return isLinux() && succeeds(10, "env", "--default-signal=INT", "true");
    }

    /**
     * @return whether a probe command runs and exits with 0 within {@code seconds} (its output is
     *     read and dropped); false when it cannot be started
     */
    public static boolean succeeds(long seconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(seconds, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Thread read(InputStream in, List<String> all, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    all.add(l);
                    lines.add(l);
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "child-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Waits (at most 60 s) for a line of stdout or stderr that starts with {@code prefix}.
     *
     * @param prefix the start of the line
     * @return the line
     * @throws InterruptedException if interrupted
     */
    public String awaitLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                fail("the child exited with " + process.exitValue() + " before printing '" + prefix + "'\n" + output());
            }
        }
        fail("the child printed no '" + prefix + "' within 60 s\n" + output());
        return null;
    }

    /**
     * Sends a signal with {@code kill}.
     *
     * @param signal e.g. {@code INT}
     * @throws Exception if {@code kill} fails
     */
    public void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
    }

    /** @return the child's process id */
    public long pid() {
        return process.pid();
    }

    /** Kills the child at once (kill -9) and waits for it to die. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the child did not die");
    }

    /**
     * Waits (at most 60 s) for the child to exit, and for its output to be read.
     *
     * @return its exit status
     * @throws InterruptedException if interrupted
     */
    public int waitFor() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            fail("the child did not exit within 60 s\n" + output());
        }
        for (Thread t : readers) {
            t.join(10_000);
        }
        return process.exitValue();
    }

    /** @return the lines of stdout so far */
    public List<String> stdout() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    /** @return the lines of stderr so far */
    public List<String> stderr() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    /** @return stdout and stderr so far, for failure messages */
    public String output() {
        return "stdout:\n" + String.join("\n", stdout()) + "\nstderr:\n" + String.join("\n", stderr());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
