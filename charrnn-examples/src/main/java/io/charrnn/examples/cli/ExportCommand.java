package io.charrnn.examples.cli;

import io.charrnn.io.PyTorchExport;
import io.charrnn.io.PyTorchFormat;
import io.charrnn.model.RnnModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charrnn export}: a charrnn model as a PyTorch state dict. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Exports a charrnn model as a PyTorch state dict (embed, rnn, decoder: nn.Embedding, "
                + "nn.RNN/nn.LSTM/nn.GRU, nn.Linear) that load_state_dict accepts in the CharRNN module of "
                + "docs/pytorch.md; prints the module's constructor call."})
final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file saved by 'train'.")
    Path model;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "safetensors or pt (torch.save's zip format); default: from the --out file's extension.")
    PyTorchFormat format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Option(names = "--vocabulary-out", paramLabel = "FILE.json",
            description = "Also write the characters, in the model's index order, as a JSON list (what "
                    + "'import --vocabulary' reads; a .safetensors file records them too).")
    Path vocabularyOut;

    @Override
    public Integer call() throws Exception {
        PyTorchFormat f = format != null ? format : PyTorchFormat.ofFileName(out).orElseThrow(() ->
                new CommandLine.ParameterException(spec.commandLine(), "--format is needed (safetensors or pt): the "
                        + "extension of " + out + " is neither .safetensors nor .pt"));
        Options.checkTarget(spec, out, "--out");
        if (vocabularyOut != null) {
            Options.checkTarget(spec, vocabularyOut, "--vocabulary-out");
        }
        RnnModel m = ModelStore.load(model);
        PyTorchExport.write(m, out, f);
        if (vocabularyOut != null) {
            Path tmp = Files.createTempFile(vocabularyOut.toAbsolutePath().getParent(), ".vocabulary", ".tmp");
            try {
                String json = PyTorchExport.charactersJson(m.vocabulary().orElseThrow());
                Files.writeString(tmp, json, StandardCharsets.UTF_8);
                Files.move(tmp, vocabularyOut, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        spec.commandLine().getErr().printf(Locale.ROOT, "wrote %s (%s); in PyTorch: model = %s; "
                + "model.load_state_dict(%s)%n", out, f.name().toLowerCase(Locale.ROOT), PyTorchExport.moduleCall(m),
                f == PyTorchFormat.PT ? "torch.load(\"" + out.getFileName() + "\", weights_only=True)"
                        : "safetensors.torch.load_file(\"" + out.getFileName() + "\")");
        spec.commandLine().getErr().flush();
        return 0;
    }
}
