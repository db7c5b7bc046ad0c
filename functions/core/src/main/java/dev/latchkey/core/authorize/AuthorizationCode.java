package dev.latchkey.core.authorize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an authorization code stands for (RFC 6749 §4.1.2), as stored: never the code itself, only its SHA-256
 * ({@link AuthorizationCodes#hash}), so a read of the table yields no usable code.
 *
 * @param codeHash the SHA-256 of the code, base64url
 * @param clientId the application it was issued to (RFC 6749 §4.1.3: the code is bound to it)
 * @param redirectUri the exact {@code redirect_uri} of the request, which the token request must repeat
 * @param pkce the PKCE challenge the token request's {@code code_verifier} must answer
 * @param userId the signed-in user
 * @param sessionId the Latchkey session the hosted pages signed in with ({@code sid})
 * @param scope the granted scope
 * @param nonce the request's {@code nonce}, for the ID token
 * @param authTime when the user authenticated ({@code auth_time})
 * @param amr how ({@code amr})
 * @param issuedAt when the code was issued
 * @param expiresAt when it stops being redeemable, at most {@link #MAX_LIFETIME} later
 */
public record AuthorizationCode(String codeHash, String clientId, String redirectUri, Pkce pkce, String userId,
        String sessionId, List<String> scope, Optional<String> nonce, Instant authTime, List<String> amr,
        Instant issuedAt, Instant expiresAt) {

    /** RFC 6749 §4.1.2 recommends at most 10 minutes; Latchkey keeps a code for 60 seconds. */
    public static final Duration MAX_LIFETIME = Duration.ofSeconds(60);

    /** Checks the members and the lifetime. */
    public AuthorizationCode {
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(pkce, "pkce");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        scope = List.copyOf(scope);
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(authTime, "authTime");
        amr = List.copyOf(amr);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(issuedAt) || Duration.between(issuedAt, expiresAt).compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("an authorization code lives more than 0 and at most 60 seconds");
        }
    }
}
