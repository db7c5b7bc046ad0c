package dev.latchkey.functions.local;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;

/**
 * The header deadline of every connection (issue 11 §6): a connection that has not delivered a complete request
 * head within {@link ServerLimits#headerDeadline} of opening, or of finishing its previous request, is closed — a
 * slow-loris client that trickles header bytes, and an idle keep-alive connection, alike. Reading costs no thread
 * meanwhile (the engine reads without blocking); this bounds how long such connections live, and the connection
 * limit how many there are.
 */
final class ConnectionDeadlines implements Connection.Listener {

    private final long deadlineNanos;
    private final Map<Connection, State> open = new ConcurrentHashMap<>();

    /** One connection: whether a request is being served, and since when it waits for one. */
    private static final class State {
        volatile boolean busy;
        volatile long waitingSince = System.nanoTime();
    }

    ConnectionDeadlines(Duration headerDeadline) {
        this.deadlineNanos = headerDeadline.toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, new State());
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    /** A request's head arrived on the connection: its header deadline no longer runs. */
    void started(Connection connection) {
        State state = open.get(connection);
        if (state != null) {
            state.busy = true;
        }
    }

    /** The request's response is done: the connection waits for the next request head from now on. */
    void finished(Connection connection) {
        State state = open.get(connection);
        if (state != null) {
            state.waitingSince = System.nanoTime();
            state.busy = false;
        }
    }

    /** Closes every connection past its header deadline (run every 250 ms). */
    void sweep() {
        long now = System.nanoTime();
        open.forEach((connection, state) -> {
            if (!state.busy && now - state.waitingSince > deadlineNanos) {
                connection.close();
            }
        });
    }

    /** How many connections are open. */
    int openConnections() {
        return open.size();
    }
}
