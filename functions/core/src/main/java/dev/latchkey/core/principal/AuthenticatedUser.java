package dev.latchkey.core.principal;

import java.util.Objects;

/**
 * The caller of a {@code /v1/users/me…} route, from a verified access token.
 *
 * @param userId the token's {@code sub} ({@code usr_…})
 * @param sessionId the token's {@code sid}: the session the caller is using
 */
public record AuthenticatedUser(String userId, String sessionId) {

    /** Checks nothing is missing. */
    public AuthenticatedUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
    }
}
