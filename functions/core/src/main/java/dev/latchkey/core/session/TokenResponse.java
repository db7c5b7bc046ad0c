package dev.latchkey.core.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.Optional;

/**
 * The token response of password login, passkey login and the refresh grant (API.md "login",
 * RFC 6749 §5.1), serialized in {@code snake_case}:
 * {@code {access_token, token_type:"Bearer", expires_in, refresh_token, session_id, user:{id,email,name}}}, and
 * {@code scope} (RFC 6749 §5.1) only after a refresh for a resource ({@link RefreshTarget}) that granted scopes.
 *
 * @param accessToken the signed access token
 * @param tokenType always {@code Bearer}
 * @param expiresIn the access token's lifetime in seconds
 * @param refreshToken the session's current refresh token
 * @param sessionId the session
 * @param user who it is for
 * @param scope the access token's scopes, space-separated: present only when the access token is for a
 *     resource and carries at least one scope (never serialized when empty)
 */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken,
        String sessionId, UserProfile user, @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> scope) {

    /** The only token type Latchkey issues (RFC 6750). */
    public static final String BEARER = "Bearer";

    /** Checks nothing is missing. */
    public TokenResponse {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(scope, "scope");
    }

    /** Never prints a token. */
    @Override
    public String toString() {
        return "TokenResponse[session=" + sessionId + ", user=" + user.id() + "]";
    }
}
