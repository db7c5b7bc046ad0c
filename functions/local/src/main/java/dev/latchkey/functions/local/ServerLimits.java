package dev.latchkey.functions.local;

import java.time.Duration;

/**
 * How long the local server waits for a client, and how many it serves at once (issue 11 §6): a slow or silent
 * client holds no thread (the HTTP engine reads without blocking) and is dropped after a deadline, so 50 of them
 * never delay anyone else's request.
 *
 * @param headerDeadline longest time from a connection's opening, or the end of its previous request, to the end
 *     of the next request's headers; also how long an idle keep-alive connection stays open
 * @param bodyDeadline longest time to receive a request's body once its headers arrived (then 408)
 * @param idleTimeout longest silence in the middle of a request
 * @param maxConnections most open connections; further ones wait in the accept queue
 * @param maxThreads most threads that run functions at once
 */
record ServerLimits(Duration headerDeadline, Duration bodyDeadline, Duration idleTimeout, int maxConnections,
        int maxThreads) {

    /** The defaults: 10 s for headers, 30 s for a body, 10 s of silence, 1,000 connections, 64 threads. */
    static final ServerLimits DEFAULT = new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(10), 1000, 64);

    ServerLimits {
        if (headerDeadline.isNegative() || headerDeadline.isZero() || bodyDeadline.isNegative()
                || bodyDeadline.isZero() || idleTimeout.isNegative() || idleTimeout.isZero() || maxConnections < 1
                || maxThreads < 8) {
            throw new IllegalArgumentException("server limits must be positive (at least 8 threads)");
        }
    }
}
