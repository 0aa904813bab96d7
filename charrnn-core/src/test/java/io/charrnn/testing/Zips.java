package io.charrnn.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes forged zip archives (model files, checkpoints) for the file-format tests. */
public final class Zips {
    private Zips() {
    }

    /**
     * Writes {@code entries} in iteration order as a zip file.
     *
     * @param out the file to write
     * @param entries entry name to content
     * @param stored which entries are STORED (uncompressed, with size and CRC); the rest are deflated
     * @return {@code out}
     * @throws IOException if writing fails
     */
    public static Path write(Path out, Map<String, byte[]> entries, Predicate<String> stored) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (stored.test(e.getKey())) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCompressedSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out;
    }
}
