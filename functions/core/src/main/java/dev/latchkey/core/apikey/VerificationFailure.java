package dev.latchkey.core.apikey;

/** Why a key did not verify (API.md "api-keys", {@code POST /v1/api-keys/verify}). */
public enum VerificationFailure {
    /** Malformed, bad checksum, unknown id, wrong secret, a rolled secret past its grace, or deleted. */
    NOT_FOUND,
    /** Revoked. */
    REVOKED,
    /** Past its {@code expires_at}. */
    EXPIRED,
    /** Over its own rate limit. */
    RATE_LIMITED,
    /** Valid, but without the permission asked about. */
    PERMISSION_DENIED
}
