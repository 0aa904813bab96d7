package io.charrnn.examples.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.GenerationOptions;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP server that loads a model once and generates text for many clients at a time,
 * streaming each character as it is drawn. Built on the JDK's {@code com.sun.net.httpserver} and
 * the public charrnn API only: one immutable {@link RnnModel} is shared by every request, and each
 * request gets its own {@link Sampler} and random generator (hidden state lives in the call).
 *
 * <pre>
 * GET /generate?prime=ROMEO:&amp;length=200&amp;temperature=0.8&amp;seed=1&amp;stop=%0A%0A
 * </pre>
 *
 * <ul>
 *   <li>{@code prime}: text fed to the model first, not repeated in the response (default empty);
 *       every character must be in the model's vocabulary;</li>
 *   <li>{@code length}: characters to generate, 0 to {@value #MAX_LENGTH} (default 200);</li>
 *   <li>{@code temperature}: finite and {@code > 0} (default 1.0);</li>
 *   <li>{@code seed}: a Java {@code long}; the same seed and parameters give the same text
 *       (default: a fresh random seed per request);</li>
 *   <li>{@code stop}: ends generation when the text ends with it, which is left out (repeatable).</li>
 * </ul>
 *
 * <p>The answer is {@code 200} with {@code text/plain; charset=utf-8} in chunked transfer encoding,
 * flushed after every character; a bad parameter gets {@code 400} with a one-line reason, another
 * path {@code 404}, another method {@code 405}. Requests run on a fixed pool of threads with a
 * bounded queue; connections beyond that are closed. {@link #close()} stops the server.
 */
public final class GenerateServer implements AutoCloseable {
    /** The largest {@code length} a request may ask for. */
    public static final int MAX_LENGTH = 10_000;
    /** Requests that may wait for a thread. */
    static final int QUEUE = 64;
    private static final Set<String> PARAMETERS = Set.of("prime", "length", "temperature", "seed", "stop");

    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final RnnModel model;
    private final Vocabulary vocabulary;

    private GenerateServer(RnnModel model, HttpServer server, ThreadPoolExecutor pool) {
        this.model = model;
        this.vocabulary = model.vocabulary().orElseThrow();
        this.server = server;
        this.pool = pool;
    }

    /**
     * Starts serving {@code GET /generate}.
     *
     * @param model a trained (bound) model, shared by all requests
     * @param address where to listen; port 0 picks a free port (see {@link #port()})
     * @param threads requests generated at the same time, {@code >= 1}
     * @return the running server
     * @throws IllegalArgumentException if the model has no vocabulary or {@code threads < 1}
     * @throws IOException if the address cannot be bound
     */
    public static GenerateServer start(RnnModel model, InetSocketAddress address, int threads) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(address, "address");
        if (!model.isBound()) {
            throw new IllegalArgumentException("model must be trained (have a vocabulary and weights), got " + model);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "charrnn-generate-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        HttpServer server = HttpServer.create(address, 0);
        GenerateServer s = new GenerateServer(model, server, pool);
        server.createContext("/", s::handle);
        server.setExecutor(pool);
        server.start();
        return s;
    }

    /** @return the port the server listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting requests, ends those under way and releases the threads. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    /** The parameters of one request, checked. */
    private record Request(GenerationOptions options, double temperature, Long seed) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestURI().getPath().equals("/generate")) {
                error(exchange, 404, "not found: " + exchange.getRequestURI().getPath() + "; use GET /generate");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                error(exchange, 405, "method " + exchange.getRequestMethod() + " not allowed; use GET");
                return;
            }
            Request request;
            try {
                request = parse(exchange.getRequestURI().getRawQuery());
            } catch (IllegalArgumentException e) {
                error(exchange, 400, e.getMessage());
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.sendResponseHeaders(200, 0); // 0: chunked, the length is not known in advance
            Writer body = new OutputStreamWriter(exchange.getResponseBody(), StandardCharsets.UTF_8);
            Sampler sampler = Sampler.builder(model).strategy(SamplingStrategy.temperature(request.temperature())).build();
            SplittableRandom rng = request.seed() == null ? new SplittableRandom() : new SplittableRandom(request.seed());
            sampler.generate(request.options(), rng, cp -> {
                try {
                    body.write(Character.toString(cp));
                    body.flush(); // one chunk per character: the client sees the text as it is drawn
                    return true;
                } catch (IOException e) {
                    return false; // the client went away: stop generating
                }
            });
            body.flush();
        } finally {
            exchange.close();
        }
    }

    /** @throws IllegalArgumentException with a one-line reason for the client */
    private Request parse(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!PARAMETERS.contains(name)) {
                    throw new IllegalArgumentException("unknown parameter '" + name + "'; known: prime, length, "
                            + "temperature, seed, stop");
                }
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        String prime = single(params, "prime", "");
        vocabulary.encode(prime); // a character outside the vocabulary: IllegalArgumentException naming it
        int length;
        String l = single(params, "length", "200");
        try {
            length = Integer.parseInt(l);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("length must be an integer from 0 to " + MAX_LENGTH + ", got '" + l + "'");
        }
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("length must be from 0 to " + MAX_LENGTH + ", got " + length);
        }
        String t = single(params, "temperature", "1.0");
        double temperature;
        try {
            temperature = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            temperature = Double.NaN;
        }
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got '" + t + "'");
        }
        String s = single(params, "seed", null);
        Long seed;
        try {
            seed = s == null ? null : Long.valueOf(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed must be an integer (a Java long), got '" + s + "'");
        }
        GenerationOptions.Builder options = GenerationOptions.builder().prime(prime).length(length);
        for (String stop : params.getOrDefault("stop", List.of())) {
            options.stop(stop); // an empty stop string: IllegalArgumentException
        }
        return new Request(options.build(), temperature, seed);
    }

    private static String single(Map<String, List<String>> params, String name, String fallback) {
        List<String> values = params.get(name);
        if (values == null) {
            return fallback;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException(name + " must be given once, got it " + values.size() + " times");
        }
        return values.get(0);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed query: " + e.getMessage());
        }
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = (message.strip().replaceAll("\\s*\\R\\s*", "; ") + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Serves a model file until the JVM is stopped (Ctrl-C).
     *
     * @param args {@code MODEL [PORT] [THREADS]}: the model file, the port (default 8080; 0 = any
     *     free one) and the number of threads (default: the number of processors)
     * @throws IOException if the model cannot be loaded or the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: GenerateServer MODEL [PORT] [THREADS]");
            System.exit(2);
        }
        RnnModel model = ModelFiles.load(Path.of(args[0]));
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        GenerateServer server = start(model, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), threads);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("serving http://localhost:" + server.port() + "/generate?prime=&length=200&temperature=0.8");
    }
}
