package io.charrnn.examples.spark;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/** The open text files of an executor's JVM, one per path, read with positioned reads (thread-safe). */
final class Streams {
    private static final Map<String, FSDataInputStream> OPEN = new ConcurrentHashMap<>();

    private Streams() {
    }

    static FSDataInputStream open(String path, byte[] configuration) throws IOException {
        FSDataInputStream in = OPEN.get(path);
        if (in == null) {
            Path p = new Path(path);
            in = p.getFileSystem(TextIndex.read(configuration)).open(p);
            FSDataInputStream other = OPEN.putIfAbsent(path, in);
            if (other != null) {
                in.close();
                in = other;
            }
        }
        return in;
    }

    /** Closes a path's stream in this JVM, if open. */
    static void close(String path) {
        FSDataInputStream in = OPEN.remove(path);
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing read from it is lost
            }
        }
    }
}
