package dev.latchkey.core.client;

import java.util.Locale;

/**
 * Why a client failed to authenticate (or a jwt-bearer assertion was refused). Recorded as the {@code reason} of
 * the audit event and nowhere else: the client always gets the same {@code invalid_client} (or
 * {@code invalid_grant}) answer, whatever the reason.
 */
public enum ClientAuthenticationFailure {
    /** No client with that id (or the id is malformed). */
    UNKNOWN_CLIENT,
    /** The secret matches none of the client's usable secrets (also when it has none). */
    WRONG_SECRET,
    /** The assertion is not a compact JWS of strict JSON, or a required claim is missing or mistyped. */
    MALFORMED_ASSERTION,
    /** {@code alg} is not {@code EdDSA} or {@code ES256} ({@code none}, {@code HS256}, {@code RS256}…). */
    ALGORITHM_NOT_ALLOWED,
    /** A header embeds or points to a key ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) or is critical. */
    UNSUPPORTED_HEADER,
    /** {@code typ} is present and neither {@code JWT} nor {@code client-authentication+jwt}. */
    WRONG_TYPE,
    /** {@code iss} and {@code sub} differ, or differ from the {@code client_id} parameter. */
    WRONG_SUBJECT,
    /** {@code aud} names neither the token endpoint nor the issuer. */
    WRONG_AUDIENCE,
    /** {@code exp} has passed. */
    EXPIRED,
    /** {@code exp} is further than the allowed lifetime after {@code iat} (or now). */
    LIFETIME_TOO_LONG,
    /** {@code nbf} or {@code iat} lies in the future beyond the clock-skew allowance. */
    NOT_YET_VALID,
    /** No usable (unrevoked, unexpired) registered key of the client has this {@code alg} (and {@code kid}). */
    NO_USABLE_KEY,
    /** The signature verifies with none of the candidate keys. */
    BAD_SIGNATURE,
    /** The {@code jti} was used before, within the assertion's lifetime. */
    REPLAYED,
    /**
     * A jwt-bearer assertion's client is not the client that authenticated the request; or a token sent to
     * {@code POST /oauth/revoke} was not issued to the requesting client (RFC 7009 §2.1).
     */
    CLIENT_MISMATCH;

    /** The reason as written into the audit event: lower snake case. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
