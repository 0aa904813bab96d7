package io.charrnn.examples.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.charrnn.diagnostics.Diagnostics;
import io.charrnn.diagnostics.GateSaturation;
import io.charrnn.eval.Evaluation;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.LogitTransform;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The playground's JSON API: every endpoint's answer against the library, its limits and its errors. */
class PlaygroundApiTest {
    static RnnModel model;
    static GenerateServer server;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        model = PlaygroundModel.train();
        server = GenerateServer.builder(model).threads(2).start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Headers that announce a body over the limit, and no body: the server must answer 413 from the
     * length alone, without reading (a client still sending would race the server's close).
     */
    static String announceBody(String path, int contentLength) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonObject json(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonObject body(String field, String value) {
        JsonObject o = new JsonObject();
        o.addProperty(field, value);
        return o;
    }

    @Test
    void page_isServedFromTheJar_withAContentSecurityPolicy() throws Exception {
        for (String path : new String[] {"/", "/playground.js", "/playground.css"}) {
            HttpResponse<String> r = get(path);
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.headers().firstValue("content-security-policy").orElse("").contains("default-src 'self'"));
            assertEquals("nosniff", r.headers().firstValue("x-content-type-options").orElse(""));
        }
        assertTrue(get("/").body().contains("<script src=\"playground.js\"></script>"));
        assertFalse(get("/playground.js").body().contains("innerHTML"), "model text goes in as text only");
    }

    @Test
    void model_describesTheModel() throws Exception {
        JsonObject m = json(get("/api/model"));
        assertEquals("LSTM", m.get("cell").getAsString());
        assertEquals(32, m.get("hidden").getAsInt());
        assertEquals(model.parameterCount(), m.get("parameters").getAsLong());
        assertEquals(model.vocabulary().orElseThrow().size(), m.getAsJsonArray("vocabulary").size());
        JsonObject training = m.getAsJsonObject("training");
        assertEquals(150, training.get("steps").getAsLong());
        assertEquals(150, training.getAsJsonObject("history").getAsJsonArray("loss").size());
        assertTrue(m.getAsJsonArray("norms").size() > 0);
    }

    @Test
    void generate_streamsEveryStrategy_asTheSamplerWould() throws Exception {
        String prime = "the ";
        HttpResponse<String> r = get("/api/generate?prime=" + q(prime) + "&length=80&seed=3&temperature=0.7&topK=5"
                + "&topP=0.9&minP=0.05&penalty=1.2&window=16");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/plain; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        SamplingStrategy s = SamplingStrategy.chain(LogitTransform.repetitionPenalty(1.2, 16),
                LogitTransform.temperature(0.7), LogitTransform.topK(5), LogitTransform.topP(0.9),
                LogitTransform.minP(0.05));
        assertEquals(Sampler.builder(model).strategy(s).build().generate(prime, 80, new SplittableRandom(3)), r.body());
        assertEquals(Sampler.builder(model).strategy(SamplingStrategy.greedy()).build()
                .generate(prime, 50, new SplittableRandom(0)), get("/api/generate?prime=" + q(prime)
                + "&length=50&greedy=true").body());
        assertEquals(Sampler.builder(model).build().beamSearch(prime, 30, 3).get(0).text(),
                get("/api/generate?prime=" + q(prime) + "&length=30&beam=3").body());
    }

    @Test
    void score_matchesTheLibrary_andMarksCharactersOutsideTheVocabulary() throws Exception {
        String text = "the cat (in brackets) sat";
        JsonObject s = json(post("/api/score", body("text", text).toString()));
        assertEquals(Evaluation.score(model, text).bitsPerCharacter(), s.get("bitsPerCharacter").getAsDouble(), 1e-3);
        JsonArray chars = s.getAsJsonArray("chars");
        assertEquals(text.length(), chars.size());
        var expected = Evaluation.surprisal(model, text);
        for (int i = 1; i < text.length(); i++) {
            JsonObject c = chars.get(i).getAsJsonObject();
            assertEquals(String.valueOf(text.charAt(i)), c.get("c").getAsString());
            assertEquals(expected.get(i - 1).probability(), c.get("p").getAsDouble(), 1e-3, "at " + i);
            assertEquals(5, c.getAsJsonArray("top").size());
        }
        JsonObject oov = json(post("/api/score", body("text", "the €cat").toString()));
        assertTrue(oov.getAsJsonArray("chars").get(4).getAsJsonObject().get("oov").getAsBoolean());
        assertEquals(1, oov.get("outOfVocabulary").getAsInt());
        assertEquals(Evaluation.score(model, "the cat").bitsPerCharacter(), oov.get("bitsPerCharacter").getAsDouble(),
                1e-3, "the unknown character is skipped");
    }

    @Test
    void next_states_units_matchTheLibrary() throws Exception {
        JsonArray next = json(get("/api/next?prefix=" + q("the c") + "&n=3")).getAsJsonArray("next");
        var expected = Evaluation.nextCharacters(model, "the c", 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(Character.toString(expected.get(i).codePoint()),
                    next.get(i).getAsJsonArray().get(0).getAsString());
        }
        String text = PlaygroundModel.TEXT.repeat(2);
        JsonObject req = body("text", text);
        req.addProperty("kind", "c");
        JsonObject st = json(post("/api/states", req.toString()));
        float[][] c = Diagnostics.cellStates(model, text, 0);
        JsonArray values = st.getAsJsonArray("values");
        assertEquals(c.length, values.size());
        assertEquals(c[10][7], values.get(10).getAsJsonArray().get(7).getAsDouble(), 1e-4);
        assertEquals(32, st.getAsJsonArray("saturation").size());
        GateSaturation gs = Diagnostics.gateSaturation(model, text, 0);
        JsonArray gates = st.getAsJsonObject("gates").getAsJsonArray("gates");
        assertEquals(3, gates.size());
        assertEquals(0.1, st.getAsJsonObject("gates").get("leftBelow").getAsDouble());
        assertEquals(0.9, st.getAsJsonObject("gates").get("rightAbove").getAsDouble());
        for (int g = 0; g < 3; g++) {
            JsonObject gate = gates.get(g).getAsJsonObject();
            assertEquals(gs.gates().get(g), gate.get("name").getAsString());
            assertEquals(gs.meanLeftSaturated(g), gate.get("meanLeft").getAsDouble(), 1e-4);
            assertEquals(gs.meanRightSaturated(g), gate.get("meanRight").getAsDouble(), 1e-4);
            for (int k = 0; k < 32; k++) {
                assertEquals(gs.leftSaturated(g)[k], gate.getAsJsonArray("left").get(k).getAsDouble(), 1e-4);
                assertEquals(gs.rightSaturated(g)[k], gate.getAsJsonArray("right").get(k).getAsDouble(), 1e-4);
            }
        }
        double saturated = 0;
        for (int g = 0; g < 3; g++) {
            saturated += gs.meanLeftSaturated(g) + gs.meanRightSaturated(g);
        }
        assertTrue(saturated > 0, "the trained model saturates some gates: " + gs);
        JsonObject u = body("text", text);
        u.addProperty("pattern", "\\([^)]*\\)");
        u.addProperty("n", 3);
        JsonObject units = json(post("/api/units", u.toString()));
        assertEquals(3, units.getAsJsonArray("units").size());
        assertEquals(2 * ("(1)".length() + "(in brackets)".length()), units.get("inside").getAsInt());
        double first = Math.abs(units.getAsJsonArray("units").get(0).getAsJsonObject().get("score").getAsDouble());
        double third = Math.abs(units.getAsJsonArray("units").get(2).getAsJsonObject().get("score").getAsDouble());
        assertTrue(first >= third && first <= 1, "ranked by |r|: " + units);
    }

    @Test
    void everyBadParameter_isA4xxJsonError() throws Exception {
        String long5001 = "a".repeat(5_001);
        Object[][] cases = {
            {get("/api/generate?length=10001"), 400, "length must be from 0 to 10000, got 10001"},
            {get("/api/generate?beam=17"), 400, "beam must be from 0 to 16, got 17"},
            {get("/api/generate?beam=2&length=2001"), 400, "length must be from 0 to 2000, got 2001"},
            {get("/api/generate?topP=0"), 400, "topP must be a number in (0, 1], got '0'"},
            {get("/api/generate?minP=2"), 400, "minP must be a number in [0, 1], got '2'"},
            {get("/api/generate?penalty=0.5"), 400, "penalty must be a number from 1 to 100, got '0.5'"},
            {get("/api/generate?greedy=maybe"), 400, "greedy must be true or false, got 'maybe'"},
            {get("/api/generate?prime=" + q("€")), 400, "U+20AC"},
            {get("/api/generate?colour=red"), 400, "unknown parameter 'colour'"},
            {get("/api/next?prefix=&n=3"), 400, "prefix must be 1 to 10000 characters, got 0"},
            {get("/api/next?prefix=a&n=0"), 400, "n must be from 1 to"},
            {post("/api/score", body("text", long5001).toString()), 400, "text must be 1 to 5000 characters, got 5001"},
            {post("/api/score", "{}"), 400, "field 'text' is required"},
            {post("/api/score", "{\"text\": 3}"), 400, "field 'text' must be a string, got 3"},
            {post("/api/score", "{\"text\": \"a\", \"x\": 1}"), 400, "unknown field 'x'; known: text"},
            {post("/api/score", "not json"), 400, "the body must be a JSON object"},
            {post("/api/states", "{\"text\": \"the\", \"layer\": 1}"), 400, "layer must be from 0 to 0, got 1"},
            {post("/api/states", "{\"text\": \"the\", \"kind\": \"z\"}"), 400, "kind must be h or c, got 'z'"},
            {post("/api/states", body("text", "a".repeat(2_001)).toString()), 400, "text must be 1 to 2000 characters"},
            {post("/api/units", "{\"text\": \"the cat\", \"pattern\": \"(\"}"), 400, "pattern is not a valid regular"},
            {post("/api/units", "{\"text\": \"the cat\", \"pattern\": \"z\"}"), 400,
                "pattern must match some characters"},
            // whether Java's backtracking overflows the stack here depends on how much of the matcher the
            // JIT has compiled (compiled frames are smaller): either way a clear 400, never a crash
            {post("/api/units", "{\"text\": \"" + "a".repeat(1_500) + ".\", \"pattern\": \"(a|aa)+$\"}"), 400,
                "pattern recursed too deeply|pattern must match some characters of the text but not all, matched 0 of 1501"},
            {post("/api/units", "{\"text\": \"" + "a".repeat(200) + ".\", \"pattern\": \"(.*a){10}b\"}"), 400,
                "pattern took longer than 1 s"},
            {get("/api/score"), 405, "method GET not allowed; use POST"},
            {post("/api/model", "{}"), 405, "method POST not allowed; use GET"},
            {get("/api/nothing"), 404, "not found: /api/nothing"},
        };
        String tooLarge = announceBody("/api/score", 70_000);
        assertTrue(tooLarge.startsWith("HTTP/1.1 413"), tooLarge);
        assertTrue(tooLarge.endsWith("{\"error\":\"the body must be at most 65536 bytes, got 70000\","
                + "\"status\":413}"), tooLarge);
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            HttpResponse<String> r = (HttpResponse<String>) c[0];
            assertEquals(c[1], r.statusCode(), r.uri() + ": " + r.body());
            JsonObject error = JsonParser.parseString(r.body()).getAsJsonObject();
            String message = error.get("error").getAsString();
            assertTrue(java.util.Arrays.stream(((String) c[2]).split("\\|")).anyMatch(message::contains),
                    r.uri() + ": " + r.body());
            assertEquals((int) c[1], error.get("status").getAsInt());
        }
    }
}
