package dev.latchkey.core.session;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The user's usable sessions (API.md {@code GET /v1/users/me/sessions}): active and not expired,
 * newest first. Revoked and expired sessions are left out.
 */
public final class ListSessions {

    private final SessionRepository sessions;
    private final Clock clock;

    /**
     * @param sessions the store
     * @param clock decides expiry
     */
    public ListSessions(SessionRepository sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    /**
     * The sessions of {@code userId} (the caller's own id, from a verified access token).
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public List<Session> list(String userId) {
        Instant now = clock.instant();
        return sessions.findByUser(userId).stream().filter(s -> s.userId().equals(userId))
                .filter(s -> s.isUsableAt(now)).toList();
    }
}
