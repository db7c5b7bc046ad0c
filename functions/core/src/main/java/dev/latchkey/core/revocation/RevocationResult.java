package dev.latchkey.core.revocation;

/** What a revocation request did ({@link RevokeOAuthToken#revoke}); for tests and logs, never for the answer. */
public enum RevocationResult {
    /** A refresh token: its session (and with it every token of the session) ended now. */
    SESSION_ENDED,
    /** An access token: its {@code jti} is on the deny-list now. */
    ACCESS_TOKEN_REVOKED,
    /** An API key: revoked now, as {@code POST /v1/orgs/{orgId}/api-keys/{keyId}/revoke} does. */
    API_KEY_REVOKED,
    /** Nothing to do: malformed, unknown, expired, or already revoked (RFC 7009 §2.2 answers 200 all the same). */
    NOTHING
}
