package dev.latchkey.core.principal;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/** Authentication and authorization failures of organization routes, and bad permission lists. */
public final class AccessException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> headers;

    private AccessException(ErrorCode code, String message, Map<String, Object> details, Map<String, String> headers) {
        super(code, message, details, null);
        this.headers = Map.copyOf(headers);
    }

    /** 400 for one field. */
    public static AccessException invalid(String field, String reason, String message) {
        return new AccessException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field, "reason", reason),
                Map.of());
    }

    /** 401: no credential, or one that is unknown, revoked or expired (never says which). */
    public static AccessException authenticationFailed() {
        return new AccessException(ErrorCode.AUTHENTICATION_FAILED, "Authentication is required.", Map.of(),
                Map.of("www-authenticate", "Bearer"));
    }

    /** 403: a member or key of this organization without the permission. */
    public static AccessException permissionDenied(String permission) {
        return new AccessException(ErrorCode.PERMISSION_DENIED, "The caller lacks a permission.",
                Map.of("permission", permission), Map.of());
    }

    /**
     * 403: the request would grant permissions the caller does not hold.
     *
     * @param permissions the offending permissions (the caller's own request, safe to show)
     */
    public static AccessException cannotGrant(java.util.List<String> permissions) {
        return new AccessException(ErrorCode.PERMISSION_DENIED, "Nobody grants a permission they do not hold.",
                Map.of("permissions", permissions), Map.of());
    }

    /**
     * 403: an API key asked for a key with a looser rate limit than its own.
     */
    public static AccessException cannotLoosenRateLimit() {
        return new AccessException(ErrorCode.PERMISSION_DENIED,
                "A key cannot create a key with a looser rate limit than its own.",
                Map.of("field", "rate_limit", "reason", "LOOSER_THAN_CALLER"), Map.of());
    }

    /**
     * 403: an API key asked to roll a key that is neither itself nor one it made (directly or through other keys):
     * the new secret would be a way out of its own expiry, rate limit and revocation.
     */
    public static AccessException cannotRollOutsideFamily() {
        return new AccessException(ErrorCode.PERMISSION_DENIED,
                "A key can roll only itself and the keys it made.",
                Map.of("reason", "NOT_OWN_FAMILY"), Map.of());
    }

    /**
     * 403: an API key asked to change the credits of a key it did not make (itself or a maker included): a metered
     * key must not refill itself (docs/api-keys.md "Usage credits").
     */
    public static AccessException cannotChangeCreditsOutsideFamily() {
        return new AccessException(ErrorCode.PERMISSION_DENIED,
                "A key can change the credits only of the keys it made.",
                Map.of("reason", "NOT_OWN_FAMILY"), Map.of());
    }

    /**
     * 403: an API key asked to change the settings of a key it did not make (itself or a maker included): a limited
     * key must not lift its own limits or allow-list (docs/api-keys.md "Changing a key").
     */
    public static AccessException cannotChangeOutsideFamily() {
        return new AccessException(ErrorCode.PERMISSION_DENIED,
                "A key can change only the keys it made.",
                Map.of("reason", "NOT_OWN_FAMILY"), Map.of());
    }

    /**
     * 403: a key with credits asked to create a key: a key it made would be a way out of its credits
     * (docs/api-keys.md "Usage credits").
     */
    public static AccessException meteredMaker() {
        return new AccessException(ErrorCode.PERMISSION_DENIED,
                "A key with credits cannot create keys.",
                Map.of("reason", "METERED_MAKER"), Map.of());
    }

    /** 403: a key with an IP allow-list asked to create a key usable from addresses outside it. */
    public static AccessException cannotLoosenAllowList() {
        return new AccessException(ErrorCode.PERMISSION_DENIED,
                "A key cannot create a key usable from addresses outside its own allow-list.",
                Map.of("field", "allowed_ips", "reason", "LOOSER_THAN_CALLER"), Map.of());
    }

    /** 404: the organization, or a thing in it, does not exist for this caller (no existence leak). */
    public static AccessException notFound() {
        return new AccessException(ErrorCode.NOT_FOUND, "Not found.", Map.of(), Map.of());
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }
}
