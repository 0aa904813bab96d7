package io.charrnn.examples.serve;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.charrnn.model.RnnModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The playground: its page (three static files from the jar) and the JSON API the page uses,
 * {@code /api/model}, {@code /api/score}, {@code /api/next}, {@code /api/states} and
 * {@code /api/units} ({@code /api/generate} streams from {@link Routes}).
 */
final class PlaygroundRoutes {
    /** The largest request body, in bytes. */
    static final int MAX_BODY = 64 * 1024;
    private static final String RESOURCES = "/io/charrnn/examples/serve/playground/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/index.html", "index.html",
            "/playground.js", "playground.js", "/playground.css", "playground.css");

    private final Playground playground;
    private final Map<String, byte[]> files;

    PlaygroundRoutes(RnnModel model) {
        this.playground = new Playground(model);
        this.files = FILES.values().stream().distinct().collect(java.util.stream.Collectors.toMap(f -> f,
                PlaygroundRoutes::resource));
    }

    private static byte[] resource(String name) {
        try (InputStream in = PlaygroundRoutes.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("internal error: " + RESOURCES + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return {@code false} if the path is not the playground's
     * @throws IllegalArgumentException for a bad request, with the reason
     */
    boolean handle(String path, Request request, Response response, Callback callback) throws IOException {
        String file = FILES.get(path);
        if (file != null) {
            if (Routes.method(request, response, callback, "GET")) {
                String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                        : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
                response.getHeaders().put("Content-Security-Policy", "default-src 'self'; object-src 'none'; "
                        + "base-uri 'none'; frame-ancestors 'none'");
                Replies.send(response, callback, 200, type, files.get(file));
            }
            return true;
        }
        switch (path) {
            case "/api/model" -> {
                if (Routes.method(request, response, callback, "GET")) {
                    Replies.json(response, callback, playground.model());
                }
            }
            case "/api/next" -> {
                if (Routes.method(request, response, callback, "GET")) {
                    Map<String, List<String>> q = GenerationRequest.params(request.getHttpURI().getQuery(),
                            List.of("prefix", "n"));
                    Replies.json(response, callback, playground.next(GenerationRequest.single(q, "prefix", ""),
                            GenerationRequest.integer(q, "n", 10, 1, Integer.MAX_VALUE)));
                }
            }
            case "/api/score" -> {
                if (Routes.method(request, response, callback, "POST")) {
                    JsonObject body = body(request, Set.of("text"));
                    Replies.json(response, callback, playground.score(string(body, "text", null)));
                }
            }
            case "/api/states" -> {
                if (Routes.method(request, response, callback, "POST")) {
                    JsonObject body = body(request, Set.of("text", "layer", "kind"));
                    Replies.json(response, callback, playground.states(string(body, "text", null),
                            integer(body, "layer", 0), string(body, "kind", "h")));
                }
            }
            case "/api/units" -> {
                if (Routes.method(request, response, callback, "POST")) {
                    JsonObject body = body(request, Set.of("text", "pattern", "layer", "kind", "n"));
                    Replies.json(response, callback, playground.units(string(body, "text", null),
                            string(body, "pattern", null), integer(body, "layer", 0), string(body, "kind", "h"),
                            integer(body, "n", 10)));
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Reads a JSON object body of at most {@link #MAX_BODY} bytes with only the given fields. */
    private static JsonObject body(Request request, Set<String> fields) throws IOException {
        long declared = request.getLength();
        if (declared > MAX_BODY) {
            throw new TooLarge(declared);
        }
        byte[] bytes;
        try (InputStream in = Request.asInputStream(request)) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new TooLarge(bytes.length);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the body must be UTF-8 JSON; it has malformed UTF-8");
        }
        JsonElement json;
        try {
            json = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("the body must be a JSON object, e.g. {\"text\": \"...\"}; it does not "
                    + "parse: " + e.getMessage());
        }
        if (!json.isJsonObject()) {
            throw new IllegalArgumentException("the body must be a JSON object, e.g. {\"text\": \"...\"}, got "
                    + (text.isBlank() ? "nothing" : "a JSON " + (json.isJsonArray() ? "array" : "value")));
        }
        JsonObject o = json.getAsJsonObject();
        for (String key : o.keySet()) {
            if (!fields.contains(key)) {
                throw new IllegalArgumentException("unknown field '" + key + "'; known: "
                        + String.join(", ", fields.stream().sorted().toList()));
            }
        }
        return o;
    }

    private static String string(JsonObject body, String name, String fallback) {
        JsonElement e = body.get(name);
        if (e == null || e.isJsonNull()) {
            if (fallback == null) {
                throw new IllegalArgumentException("field '" + name + "' is required (a string)");
            }
            return fallback;
        }
        if (!(e instanceof JsonPrimitive p) || !p.isString()) {
            throw new IllegalArgumentException("field '" + name + "' must be a string, got " + e);
        }
        return p.getAsString();
    }

    private static int integer(JsonObject body, String name, int fallback) {
        JsonElement e = body.get(name);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new IllegalArgumentException("field '" + name + "' must be an integer, got " + e);
    }

    /** A body over {@link #MAX_BODY}: answered with 413. */
    static final class TooLarge extends IllegalArgumentException {
        TooLarge(long bytes) {
            super("the body must be at most " + MAX_BODY + " bytes, got " + bytes);
        }
    }
}
