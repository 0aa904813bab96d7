/**
 * Model files: {@link io.charrnn.io.ModelFiles} saves a trained model atomically and loads it back
 * bit for bit; a file that is readable but wrong gives a {@link io.charrnn.io.ModelFormatException}.
 *
 * <pre>{@code
 * RnnModel model = RnnModel.builder().hidden(64).vocabulary(Vocabulary.fromText(text)).build();
 * ModelFiles.save(model, Path.of("shakespeare.charrnn"));
 * RnnModel again = ModelFiles.load(Path.of("shakespeare.charrnn"));
 * assert again.equals(model);
 * }</pre>
 *
 * <p>The file is a zip archive of a JSON description and one NumPy {@code .npy} file per weight
 * matrix; {@link io.charrnn.io.ModelFiles} documents the layout.
 *
 * <p>{@link io.charrnn.io.PyTorchImport} reads a PyTorch state dict ({@code torch.save}d {@code .pt},
 * without running its pickle code, or {@code .safetensors}) into a model, and {@link
 * io.charrnn.io.PyTorchExport} writes one back in either {@link io.charrnn.io.PyTorchFormat}.
 */
package io.charrnn.io;
