package dev.latchkey.core.client;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a client failed to authenticate (or a jwt-bearer assertion was refused). Recorded as the {@code reason} of
 * the audit event. The client gets the same {@code invalid_client} (or {@code invalid_grant}) error whatever the
 * reason; only a rule about the assertion itself, checked before the client is looked up and before any key or
 * secret is used, is named in {@code error_description} ({@link #disclosure()}): it tells the caller nothing about
 * whether the client exists or what its credentials are, and it is what a developer needs to fix a library's
 * defaults (issue 12 §3). Unknown client, wrong secret, bad signature, no usable key stay the one fixed text.
 */
public enum ClientAuthenticationFailure {
    /** No client with that id (or the id is malformed). */
    UNKNOWN_CLIENT,
    /**
     * An application authenticated otherwise than with its one registered {@code token_endpoint_auth_method}: a
     * public application presenting a secret or an assertion, a confidential one presenting none, or another method.
     */
    METHOD_NOT_REGISTERED,
    /** The secret matches none of the client's usable secrets (also when it has none). */
    WRONG_SECRET,
    /** The assertion is not a compact JWS of strict JSON, or a required claim is missing or mistyped. */
    MALFORMED_ASSERTION,
    /** {@code alg} is not {@code EdDSA} or {@code ES256} ({@code none}, {@code HS256}, {@code RS256}…). */
    ALGORITHM_NOT_ALLOWED("The client assertion's alg must be EdDSA, Ed25519 or ES256."),
    /** A header embeds or points to a key ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) or is critical. */
    UNSUPPORTED_HEADER,
    /** {@code typ} is present and neither {@code JWT} nor {@code client-authentication+jwt}. */
    WRONG_TYPE,
    /** {@code iss} and {@code sub} differ, or differ from the {@code client_id} parameter. */
    WRONG_SUBJECT,
    /** {@code aud} names none of the issuer, the token endpoint and the endpoint called. */
    WRONG_AUDIENCE("The client assertion's aud must be the issuer, the token endpoint or the endpoint called."),
    /** {@code exp} has passed. */
    EXPIRED("The client assertion has expired."),
    /** {@code exp} is further than the allowed lifetime after {@code iat} (or now). */
    LIFETIME_TOO_LONG("The client assertion lives longer than accepted (exp - iat, or exp - now without iat)."),
    /** {@code nbf} or {@code iat} lies in the future beyond the clock-skew allowance. */
    NOT_YET_VALID("The client assertion is not valid yet (iat or nbf in the future)."),
    /** No usable (unrevoked, unexpired) registered key of the client has this {@code alg} (and {@code kid}). */
    NO_USABLE_KEY,
    /** The signature verifies with none of the candidate keys. */
    BAD_SIGNATURE,
    /** The {@code jti} was used before, within the assertion's lifetime. */
    REPLAYED("The client assertion was already used (its jti)."),
    /**
     * A jwt-bearer assertion's client is not the client that authenticated the request; or a token sent to
     * {@code POST /oauth/revoke} was not issued to the requesting client (RFC 7009 §2.1).
     */
    CLIENT_MISMATCH;

    private final String disclosure;

    ClientAuthenticationFailure() {
        this(null);
    }

    ClientAuthenticationFailure(String disclosure) {
        this.disclosure = disclosure;
    }

    /**
     * The {@code error_description} that names this rule, for the rules a caller may be told about; empty for the
     * rest, which answer the one fixed text.
     */
    public Optional<String> disclosure() {
        return Optional.ofNullable(disclosure);
    }

    /** The reason as written into the audit event: lower snake case. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
