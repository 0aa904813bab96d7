package io.charrnn.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code charrnn} command: train, sample, eval, score, next, inspect, gradcheck, bench, plot, serve, import
 * and export.
 *
 * <p>Errors end as one line on stderr, {@code charrnn: error: ...}, and a non-zero exit status: 2
 * for usage errors (an unknown option, a value out of range), 1 for failures (a missing file, a
 * corrupt model, diverging training). {@code --debug} or {@code CHARRNN_DEBUG=1} adds the stack trace.
 * Ctrl-C (SIGINT) or SIGTERM during {@code train} saves a checkpoint and the model and exits with
 * 128 + the signal's number, as a shell reports a process the signal ended: 130 for SIGINT, 143
 * for SIGTERM. Arguments are taken as they are: picocli's {@code @file} expansion is off.
 */
@Command(name = "charrnn", mixinStandardHelpOptions = true, version = "charrnn 0.1.0-SNAPSHOT",
        description = "Character-level recurrent language models: train on any text, sample, evaluate, "
                + "score characters, predict the next character, inspect model files, check gradients, benchmark, plot, "
                + "serve over HTTP, import and export PyTorch models.",
        subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, ScoreCommand.class,
                NextCommand.class, InspectCommand.class, GradcheckCommand.class, BenchCommand.class, PlotCommand.class,
                ServeCommand.class, ImportCommand.class, ExportCommand.class,
                CommandLine.HelpCommand.class})
public final class CharRnnCli implements Runnable {
    /** Exit status of a failure that is not the user's wording (I/O, divergence, a failed check). */
    static final int FAILURE = 1;
    /** Exit status of a usage error. */
    static final int USAGE = 2;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors (also: environment CHARRNN_DEBUG=1).")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: train, sample, eval, score, next, inspect, gradcheck, bench, plot, serve, "
                        + "import or export");
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the tool in-process, writing to the given streams.
     *
     * @param out standard output
     * @param err standard error: progress, information and errors
     * @param args the command line
     * @return the exit status: 0 success, 1 failure, 2 usage error
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CharRnnCli root = new CharRnnCli();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOverwrittenOptionsAllowed(true); // the last value wins, so scripts can pass overrides
        // no @file expansion: "--prime @notes.txt" is the text "@notes.txt", never the file's content
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine c = ex.getCommandLine();
            String name = c.getCommandSpec().qualifiedName();
            c.getErr().println("charrnn: error: " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            if (debug(root)) {
                ex.printStackTrace(c.getErr());
            }
            c.getErr().flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("charrnn: error: " + describe(ex));
            if (debug(root)) {
                ex.printStackTrace(c.getErr());
            }
            c.getErr().flush();
            return ex instanceof IllegalArgumentException ? USAGE : FAILURE;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private static boolean debug(CharRnnCli root) {
        return root.debug || "1".equals(System.getenv("CHARRNN_DEBUG"));
    }

    /** A one-line description of an exception, without the class name where the message says enough. */
    static String describe(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
        String msg = t.getMessage();
        if (t instanceof NoSuchFileException) {
            return "no such file: " + msg;
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied: " + msg;
        }
        if (t instanceof FileSystemException) {
            return oneLine(msg); // names the file and the reason
        }
        if (msg == null || msg.isBlank()) {
            return t.getClass().getSimpleName();
        }
        if (t instanceof IOException && !(t.getClass().getName().startsWith("io.charrnn"))
                && !t.getClass().equals(IOException.class)) {
            return oneLine(t.getClass().getSimpleName() + ": " + msg);
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + msg + "); give Java more with -Xmx or use a smaller model or batch";
        }
        return oneLine(msg);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
