package dev.latchkey.core.session;

import java.util.Objects;
import java.util.Optional;

/**
 * What the store holds about one access token ({@link SessionRepository#findAccessTokenRecords}).
 *
 * @param session the session its {@code sid} names, as stored; empty when it has no {@code sid} or the session is
 *     gone
 * @param revoked whether its {@code jti} is on the deny-list (revoked with {@code POST /oauth/revoke})
 */
public record AccessTokenRecords(Optional<Session> session, boolean revoked) {

    /** Checks nothing is missing. */
    public AccessTokenRecords {
        Objects.requireNonNull(session, "session");
    }
}
