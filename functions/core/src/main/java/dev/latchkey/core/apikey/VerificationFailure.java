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
    PERMISSION_DENIED,
    /** Valid, but without the credits the verification costs (docs/api-keys.md "Usage credits"). */
    USAGE_EXCEEDED,
    /** Valid, but presented from an address outside its allow-list (docs/api-keys.md "IP allow-list"); audited. */
    IP_NOT_ALLOWED
}
