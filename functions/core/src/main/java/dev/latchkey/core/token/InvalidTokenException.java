package dev.latchkey.core.token;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;
import java.util.Objects;

/**
 * An access token was rejected: {@code AUTHENTICATION_FAILED} (401) with one generic message for
 * every cause, so a client learns nothing about why. The {@link #reason()} is for logs, metrics and
 * tests. Neither the token nor any value from it (not even its {@code kid}) is kept.
 */
public final class InvalidTokenException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    /** Why a token was rejected. */
    public enum Reason {
        /** Not three base64url segments of JSON objects; too long; bad UTF-8 or JSON (duplicate keys too). */
        MALFORMED,
        /** {@code alg} missing or other than {@code ES256} (for example {@code none} or {@code HS256}). */
        ALGORITHM_NOT_ALLOWED,
        /** A header carries or points to a key: {@code jwk}, {@code jku}, {@code x5u}, {@code x5c}, {@code x5t}. */
        EMBEDDED_KEY,
        /** A {@code crit} header: no extension is understood (RFC 7515 §4.1.11). */
        CRITICAL_HEADER,
        /** Any other header parameter than {@code alg}, {@code typ}, {@code kid}. */
        UNSUPPORTED_HEADER,
        /**
         * {@code typ} missing or neither {@code JWT} nor {@code at+jwt}: another kind of token (RFC 9068 §4,
         * RFC 8725 §3.11).
         */
        WRONG_TYPE,
        /** No {@code kid} header. */
        MISSING_KEY_ID,
        /** A {@code kid} that is not 1–128 base64url characters; the key resolver is not asked. */
        INVALID_KEY_ID,
        /** No published key has this {@code kid}. */
        UNKNOWN_KEY,
        /** The signature is not 64 bytes r‖s or does not verify. */
        BAD_SIGNATURE,
        /** A required claim is missing: {@code iss sub aud exp iat jti}. */
        MISSING_CLAIM,
        /** A claim has the wrong type or an impossible value. */
        INVALID_CLAIM,
        /** {@code exp} has passed (beyond the leeway). */
        EXPIRED,
        /** {@code nbf} is in the future (beyond the leeway). */
        NOT_YET_VALID,
        /** {@code iat} is in the future (beyond the leeway). */
        ISSUED_IN_FUTURE,
        /** {@code iss} is not the expected issuer. */
        WRONG_ISSUER,
        /** {@code aud} names none of the expected audiences. */
        WRONG_AUDIENCE,
        /**
         * A valid token that is not a management token ({@code aud} not exactly the issuer, or not marked
         * {@code token_use} management): a resource token presented to a management route.
         */
        NOT_FOR_MANAGEMENT,
        /** The token is valid, but its session is gone, another user's, revoked or expired. */
        SESSION_ENDED,
        /** The token is valid, but it was revoked ({@code POST /oauth/revoke}: its {@code jti} is denied). */
        REVOKED
    }

    private final Reason reason;

    /** @param reason why the token was rejected */
    public InvalidTokenException(Reason reason) {
        super(ErrorCode.AUTHENTICATION_FAILED, "The access token is invalid or has expired.");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the token was rejected, for logs and tests; never shown to the client. */
    public Reason reason() {
        return reason;
    }

    /** RFC 6750 §3: a bearer-token challenge with {@code error="invalid_token"}. */
    @Override
    public Map<String, String> headers() {
        return Map.of("www-authenticate", "Bearer error=\"invalid_token\"");
    }
}
