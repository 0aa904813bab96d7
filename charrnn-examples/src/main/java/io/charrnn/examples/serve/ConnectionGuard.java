package io.charrnn.examples.serve;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Keeps one client from holding the server: closes a new connection at once when its address
 * already has {@code perClient} open, and closes a connection whose first request has not
 * arrived in full (request line, headers) within {@code firstRequest}. Idle and body timeouts
 * come from Jetty's connector; this adds what a slow drip of header bytes would otherwise escape.
 */
final class ConnectionGuard implements Connection.Listener {
    private final int perClient;
    private final Duration firstRequest;
    private final Scheduler scheduler;
    private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    /** The client of each open connection: its address may be gone by the time it closes. */
    private final Map<Connection, InetAddress> clients = new ConcurrentHashMap<>();
    private final Map<Connection, Scheduler.Task> deadlines = new ConcurrentHashMap<>();
    private final Set<Connection> started = ConcurrentHashMap.newKeySet();

    ConnectionGuard(int perClient, Duration firstRequest, Scheduler scheduler) {
        this.perClient = perClient;
        this.firstRequest = firstRequest;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = client(connection);
        clients.put(connection, client);
        int n = open.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
        if (n > perClient) {
            connection.getEndPoint().close(); // onClosed follows and gives the slot back
            return;
        }
        deadlines.put(connection, scheduler.schedule(() -> {
            if (!started.contains(connection)) {
                connection.getEndPoint().close();
            }
        }, firstRequest.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void onClosed(Connection connection) {
        Scheduler.Task task = deadlines.remove(connection);
        if (task != null) {
            task.cancel();
        }
        started.remove(connection);
        InetAddress client = clients.remove(connection);
        if (client != null) {
            open.computeIfPresent(client, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    /** Called by the handler when a request on {@code connection} has arrived in full. */
    void requestArrived(Connection connection) {
        if (started.add(connection)) {
            Scheduler.Task task = deadlines.remove(connection);
            if (task != null) {
                task.cancel();
            }
        }
    }

    /** @return the number of clients with an open connection */
    int clients() {
        return open.size();
    }

    private static InetAddress client(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }
}
