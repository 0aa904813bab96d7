package io.charrnn.examples.spark;

import io.charrnn.text.Vocabulary;
import io.charrnn.train.TrainingText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A UTF-8 text on any Hadoop path (local, HDFS, S3), indexed by Spark jobs without the driver
 * reading it: the file is cut into blocks of bytes; one job counts each block's code points and
 * finds its characters (the vocabulary), a second checksums the training split's codes. The driver
 * keeps only each block's byte start and code count, so an executor can find any code position by
 * reading from the start of its block. Serializable: executors get it with their tasks.
 */
final class TextIndex implements Serializable {
    private static final long serialVersionUID = 1L;

    final String path;
    final long fileLength;
    final long blockBytes;
    final long[] firstCode; // code position of each block's first code point; one more entry: the total
    final int[] vocabulary; // sorted code points
    final int trainLength;
    final int validationLength;
    private final byte[] configuration; // the Hadoop configuration, written (Configuration is not Serializable)
    private transient Vocabulary vocab;

    private TextIndex(String path, long fileLength, long blockBytes, long[] firstCode, int[] vocabulary,
                      double validationFraction, byte[] configuration) {
        this.path = path;
        this.fileLength = fileLength;
        this.blockBytes = blockBytes;
        this.firstCode = firstCode;
        this.vocabulary = vocabulary;
        this.configuration = configuration;
        long n = firstCode[firstCode.length - 1];
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + " has " + n + " characters; a corpus holds at most "
                    + Integer.MAX_VALUE);
        }
        int validation = (int) Math.round(n * validationFraction); // as Corpus splits
        this.validationLength = validation;
        this.trainLength = (int) n - validation;
    }

    /** One block's figures, from the indexing job. */
    private record Block(int index, long codes, int[] characters) implements Serializable {
    }

    /**
     * Indexes a text: a Spark job over its blocks.
     *
     * @param sc the context
     * @param path a UTF-8 file on any file system Hadoop reaches
     * @param blockBytes bytes per block (per indexing task)
     * @param validationFraction the fraction at the end held out for validation, as {@code Corpus.withSplit}
     * @throws IOException if the path does not exist, is not a file or is not valid UTF-8
     */
    static TextIndex build(JavaSparkContext sc, String path, long blockBytes, double validationFraction)
            throws IOException {
        Configuration conf = sc.hadoopConfiguration();
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        long length;
        try {
            var status = fs.getFileStatus(p);
            if (!status.isFile()) {
                throw new IOException("the text must be a file, but " + path + " is a directory");
            }
            length = status.getLen();
        } catch (FileNotFoundException e) {
            throw new IOException("the text " + path + " does not exist", e);
        }
        if (length == 0) {
            throw new IllegalArgumentException("the text " + path + " is empty");
        }
        byte[] written = write(conf);
        int blocks = (int) ((length + blockBytes - 1) / blockBytes);
        List<Integer> indices = IntStream.range(0, blocks).boxed().toList();
        List<Block> found;
        try {
            found = sc.parallelize(indices, blocks).map(i -> count(path, written, length, blockBytes, i)).collect();
        } catch (RuntimeException e) {
            throw new IOException("could not index " + path + ": " + rootMessage(e), e);
        }
        long[] first = new long[blocks + 1];
        TreeSet<Integer> characters = new TreeSet<>();
        for (Block b : found) {
            first[b.index() + 1] = b.codes();
            for (int c : b.characters()) {
                characters.add(c);
            }
        }
        for (int i = 0; i < blocks; i++) {
            first[i + 1] += first[i];
        }
        return new TextIndex(path, length, blockBytes, first, characters.stream().mapToInt(Integer::intValue).toArray(),
                validationFraction, written);
    }

    private static Block count(String path, byte[] conf, long length, long blockBytes, int index) throws IOException {
        long from = (long) index * blockBytes;
        long until = Math.min(length, from + blockBytes);
        FSDataInputStream in = Streams.open(path, conf);
        Utf8Blocks.Decoded d = Utf8Blocks.decode(in, length, from, until, Integer.MAX_VALUE, path);
        int[] chars = Arrays.stream(d.codePoints(), 0, d.count()).distinct().sorted().toArray();
        return new Block(index, d.count(), chars);
    }

    /**
     * @return the training split's vocabulary, length and checksum: a Spark job over the blocks
     *     that hold training codes
     */
    TrainingText trainingText(JavaSparkContext sc) {
        Vocabulary v = vocabulary();
        List<Integer> blocks = new ArrayList<>();
        for (int i = 0; i + 1 < firstCode.length && firstCode[i] < trainLength; i++) {
            blocks.add(i);
        }
        TextIndex self = this;
        List<long[]> crcs = sc.parallelize(blocks, blocks.size()).map(i -> self.blockCrc(i)).collect();
        long crc = 0;
        for (long[] c : crcs) { // in block order: collect keeps the partitions' order
            crc = Crc32Combine.combine(crc, c[0], c[1]);
        }
        return new TrainingText(v, trainLength, crc);
    }

    /** @return {CRC-32, byte count} of the training codes of one block, as big-endian ints */
    private long[] blockCrc(int block) throws IOException {
        long first = firstCode[block];
        int count = (int) (Math.min(firstCode[block + 1], trainLength) - first);
        Vocabulary v = vocabulary();
        FSDataInputStream in = Streams.open(path, configuration);
        Utf8Blocks.Decoded d = Utf8Blocks.decode(in, fileLength, (long) block * blockBytes,
                Math.min(fileLength, (long) (block + 1) * blockBytes), count, path);
        CRC32 crc = new CRC32();
        byte[] bytes = new byte[4 * d.count()];
        for (int i = 0; i < d.count(); i++) {
            int c = v.indexOf(d.codePoints()[i]);
            bytes[4 * i] = (byte) (c >>> 24);
            bytes[4 * i + 1] = (byte) (c >>> 16);
            bytes[4 * i + 2] = (byte) (c >>> 8);
            bytes[4 * i + 3] = (byte) c;
        }
        crc.update(bytes);
        return new long[] {crc.getValue(), bytes.length};
    }

    Vocabulary vocabulary() {
        if (vocab == null) {
            vocab = Vocabulary.of(vocabulary);
        }
        return vocab;
    }

    /**
     * Reads {@code count} vocabulary indices from code position {@code position}, starting from a
     * known byte offset of that position when {@code knownByte >= 0}, else from its block's start.
     *
     * @param ends receives the byte offset after each code read
     */
    int[] read(long position, long knownByte, int count, long[] ends) throws IOException {
        FSDataInputStream in = Streams.open(path, configuration);
        long start = knownByte;
        if (start < 0) {
            int block = 0; // the last block starting at or before the position
            int hi = firstCode.length - 2;
            while (block < hi) {
                int mid = (block + hi + 1) >>> 1;
                if (firstCode[mid] <= position) {
                    block = mid;
                } else {
                    hi = mid - 1;
                }
            }
            long skip = position - firstCode[block];
            long from = (long) block * blockBytes;
            start = from;
            while (skip > 0) { // step through the block in pieces, so memory stays small
                int piece = (int) Math.min(skip, 1 << 20);
                Utf8Blocks.Decoded d = Utf8Blocks.decode(in, fileLength, start, Math.min(fileLength, start + 4L * piece),
                        piece, path);
                start = d.ends()[d.count() - 1];
                skip -= d.count();
            }
        }
        Utf8Blocks.Decoded d = Utf8Blocks.decode(in, fileLength, start, Math.min(fileLength, start + 4L * count), count,
                path);
        if (d.count() < count) {
            throw new IOException(path + " changed while training: expected " + count + " characters at character "
                    + position + ", found " + d.count());
        }
        Vocabulary v = vocabulary();
        int[] codes = new int[count];
        for (int i = 0; i < count; i++) {
            codes[i] = v.indexOrFail(d.codePoints()[i], position + i);
            ends[i] = d.ends()[i];
        }
        return codes;
    }

    private static byte[] write(Configuration conf) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                conf.write(out);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Configuration read(byte[] written) throws IOException {
        Configuration conf = new Configuration(false);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(written))) {
            conf.readFields(in);
        }
        return conf;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
