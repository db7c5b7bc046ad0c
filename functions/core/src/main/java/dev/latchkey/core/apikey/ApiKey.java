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
 * @param credits its usage credits; empty for a key without a usage limit (docs/api-keys.md "Usage credits")
 * @param rateLimits its named rate limits other than the {@link NamedRateLimit#DEFAULT default} one (which is
 *     {@code rateLimit}), distinct names (docs/api-keys.md "Named rate limits")
 * @param owner its IP allow-list, external id and meta ({@link ApiKeyOwnerData#NONE} for none)
 */
public record ApiKey(String id, String organizationId, String name, Optional<String> description,
        List<String> permissions, Instant createdAt, String createdBy, Optional<Instant> expiresAt,
        Optional<RateLimit> rateLimit, Optional<Revocation> revocation, ApiKeySecrets secrets, long useCount,
        Optional<Instant> lastUsedAt, long version, List<ApiKeyAncestor> ancestors,
        Optional<ApiKeyCredits> credits, List<NamedRateLimit> rateLimits, ApiKeyOwnerData owner) {

    /** A key without owner data. */
    public ApiKey(String id, String organizationId, String name, Optional<String> description,
            List<String> permissions, Instant createdAt, String createdBy, Optional<Instant> expiresAt,
            Optional<RateLimit> rateLimit, Optional<Revocation> revocation, ApiKeySecrets secrets, long useCount,
            Optional<Instant> lastUsedAt, long version, List<ApiKeyAncestor> ancestors,
            Optional<ApiKeyCredits> credits, List<NamedRateLimit> rateLimits) {
        this(id, organizationId, name, description, permissions, createdAt, createdBy, expiresAt, rateLimit,
                revocation, secrets, useCount, lastUsedAt, version, ancestors, credits, rateLimits,
                ApiKeyOwnerData.NONE);
    }

    /** A key without named rate limits. */
    public ApiKey(String id, String organizationId, String name, Optional<String> description,
            List<String> permissions, Instant createdAt, String createdBy, Optional<Instant> expiresAt,
            Optional<RateLimit> rateLimit, Optional<Revocation> revocation, ApiKeySecrets secrets, long useCount,
            Optional<Instant> lastUsedAt, long version, List<ApiKeyAncestor> ancestors,
            Optional<ApiKeyCredits> credits) {
        this(id, organizationId, name, description, permissions, createdAt, createdBy, expiresAt, rateLimit,
                revocation, secrets, useCount, lastUsedAt, version, ancestors, credits, List.of());
    }

    /** A key without credits. */
    public ApiKey(String id, String organizationId, String name, Optional<String> description,
            List<String> permissions, Instant createdAt, String createdBy, Optional<Instant> expiresAt,
            Optional<RateLimit> rateLimit, Optional<Revocation> revocation, ApiKeySecrets secrets, long useCount,
            Optional<Instant> lastUsedAt, long version, List<ApiKeyAncestor> ancestors) {
        this(id, organizationId, name, description, permissions, createdAt, createdBy, expiresAt, rateLimit,
                revocation, secrets, useCount, lastUsedAt, version, ancestors, Optional.empty());
    }

    /** A key made by a person (no ancestors). */
    public ApiKey(String id, String organizationId, String name, Optional<String> description,
            List<String> permissions, Instant createdAt, String createdBy, Optional<Instant> expiresAt,
            Optional<RateLimit> rateLimit, Optional<Revocation> revocation, ApiKeySecrets secrets, long useCount,
            Optional<Instant> lastUsedAt, long version) {
        this(id, organizationId, name, description, permissions, createdAt, createdBy, expiresAt, rateLimit,
                revocation, secrets, useCount, lastUsedAt, version, List.of(), Optional.empty());
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
        Objects.requireNonNull(credits, "credits");
        rateLimits = List.copyOf(rateLimits);
        Objects.requireNonNull(owner, "owner");
        if (rateLimits.stream().anyMatch(l -> l.name().equals(NamedRateLimit.DEFAULT))) {
            throw new IllegalArgumentException("the default rate limit is rateLimit");
        }
    }

    /** The rate limit of that name: {@link NamedRateLimit#DEFAULT} is {@code rateLimit}. */
    public Optional<NamedRateLimit> rateLimit(String limitName) {
        if (NamedRateLimit.DEFAULT.equals(limitName)) {
            return rateLimit.map(limit -> new NamedRateLimit(NamedRateLimit.DEFAULT, limit));
        }
        return rateLimits.stream().filter(l -> l.name().equals(limitName)).findFirst();
    }

    /** Every rate limit of the key, the default one first. */
    public List<NamedRateLimit> allRateLimits() {
        List<NamedRateLimit> all = new java.util.ArrayList<>();
        rateLimit(NamedRateLimit.DEFAULT).ifPresent(all::add);
        all.addAll(rateLimits);
        return all;
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
                rateLimit, Optional.of(value), secrets, useCount, lastUsedAt, version + 1, ancestors, credits,
                rateLimits, owner);
    }

    /** This key with new secrets. */
    public ApiKey withSecrets(ApiKeySecrets value) {
        return new ApiKey(id, organizationId, name, description, permissions, createdAt, createdBy, expiresAt,
                rateLimit, revocation, value, useCount, lastUsedAt, version + 1, ancestors, credits, rateLimits,
                owner);
    }

    /**
     * This key with other limits and owner data (docs/api-keys.md "Changing a key"), its version bumped: a settings
     * change is versioned like a roll.
     */
    public ApiKey withSettings(Optional<RateLimit> newRateLimit, List<NamedRateLimit> newRateLimits,
            ApiKeyOwnerData newOwner) {
        return new ApiKey(id, organizationId, name, description, permissions, createdAt, createdBy, expiresAt,
                newRateLimit, revocation, secrets, useCount, lastUsedAt, version + 1, ancestors, credits, newRateLimits,
                newOwner);
    }

    /** This key with other credits (or none); usage credits are not versioned: they change with every verify. */
    public ApiKey withCredits(Optional<ApiKeyCredits> value) {
        return new ApiKey(id, organizationId, name, description, permissions, createdAt, createdBy, expiresAt,
                rateLimit, revocation, secrets, useCount, lastUsedAt, version, ancestors, value, rateLimits,
                owner);
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
