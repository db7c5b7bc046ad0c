package dev.latchkey.core.sso;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The user behind a valid single sign-on cookie, with what the ID token says about the sign-in; {@code authTime} and
 * {@code amr} are the Latchkey session's, i.e. those of the real sign-in.
 *
 * @param userId the user
 * @param sessionId the Latchkey session
 * @param organizationId the session's organization, where the hosted pages' audit events of this user go
 * @param authTime when the user authenticated
 * @param amr how (RFC 8176)
 */
public record SignedInUser(String userId, String sessionId, String organizationId, Instant authTime,
        List<String> amr) {

    /** Validates and copies. */
    public SignedInUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(authTime, "authTime");
        amr = List.copyOf(amr);
    }
}
