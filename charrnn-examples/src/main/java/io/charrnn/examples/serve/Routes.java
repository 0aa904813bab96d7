package io.charrnn.examples.serve;

import io.charrnn.model.RnnModel;
import io.charrnn.sample.Beam;
import io.charrnn.sample.ContinuousBatcher;
import io.charrnn.sample.Sampler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The paths and what answers them. */
final class Routes extends Handler.Abstract {
    /** The paths that run the model, limited to {@code threads} at once. */
    static final String[] MODEL_WORK = {"/generate", "/api/generate", "/api/score", "/api/next", "/api/states",
        "/api/units"};

    private final RnnModel model;
    private final Duration generationTimeout;
    private final PlaygroundRoutes playground;
    private final ContinuousBatcher batcher; // null: each generation steps alone

    Routes(RnnModel model, Duration generationTimeout, ContinuousBatcher batcher) {
        this.model = model;
        this.generationTimeout = generationTimeout;
        this.batcher = batcher;
        this.playground = new PlaygroundRoutes(model);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        try {
            switch (path) {
                case "/generate", "/api/generate" -> {
                    if (method(request, response, callback, "GET")) {
                        generate(request, response, callback);
                    }
                }
                default -> {
                    if (!playground.handle(path, request, response, callback)) {
                        Replies.error(request, response, callback, 404, "not found: " + path
                                + "; use GET /generate, the playground at / or its API under /api/");
                    }
                }
            }
        } catch (PlaygroundRoutes.TooLarge e) {
            Replies.error(request, response, callback, 413, e.getMessage());
        } catch (IllegalArgumentException e) {
            Replies.error(request, response, callback, 400, e.getMessage());
        } catch (IOException e) {
            callback.failed(e); // the client went away
        } catch (RuntimeException e) {
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                Replies.error(request, response, callback, 500, "internal error: " + e);
            }
        }
        return true;
    }

    /** @return whether the method is {@code allowed}; if not, the 405 answer has been sent */
    static boolean method(Request request, Response response, Callback callback, String allowed) {
        if (request.getMethod().equals(allowed)) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        Replies.error(request, response, callback, 405, "method " + request.getMethod() + " not allowed; use "
                + allowed);
        return false;
    }

    private void generate(Request request, Response response, Callback callback) throws IOException {
        GenerationRequest g = GenerationRequest.parse(request.getHttpURI().getQuery(),
                model.vocabulary().orElseThrow());
        response.setStatus(200);
        Replies.headers(response, "text/plain; charset=utf-8"); // no length: chunked
        OutputStream stream = Content.Sink.asOutputStream(response);
        Writer body = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        Sampler.Builder builder = Sampler.builder(model).strategy(g.strategy());
        Sampler sampler = (batcher == null ? builder : builder.batcher(batcher)).build();
        if (g.beam() > 0) {
            List<Beam> beams = sampler.beamSearch(g.options().prime(), g.options().length(), g.beam());
            body.write(beams.isEmpty() ? "" : beams.get(0).text());
        } else {
            SplittableRandom rng = g.seed() == null ? new SplittableRandom() : new SplittableRandom(g.seed());
            long deadline = System.nanoTime() + generationTimeout.toNanos();
            boolean[] gone = {false};
            sampler.generate(g.options(), rng, cp -> {
                try {
                    body.write(Character.toString(cp));
                    body.flush(); // one chunk per character: the client sees the text as it is drawn
                    return System.nanoTime() < deadline;
                } catch (IOException e) {
                    gone[0] = true;
                    return false; // the client went away: stop generating
                }
            });
            if (gone[0]) {
                throw new IOException("the client went away");
            }
        }
        body.close();
        callback.succeeded();
    }
}
