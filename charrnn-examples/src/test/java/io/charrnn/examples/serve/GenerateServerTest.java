package io.charrnn.examples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Corpus;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many clients over loopback, one model: streamed, reproducible by seed, and clear 400s. */
class GenerateServerTest {
    static RnnModel model;
    static GenerateServer server;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        String text = "the cat sat on the mat. the dog sat on the log.\n".repeat(40);
        model = Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(10).batchSize(2).steps(20).build()
                .train(RnnModel.builder().hidden(16).seed(1).build(), Corpus.of(text)).model();
        server = GenerateServer.start(model, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI uri(String query) {
        return URI.create("http://127.0.0.1:" + server.port() + "/generate" + (query.isEmpty() ? "" : "?" + query));
    }

    private static HttpResponse<String> get(String query) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(query)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String expected(String prime, int length, double temperature, long seed) {
        return Sampler.builder(model).strategy(SamplingStrategy.temperature(temperature)).build()
                .generate(prime, length, new SplittableRandom(seed));
    }

    @Test
    void concurrentRequests_sameSeedSameText_equalToSamplingInProcess() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long seed = i % 4;
            String query = "prime=" + URLEncoder.encode("the ", StandardCharsets.UTF_8) + "&length=300&temperature=0.8"
                    + "&seed=" + seed;
            responses.add(client.sendAsync(HttpRequest.newBuilder(uri(query)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<String> r = responses.get(i).join();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("text/plain; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
            assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElse(""));
            assertEquals(expected("the ", 300, 0.8, i % 4), r.body(), "seed " + (i % 4));
        }
        assertNotEquals(responses.get(0).join().body(), responses.get(1).join().body(), "other seeds, other texts");
    }

    @Test
    void batchedServer_mixedStrategiesAtOnce_giveTheUnbatchedServersTexts() throws Exception {
        String[] queries = {"length=400&topK=3&seed=1", "length=250&topP=0.9&temperature=1.2&seed=2",
            "length=300&greedy=true&penalty=1.5&window=8", "length=500&stop=" + URLEncoder.encode("t.",
                StandardCharsets.UTF_8) + "&seed=3", "prime=the&length=120&minP=0.2&seed=4", "length=350&seed=5",
            "length=1&seed=6", "length=0&seed=7"};
        List<String> alone = new ArrayList<>();
        try (GenerateServer unbatched = GenerateServer.builder(model).batching(false).start()) {
            for (String q : queries) {
                alone.add(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + unbatched.port()
                        + "/generate?" + q)).build(), HttpResponse.BodyHandlers.ofString()).body());
            }
        }
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (String q : queries) {
            responses.add(client.sendAsync(HttpRequest.newBuilder(uri(q)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < queries.length; i++) {
            HttpResponse<String> r = responses.get(i).join();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(alone.get(i), r.body(), queries[i]);
        }
    }

    @Test
    void defaults_andStopStrings() throws Exception {
        HttpResponse<String> r = get("seed=5");
        assertEquals(200, r.statusCode());
        assertEquals(expected("", 200, 1.0, 5), r.body());
        String full = get("seed=6&length=100").body();
        String stop = full.substring(30, 32);
        HttpResponse<String> stopped = get("seed=6&length=100&stop=" + URLEncoder.encode(stop, StandardCharsets.UTF_8));
        assertEquals(full.substring(0, full.indexOf(stop)), stopped.body());
    }

    @Test
    void theResponseIsStreamed_beforeGenerationEnds() throws Exception {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri("seed=1&length=2000"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            byte[] first = in.readNBytes(10);
            assertEquals(expected("", 10, 1.0, 1), new String(first, StandardCharsets.UTF_8));
        }
    }

    @Test
    void badParameters_are400_withAOneLineReason() throws Exception {
        String[][] cases = {
            {"prime=" + URLEncoder.encode("the €", StandardCharsets.UTF_8), "U+20AC"},
            {"length=-1", "length must be from 0 to 10000, got -1"},
            {"length=10001", "length must be from 0 to 10000, got 10001"},
            {"length=ten", "length must be an integer from 0 to 10000, got 'ten'"},
            {"temperature=0", "temperature must be a finite number > 0, got '0'"},
            {"temperature=NaN", "temperature must be a finite number > 0, got 'NaN'"},
            {"seed=abc", "seed must be an integer (a Java long), got 'abc'"},
            {"length=5&length=6", "length must be given once, got it 2 times"},
            {"stop=", "stop must contain at least one character, got an empty text"},
            {"colour=red", "unknown parameter 'colour'"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = get(c[0]);
            assertEquals(400, r.statusCode(), c[0] + ": " + r.body());
            assertTrue(r.body().contains(c[1]), c[0] + ": " + r.body());
            assertEquals(1, r.body().lines().count(), r.body());
        }
        assertEquals(404, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/other"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(405, client.send(HttpRequest.newBuilder(uri("")).POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
