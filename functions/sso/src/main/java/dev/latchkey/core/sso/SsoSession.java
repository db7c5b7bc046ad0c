package dev.latchkey.core.sso;

import java.time.Instant;
import java.util.Objects;

/**
 * One browser's single sign-on session at the hosted pages, as stored: never the cookie value, only its SHA-256, so a
 * read of the table yields no usable cookie. It lives no longer than the Latchkey session it is tied to, and is only
 * honoured while that session is active ({@link BrowserSessions#resolve}).
 *
 * @param cookieHash base64url SHA-256 of the cookie value
 * @param userId the signed-in user
 * @param sessionId the Latchkey session of the sign-in ({@code sid} of the ID tokens)
 * @param createdAt when the browser session started
 * @param expiresAt when it ends at the latest (the Latchkey session's absolute expiry)
 */
public record SsoSession(String cookieHash, String userId, String sessionId, Instant createdAt, Instant expiresAt) {

    /** Validates. */
    public SsoSession {
        Objects.requireNonNull(cookieHash, "cookieHash");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("expiresAt must be after createdAt");
        }
    }
}
