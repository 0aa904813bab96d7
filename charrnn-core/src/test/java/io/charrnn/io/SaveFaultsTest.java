package io.charrnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk or a read-only directory fails a save with an error that names the file, and leaves
 * the old file as it was. (The CLI's {@code DiskFaultsTest} does the same on a real full and a real
 * read-only file system where Linux allows it.)
 */
class SaveFaultsTest {
    @TempDir
    Path dir;

    private static RnnModel model(long seed) {
        return RnnModel.builder().hidden(16).vocabulary(Vocabulary.fromText("abc def")).seed(seed).build();
    }

    @Test
    void fullDisk_failsNamingTheFile_andKeepsTheOldOne() throws IOException {
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model(1), file);
        byte[] before = Files.readAllBytes(file);
        for (long limit : new long[] {0, 500, 3_000}) {
            IOException e = assertThrows(IOException.class, () -> ModelFiles.save(model(2), file, out -> full(out, limit)));
            assertEquals("could not write " + file + ": No space left on device", e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file));
            assertEquals(List.of("m.charrnn"), listing());
        }
    }

    @Test
    void readOnlyDirectory_failsNamingTheFile_andKeepsTheOldOne() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model(1), file);
        byte[] before = Files.readAllBytes(file);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(dir), "permissions do not bind this user (root)");
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> ModelFiles.save(model(2), file));
            assertEquals(file.toString(), e.getFile());
            assertTrue(e.getMessage().startsWith(file + ": cannot create a file in " + dir), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("m.charrnn"), listing());
    }

    /** A stream on a disk with {@code free} bytes left. */
    private static OutputStream full(OutputStream out, long free) {
        return new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > free) {
                    throw new IOException("No space left on device");
                }
                written += len;
                out.write(b, off, len);
            }
        };
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
