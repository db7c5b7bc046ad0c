package dev.latchkey.core.keys;

import dev.latchkey.core.token.SigningKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory key ring store with the real optimistic-locking contract. */
public final class InMemoryKeyRingRepository implements KeyRingRepository {

    private final Map<String, SigningKey> keys = new LinkedHashMap<>();
    private long version;
    private final AtomicInteger loads = new AtomicInteger();
    private Runnable beforeCommit = () -> { };

    /** Runs an action just before the next commit (to simulate a concurrent rotation). */
    public synchronized InMemoryKeyRingRepository beforeNextCommit(Runnable action) {
        this.beforeCommit = action;
        return this;
    }

    /** How many times the ring was loaded. */
    public int loads() {
        return loads.get();
    }

    @Override
    public synchronized KeyRing load() {
        loads.incrementAndGet();
        return new KeyRing(version, List.copyOf(keys.values()));
    }

    @Override
    public void commit(long expectedVersion, List<SigningKey> upserts, List<String> removedKids) {
        Runnable action;
        synchronized (this) {
            action = beforeCommit;
            beforeCommit = () -> { };
        }
        action.run();
        synchronized (this) {
            if (version != expectedVersion) {
                throw new ConcurrentRotationException(expectedVersion);
            }
            Map<String, SigningKey> next = new LinkedHashMap<>(keys);
            upserts.forEach(k -> next.put(k.kid(), k));
            removedKids.forEach(next::remove);
            new KeyRing(version + 1, List.copyOf(next.values()));
            keys.clear();
            keys.putAll(next);
            version++;
        }
    }
}
