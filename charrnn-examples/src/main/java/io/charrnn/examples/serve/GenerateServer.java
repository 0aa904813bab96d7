package io.charrnn.examples.serve;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.ContinuousBatcher;
import io.charrnn.sample.Sampler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A small HTTP server that loads a model once and generates text for many clients at a time,
 * streaming each character as it is drawn; it also serves the playground page and its JSON API
 * (see {@code docs/playground.md}). Built on Jetty and the public charrnn API only: one immutable
 * {@link RnnModel} is shared by every request, and each request gets its own {@link Sampler} and
 * random generator (hidden state lives in the call).
 *
 * <pre>
 * GET /generate?prime=ROMEO:&amp;length=200&amp;temperature=0.8&amp;seed=1&amp;stop=%0A%0A
 * </pre>
 *
 * <ul>
 *   <li>{@code prime}: text fed to the model first, not repeated in the response (default empty);
 *       every character must be in the model's vocabulary;</li>
 *   <li>{@code length}: characters to generate, 0 to {@value GenerationRequest#MAX_LENGTH} (default 200);</li>
 *   <li>{@code temperature}: finite and {@code > 0} (default 1.0); {@code topK}, {@code topP},
 *       {@code minP}, {@code penalty} with {@code window}, {@code greedy} and {@code beam} choose
 *       other strategies;</li>
 *   <li>{@code seed}: a Java {@code long}; the same seed and parameters give the same text
 *       (default: a fresh random seed per request);</li>
 *   <li>{@code stop}: ends generation when the text ends with it, which is left out (repeatable).</li>
 * </ul>
 *
 * <p>The answer is {@code 200} with {@code text/plain; charset=utf-8} in chunked transfer encoding,
 * flushed after every character; a bad parameter gets {@code 400} with a one-line reason, another
 * path {@code 404}, another method {@code 405}.
 *
 * <p>No client can lock the server out: at most {@code threads} generations run at once and the
 * rest wait, up to {@code queue} of them for at most {@code queueTimeout}, then get {@code 503};
 * a generation ends after {@code generationTimeout} or as soon as its client goes away; a
 * connection that sends nothing for {@code idleTimeout}, or whose first request has not arrived
 * in full within {@code requestTimeout}, is closed; one client address holds at most
 * {@code connectionsPerClient} connections and all clients together {@code connections}.
 * {@link #close()} stops the server.
 *
 * <p>Concurrent generations step together through one {@link ContinuousBatcher} (continuous
 * batching, see {@code docs/serve.md}): each gives the text it would give alone, and a generation's
 * thread mostly waits for its batched step, so the default allows {@value #DEFAULT_THREADS} at once.
 * {@link Builder#batching(boolean) batching(false)} makes each generation step on its own thread.
 */
public final class GenerateServer implements AutoCloseable {
    /** The largest {@code length} a request may ask for. */
    public static final int MAX_LENGTH = GenerationRequest.MAX_LENGTH;
    /** The most generations that may run at once ({@code threads}). */
    public static final int MAX_THREADS = 256;
    /** The default {@code threads}: generations at once, which step together. */
    public static final int DEFAULT_THREADS = 64;

    private final Server server;
    private final ServerConnector connector;
    private final ConnectionGuard guard;
    private final ContinuousBatcher batcher; // null without batching

    private GenerateServer(Server server, ServerConnector connector, ConnectionGuard guard,
                           ContinuousBatcher batcher) {
        this.server = server;
        this.connector = connector;
        this.guard = guard;
        this.batcher = batcher;
    }

    /**
     * Starts serving with the default limits (see {@link Builder}).
     *
     * @param model a trained (bound) model, shared by all requests
     * @param address where to listen; port 0 picks a free port (see {@link #port()})
     * @param threads requests generated at the same time, 1 to {@value #MAX_THREADS}
     * @return the running server
     * @throws IllegalArgumentException if the model has no vocabulary or {@code threads} is out of range
     * @throws IOException if the address cannot be bound
     */
    public static GenerateServer start(RnnModel model, InetSocketAddress address, int threads) throws IOException {
        return builder(model).address(address).threads(threads).start();
    }

    /**
     * @param model a trained (bound) model, shared by all requests
     * @return a builder with the default limits, listening on a free loopback port
     * @throws IllegalArgumentException if the model has no vocabulary and weights
     */
    public static Builder builder(RnnModel model) {
        Objects.requireNonNull(model, "model");
        if (!model.isBound()) {
            throw new IllegalArgumentException("model must be trained (have a vocabulary and weights), got " + model);
        }
        return new Builder(model);
    }

    /** @return the port the server listens on */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return the connections open now (accepted and not yet closed) */
    int openConnections() {
        return connector.getConnectedEndPoints().size();
    }

    /** @return the client addresses with an open connection now */
    int clients() {
        return guard.clients();
    }

    /** Stops accepting requests, ends those under way and releases the threads. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the server did not stop: " + e, e);
        } finally {
            if (batcher != null) {
                batcher.close();
            }
        }
    }

    /** Settings of a server; each setter checks its argument. */
    public static final class Builder {
        private final RnnModel model;
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private int threads = DEFAULT_THREADS;
        private boolean batching = true;
        private int queue = 64;
        private Duration queueTimeout = Duration.ofSeconds(10);
        private Duration generationTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int connections = 512;
        private int connectionsPerClient = 32;

        private Builder(RnnModel model) {
            this.model = model;
        }

        /**
         * @param address where to listen; port 0 picks a free port (default: loopback, port 0)
         * @return this builder
         */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * @param threads generations (and other model work) run at once, 1 to {@value #MAX_THREADS}
         *     (default {@value #DEFAULT_THREADS})
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder threads(int threads) {
            this.threads = checkRange("threads", threads, 1, MAX_THREADS);
            return this;
        }

        /**
         * @param batching whether concurrent generations step together through one
         *     {@link ContinuousBatcher} (default true); false steps each on its own thread
         * @return this builder
         */
        public Builder batching(boolean batching) {
            this.batching = batching;
            return this;
        }

        /**
         * @param queue requests that may wait for a thread, 0 to 10,000 (default 64); more get 503
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder queue(int queue) {
            this.queue = checkRange("queue", queue, 0, 10_000);
            return this;
        }

        /**
         * @param timeout how long a request may wait for a thread before it gets 503 (default 10 s)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder queueTimeout(Duration timeout) {
            this.queueTimeout = checkPositive("queueTimeout", timeout);
            return this;
        }

        /**
         * @param timeout the longest a generation runs; then its text ends (default 60 s)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder generationTimeout(Duration timeout) {
            this.generationTimeout = checkPositive("generationTimeout", timeout);
            return this;
        }

        /**
         * @param timeout how long a connection may send nothing (while a request line, headers or a
         *     body are expected, or between requests) before it is closed (default 10 s)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = checkPositive("idleTimeout", timeout);
            return this;
        }

        /**
         * @param timeout how long a new connection may take to send its first request line and
         *     headers in full, however slowly it drips them (default 10 s)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = checkPositive("requestTimeout", timeout);
            return this;
        }

        /**
         * @param connections connections open at once from all clients, 1 to 100,000 (default 512);
         *     beyond that the server stops accepting until one closes
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder connections(int connections) {
            this.connections = checkRange("connections", connections, 1, 100_000);
            return this;
        }

        /**
         * @param connections connections open at once from one client address, 1 to 100,000
         *     (default 32); more are closed as soon as they are accepted
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder connectionsPerClient(int connections) {
            this.connectionsPerClient = checkRange("connectionsPerClient", connections, 1, 100_000);
            return this;
        }

        /**
         * @return the running server
         * @throws IOException if the address cannot be bound
         */
        public GenerateServer start() throws IOException {
            // Jetty's own threads (acceptor, selector) and short requests come on top of the generations;
            // the pool drops one idle thread per idle timeout, so a short one returns to its size soon
            QueuedThreadPool pool = new QueuedThreadPool(threads + 8, 4, (int) Duration.ofSeconds(1).toMillis());
            pool.setName("charrnn-serve");
            pool.setDaemon(true);
            Server server = new Server(pool);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setRequestHeaderSize(16 * 1024);
            http.setMinRequestDataRate(1024); // bytes per second while a body is read
            ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
            connector.setHost(address.getHostString());
            connector.setPort(address.getPort());
            connector.setIdleTimeout(idleTimeout.toMillis());
            ConnectionGuard guard = new ConnectionGuard(connectionsPerClient, requestTimeout, connector.getScheduler());
            connector.addBean(guard);
            server.addConnector(connector);
            server.addBean(new NetworkConnectionLimit(connections, connector));
            ContinuousBatcher batcher = batching ? ContinuousBatcher.builder(model).rows(threads).queue(0).build()
                    : null;
            Routes routes = new Routes(model, generationTimeout, batcher);
            QoSHandler limit = new JsonQoSHandler(routes);
            limit.setMaxRequestCount(threads);
            limit.setMaxSuspendedRequestCount(queue);
            limit.setMaxSuspend(queueTimeout);
            limit.includePath(Routes.MODEL_WORK);
            server.setHandler(new Handler.Wrapper(limit) {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    guard.requestArrived(request.getConnectionMetaData().getConnection());
                    return super.handle(request, response, callback);
                }
            });
            try {
                server.start();
            } catch (IOException e) {
                stopQuietly(server, batcher, e);
                throw e;
            } catch (Exception e) {
                stopQuietly(server, batcher, e);
                throw new IOException("cannot start the server on " + address + ": " + e.getMessage(), e);
            }
            return new GenerateServer(server, connector, guard, batcher);
        }

        private static void stopQuietly(Server server, ContinuousBatcher batcher, Exception cause) {
            try {
                server.stop();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
            if (batcher != null) {
                batcher.close();
            }
        }

        private static int checkRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", got " + value);
            }
            return value;
        }

        private static Duration checkPositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0, got " + value);
            }
            return value;
        }
    }

    /** Jetty's request limiter, answering in the server's error format. */
    private static final class JsonQoSHandler extends QoSHandler {
        JsonQoSHandler(Handler handler) {
            super(handler);
        }

        @Override
        protected void reject(Request request, Response response, Callback callback, int status) {
            Replies.error(request, response, callback, 503, "busy: every thread is generating and the queue is "
                    + "full; try again later");
        }

        @Override
        protected void failSuspended(Request request, Response response, Callback callback, int status,
                                     Throwable failure) {
            Replies.error(request, response, callback, 503, "busy: the request waited too long for a free "
                    + "thread; try again later");
        }
    }

    /**
     * Serves a model file until the JVM is stopped (Ctrl-C).
     *
     * @param args {@code MODEL [PORT] [THREADS]}: the model file, the port (default 8080; 0 = any
     *     free one) and the number of threads (default {@value #DEFAULT_THREADS})
     * @throws IOException if the model cannot be loaded or the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: GenerateServer MODEL [PORT] [THREADS]");
            System.exit(2);
        }
        RnnModel model = ModelFiles.load(Path.of(args[0]));
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        Builder builder = builder(model).address(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        if (args.length > 2) {
            builder.threads(Integer.parseInt(args[2]));
        }
        GenerateServer server = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("serving http://localhost:" + server.port() + "/generate?prime=&length=200&temperature=0.8");
    }
}
