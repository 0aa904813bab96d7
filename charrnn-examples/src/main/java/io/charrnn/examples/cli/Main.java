package io.charrnn.examples.cli;

/**
 * The entry point of {@code charrnn.jar}: runs {@link CharRnnCli} when the jar's libraries are on
 * its class path, and otherwise says in one line what is missing (a copied {@code charrnn.jar}
 * without its {@code lib/} directory would fail with a {@code NoClassDefFoundError}).
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        try {
            Class.forName("picocli.CommandLine", false, Main.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            System.err.println("charrnn: error: charrnn.jar needs its lib/ directory beside it, which is missing; copy "
                    + "the whole distribution directory (charrnn-examples/target/charrnn/ after a build) and run its "
                    + "bin/charrnn");
            System.exit(CharRnnCli.FAILURE);
        }
        CharRnnCli.main(args);
    }
}
