package dev.latchkey.core.principal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The caller of a {@code /v1/users/me…} route, from a verified access token.
 *
 * @param userId the token's {@code sub} ({@code usr_…})
 * @param sessionId the token's {@code sid}: the session the caller is using
 * @param amr the token's {@code amr}: how the user authenticated (RFC 8176 values; empty when absent)
 * @param authTime the token's {@code auth_time}: when the user last authenticated (empty when absent; a caller
 *     without it never passes {@link RecentAuthentication})
 */
public record AuthenticatedUser(String userId, String sessionId, List<String> amr, Optional<Instant> authTime) {

    /** Checks nothing is missing. */
    public AuthenticatedUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        amr = List.copyOf(amr);
        Objects.requireNonNull(authTime, "authTime");
    }

    /** A caller whose token carried neither {@code amr} nor {@code auth_time}. */
    public AuthenticatedUser(String userId, String sessionId) {
        this(userId, sessionId, List.of(), Optional.empty());
    }
}
