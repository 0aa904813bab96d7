package io.charrnn.examples.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes whole answers: JSON for {@code /api/} paths and the page, one line of plain text for the
 * older {@code /generate}. Every answer says {@code nosniff}, so a browser never guesses HTML from
 * a model's text.
 */
final class Replies {
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    private Replies() {
    }

    static boolean isApi(Request request) {
        return Request.getPathInContext(request).startsWith("/api/");
    }

    /** An error: {@code {"error": message}} under {@code /api/}, else the message as one line of text. */
    static void error(Request request, Response response, Callback callback, int status, String message) {
        String line = message.strip().replaceAll("\\s*\\R\\s*", "; ");
        if (isApi(request)) {
            JsonObject body = new JsonObject();
            body.addProperty("error", line);
            body.addProperty("status", status);
            send(response, callback, status, "application/json; charset=utf-8", GSON.toJson(body));
        } else {
            send(response, callback, status, "text/plain; charset=utf-8", line + "\n");
        }
    }

    static void json(Response response, Callback callback, Object body) {
        send(response, callback, 200, "application/json; charset=utf-8", GSON.toJson(body));
    }

    static void send(Response response, Callback callback, int status, String contentType, String body) {
        send(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        headers(response, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    static void headers(Response response, String contentType) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    }
}
