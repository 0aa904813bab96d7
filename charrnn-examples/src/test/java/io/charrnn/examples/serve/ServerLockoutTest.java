package io.charrnn.examples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients over loopback: idle and half-sent connections from one address do not keep a
 * second address out, and the server's connections, threads and heap return to where they were.
 * The second client is 127.0.0.2 (every 127/8 address is the loopback interface on Linux).
 */
class ServerLockoutTest {
    private static final Vocabulary VOCABULARY = Vocabulary.fromText("abcdefghijklmnopqrstuvwxyz .\n");

    private static RnnModel model(CellType cell, int hidden) {
        return RnnModel.builder().vocabulary(VOCABULARY).cell(cell).hidden(hidden).seed(3).build();
    }

    @Test
    void idleAndHalfSentConnections_fromOneClient_doNotLockOutAnother() throws Exception {
        GenerateServer.Builder builder = GenerateServer.builder(model(CellType.RNN, 16)).threads(2)
                .idleTimeout(Duration.ofSeconds(60)).requestTimeout(Duration.ofSeconds(60)).connectionsPerClient(32);
        try (GenerateServer server = builder.start()) {
            String warm = request(server, "127.0.0.2", "/generate?length=5&seed=1");
            assertTrue(warm.startsWith("HTTP/1.1 200"), warm);
            awaitTrue(() -> server.openConnections() == 0, "the warm-up connection closed");
            int threadsBefore = threads();
            long heapBefore = heapUsed();
            List<Socket> attackers = new ArrayList<>();
            try {
                for (int i = 0; i < 400; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2_000);
                    attackers.add(s);
                    if (i % 2 == 1) {
                        try {
                            s.getOutputStream().write("GET /generate HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n"
                                    .getBytes(StandardCharsets.US_ASCII)); // never the blank line
                        } catch (IOException closedByTheServer) {
                            // beyond the per-client limit: already closed, which is the point
                        }
                    }
                }
                long start = System.nanoTime();
                String answer = request(server, "127.0.0.2", "/generate?length=50&seed=7");
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                // locked out, it would wait for the attackers' 60-second timeouts to free a thread
                assertTrue(seconds < 30, "the second client waited " + seconds + " s");
                // the attacker's 32, and perhaps the second client's, closing; the server closes those
                // beyond the per-client limit on its own threads, which a loaded machine may run late
                awaitTrue(() -> server.openConnections() <= 33, () -> "open connections: " + server.openConnections());
            } finally {
                for (Socket s : attackers) {
                    s.close();
                }
            }
            awaitTrue(() -> server.openConnections() == 0 && server.clients() == 0,
                    () -> "every connection closed: open " + server.openConnections() + ", clients "
                            + server.clients());
            awaitTrue(() -> threads() <= threadsBefore + 2, () -> "threads back to " + threadsBefore + " (+2): "
                    + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList());
            awaitTrue(() -> heapUsed() <= heapBefore + 16 * 1024 * 1024, "heap back to "
                    + heapBefore / 1024 / 1024 + " MiB (+16)");
        }
    }

    @Test
    void aConnectionThatSendsNothing_isClosedAfterTheIdleTimeout() throws Exception {
        try (GenerateServer server = GenerateServer.builder(model(CellType.RNN, 16))
                .idleTimeout(Duration.ofMillis(300)).start();
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(30_000); // a read that times out fails the test: the server never closed it
            assertEquals(-1, s.getInputStream().read(), "closed by the server");
        }
    }

    @Test
    void headersNeverCompleted_areClosedAtTheRequestDeadline_evenWhileBytesKeepComing() throws Exception {
        try (GenerateServer server = GenerateServer.builder(model(CellType.RNN, 16))
                .idleTimeout(Duration.ofSeconds(60)).requestTimeout(Duration.ofMillis(300)).start();
             Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /generate HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, s.getInputStream().read(), "closed by the server");
        }
    }

    @Test
    void oneClientBeyondItsLimit_isClosedAtOnce() throws Exception {
        try (GenerateServer server = GenerateServer.builder(model(CellType.RNN, 16)).connectionsPerClient(3).start()) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(new Socket(InetAddress.getLoopbackAddress(), server.port()));
                }
                awaitTrue(() -> server.openConnections() == 3, "three connections open");
                try (Socket fourth = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                    fourth.setSoTimeout(5_000);
                    assertEquals(-1, fourth.getInputStream().read(), "the fourth is closed");
                }
                assertTrue(request(server, "127.0.0.2", "/generate?length=3").startsWith("HTTP/1.1 200"));
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aRequestThatWaitsTooLongForAThread_gets503_andAGoneClientFreesItsThread() throws Exception {
        try (GenerateServer server = GenerateServer.builder(model(CellType.LSTM, 512)).threads(1).queue(4)
                .queueTimeout(Duration.ofMillis(200)).start()) {
            Socket slow = new Socket();
            slow.setReceiveBufferSize(1024);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            slow.getOutputStream().write(("GET /generate?length=10000&seed=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            slow.setSoTimeout(10_000);
            InputStream in = slow.getInputStream();
            assertEquals('H', in.read(), "the slow client's generation has started");
            String busy = request(server, "127.0.0.2", "/api/generate?length=5");
            assertTrue(busy.startsWith("HTTP/1.1 503"), busy);
            assertTrue(busy.contains("{\"error\":\"busy: the request waited too long for a free thread"), busy);
            slow.close(); // the generation stops writing to nobody and gives its thread back
            awaitTrue(() -> {
                try {
                    return request(server, "127.0.0.2", "/generate?length=5").startsWith("HTTP/1.1 200");
                } catch (IOException e) {
                    return false;
                }
            }, "a later request is served");
        }
    }

    /** One request from a given local address; the whole answer, headers and (chunked) body. */
    static String request(GenerateServer server, String from, String target) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                return "timed out";
            }
        }
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long heapUsed() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Polls a condition for up to 30 s: the server closes connections and ends threads asynchronously. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        awaitTrue(condition, () -> what);
    }

    private static void awaitTrue(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what.get());
            }
            Thread.sleep(20);
        }
    }
}
