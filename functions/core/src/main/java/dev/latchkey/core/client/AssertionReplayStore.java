package dev.latchkey.core.client;

import java.time.Instant;

/**
 * Remembers the {@code jti} of every accepted client assertion until it expires, so that each assertion
 * authenticates once (RFC 7523 §3 item 7; RFC 7521 §5.2). Keyed by client and jti, so one client's ids cannot
 * block another's.
 */
public interface AssertionReplayStore {

    /**
     * Records the first use of an assertion: one conditional write, so of two parallel uses exactly one wins.
     * An entry whose {@code expiresAt} has passed counts as absent (the store's TTL deletes it lazily).
     *
     * @param clientId the assertion's client
     * @param jwtId its {@code jti} (stored only as a hash)
     * @param expiresAt its {@code exp}: the entry is kept until then
     * @return true when this is the first use; false when the jti was already used and has not expired
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed)
     */
    boolean firstUse(String clientId, String jwtId, Instant expiresAt);
}
