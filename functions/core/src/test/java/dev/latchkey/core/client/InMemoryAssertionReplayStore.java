package dev.latchkey.core.client;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** {@link AssertionReplayStore} in memory, with the DynamoDB adapter's semantics (expired entries count as absent). */
public final class InMemoryAssertionReplayStore implements AssertionReplayStore {

    private final Clock clock;
    private final Map<String, Instant> used = new HashMap<>();

    /** @param clock decides whether an entry has expired */
    public InMemoryAssertionReplayStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized boolean firstUse(String clientId, String jwtId, Instant expiresAt) {
        String key = clientId + "#" + jwtId;
        Instant previous = used.get(key);
        if (previous != null && clock.instant().isBefore(previous)) {
            return false;
        }
        used.put(key, expiresAt);
        return true;
    }

    /** How many entries are held. */
    public synchronized int size() {
        return used.size();
    }
}
