package io.charrnn.examples.spark;

import io.charrnn.train.ShardSpec;
import io.charrnn.train.ShardWorker;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The shard workers of an executor's JVM, kept from step to step (a worker holds a kernel whose
 * buffers are costly to make each step), lent to one task at a time.
 */
final class Workers {
    private static final Map<String, Queue<ShardWorker>> IDLE = new ConcurrentHashMap<>();

    private Workers() {
    }

    static ShardWorker borrow(String run, ShardSpec spec, int streams) {
        ShardWorker w = IDLE.computeIfAbsent(run + "/" + streams, k -> new ConcurrentLinkedQueue<>()).poll();
        return w != null ? w : spec.worker(streams);
    }

    static void giveBack(String run, ShardWorker worker) {
        IDLE.computeIfAbsent(run + "/" + worker.streams(), k -> new ConcurrentLinkedQueue<>()).add(worker);
    }

    /** Closes a run's workers in this JVM. */
    static void release(String run) {
        IDLE.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(run + "/")) {
                e.getValue().forEach(ShardWorker::close);
                return true;
            }
            return false;
        });
    }
}
