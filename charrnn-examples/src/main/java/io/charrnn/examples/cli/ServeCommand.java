package io.charrnn.examples.cli;

import io.charrnn.examples.serve.GenerateServer;
import io.charrnn.model.RnnModel;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charrnn serve}: the {@link GenerateServer} example as a command. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves a model over HTTP until Ctrl-C: GET /generate?prime=TEXT&length=N&temperature=T&seed=S"
                + "&stop=STRING streams generated text (text/plain, UTF-8, chunked); bad parameters get 400.",
                "The playground page is at / and its JSON API under /api/ (docs/playground.md).",
                "The model is loaded once and shared by all requests. Idle or slow connections are closed after 10 s,"
                        + " one client address may hold 32 connections, and a request that waits 10 s for a thread"
                        + " gets 503."})
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file saved by 'train'.")
    Path model;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", paramLabel = "N",
            description = "Requests generated at the same time, 1 to " + GenerateServer.MAX_THREADS
                    + " (default: " + GenerateServer.DEFAULT_THREADS + "; they step together).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be from 0 to 65535, got " + port);
        }
        int n = threads != null ? threads : GenerateServer.DEFAULT_THREADS;
        if (n < 1 || n > GenerateServer.MAX_THREADS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be from 1 to "
                    + GenerateServer.MAX_THREADS + ", got " + n);
        }
        RnnModel m = ModelStore.load(model);
        GenerateServer server = GenerateServer.start(m, new InetSocketAddress(host, port), n);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "charrnn-serve-stop"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("serving %s on http://%s:%d/generate (%d threads), the playground at http://%s:%d/; "
                + "Ctrl-C stops%n", model, host, server.port(), n, host, server.port());
        out.flush();
        stopped.await();
        return StopOnInterrupt.EXIT_INTERRUPTED;
    }
}
