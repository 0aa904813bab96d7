package io.charrnn.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The file formats PyTorch state dicts come in. */
public enum PyTorchFormat {
    /** {@code torch.save(model.state_dict(), "model.pt")}: a zip archive of a pickle and raw storages. */
    PT,
    /** {@code safetensors.torch.save_file(model.state_dict(), "model.safetensors")}: a JSON header and raw data. */
    SAFETENSORS;

    /**
     * @param file a file name
     * @return {@link #SAFETENSORS} for {@code *.safetensors}, {@link #PT} for {@code *.pt}, {@code *.pth}
     *     and {@code *.bin}, else empty
     */
    public static Optional<PyTorchFormat> ofFileName(Path file) {
        Objects.requireNonNull(file, "file");
        Path name = file.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".safetensors")) {
            return Optional.of(SAFETENSORS);
        }
        if (n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".bin")) {
            return Optional.of(PT);
        }
        return Optional.empty();
    }
}
