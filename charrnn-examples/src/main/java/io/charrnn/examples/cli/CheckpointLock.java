package io.charrnn.examples.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code train} run per checkpoint directory: an exclusive OS file lock on
 * {@code DIR/.charrnn-train.lock}, held while the run may write checkpoints there. The system
 * releases it when the process ends in any way (kill -9 included), so a stale lock cannot
 * outlive its run; the file itself stays, empty of meaning, and holds the owner's process id for
 * the message a second run gets.
 */
final class CheckpointLock implements AutoCloseable {
    static final String FILE_NAME = ".charrnn-train.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private CheckpointLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if missing and locks it.
     *
     * @param directory the checkpoint directory (checked by {@link OutputPaths#checkDirectory})
     * @return the held lock; close it when the run is over
     * @throws IOException if another run holds the lock (the message names its process id) or the
     *     lock file cannot be written
     */
    static CheckpointLock acquire(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) { // held by this JVM
                lock = null;
            }
            if (lock == null) {
                throw new OutputPaths.UnwritableOutputException("--checkpoint-dir " + directory
                        + ": another train run is writing checkpoints there" + owner(channel)
                        + "; give each run its own --checkpoint-dir");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new CheckpointLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static String owner(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            channel.read(b, 0);
            String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d+") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
