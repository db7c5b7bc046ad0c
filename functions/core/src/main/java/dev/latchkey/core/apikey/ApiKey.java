package dev.latchkey.core.apikey;

import dev.latchkey.core.ratelimit.RateLimit;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An organization's API key, as stored: never the key itself, only its {@link ApiKeySecrets hashes}.
 *
 * @param id {@code key_…}
 * @param organizationId the organization it belongs to, for ever
 * @param name a label, 1–100 characters
 * @param description optional, up to 500 characters
 * @param permissions sorted, distinct (see {@link dev.latchkey.core.principal.Permissions})
 * @param createdAt when it was created
 * @param createdBy the creating actor's id ({@code usr_…} or {@code key_…})
 * @param expiresAt when it stops working, if ever
 * @param rateLimit its own limit, if any
 * @param revocation set once it is revoked
 * @param secrets the hashes it is checked against
 * @param useCount successful verifications counted so far (coalesced, may trail by seconds)
 * @param lastUsedAt the last counted successful verification
 * @param version bumped by every change except usage counting (optimistic locking)
 * @param ancestors the chain of keys that made it, the first made by a person, the last its maker; empty for a key
 *     made by a person. A key is revoked with any of them (docs/api-keys.md "Keys made by keys")
 */
public record ApiKey(String id, String organizationId, String name, Optional<String> description,
        List<String> permissions, Instant createdAt, String createdBy, Optional<Instant> expiresAt,
        Optional<RateLimit> rateLimit, Optional<Revocation> revocation, ApiKeySecrets secrets, long useCount,
        Optional<Instant> lastUsedAt, long version, List<ApiKeyAncestor> ancestors) {

    /** A key made by a person (no ancestors). */
    public ApiKey(String id, String organizationId, String name, Optional<String> description,
            List<String> permissions, Instant createdAt, String createdBy, Optional<Instant> expiresAt,
            Optional<RateLimit> rateLimit, Optional<Revocation> revocation, ApiKeySecrets secrets, long useCount,
            Optional<Instant> lastUsedAt, long version) {
        this(id, organizationId, name, description, permissions, createdAt, createdBy, expiresAt, rateLimit,
                revocation, secrets, useCount, lastUsedAt, version, List.of());
    }

    /** Checks nothing is missing; copies the permissions and ancestors. */
    public ApiKey {
        ancestors = List.copyOf(ancestors);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        permissions = List.copyOf(permissions);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(revocation, "revocation");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }

    /** The state at {@code now}: revoked, else expired once {@code now ≥ expiresAt}, else active. */
    public ApiKeyState state(Instant now) {
        if (revocation.isPresent()) {
            return ApiKeyState.REVOKED;
        }
        if (expiresAt.isPresent() && !now.isBefore(expiresAt.get())) {
            return ApiKeyState.EXPIRED;
        }
        return ApiKeyState.ACTIVE;
    }

    /** This key, revoked. */
    public ApiKey revoked(Revocation value) {
        return new ApiKey(id, organizationId, name, description, permissions, createdAt, createdBy, expiresAt,
                rateLimit, Optional.of(value), secrets, useCount, lastUsedAt, version + 1, ancestors);
    }

    /** This key with new secrets. */
    public ApiKey withSecrets(ApiKeySecrets value) {
        return new ApiKey(id, organizationId, name, description, permissions, createdAt, createdBy, expiresAt,
                rateLimit, revocation, value, useCount, lastUsedAt, version + 1, ancestors);
    }

    /** The first key of its family: the one a person made (itself when a person made it). */
    public String rootId() {
        return ancestors.isEmpty() ? id : ancestors.get(0).keyId();
    }

    /** Whether the key was made, directly or not, by the key {@code keyId}. */
    public boolean descendsFrom(String keyId) {
        return ancestors.stream().anyMatch(a -> a.keyId().equals(keyId));
    }
}
