package dev.latchkey.core.keys;

import dev.latchkey.core.token.SigningKey;
import java.util.List;

/** Stores the signing-key ring (single table: {@code pk = SIGNING_KEY}). */
public interface KeyRingRepository {

    /**
     * The whole ring, read strongly consistently.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    KeyRing load();

    /**
     * Writes a change of the ring in one transaction, if and only if nobody changed it since
     * {@code expectedVersion}: the new and changed keys, the removed kids, and version + 1.
     *
     * @param expectedVersion the version the change was computed from
     * @param upserts keys to write (new, or with a new state)
     * @param removedKids keys to delete (retired long enough)
     * @throws ConcurrentRotationException when the ring changed meanwhile; nothing was written
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails; nothing was written
     */
    void commit(long expectedVersion, List<SigningKey> upserts, List<String> removedKids);
}
