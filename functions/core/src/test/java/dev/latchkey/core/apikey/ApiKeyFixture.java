package dev.latchkey.core.apikey;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.mfa.InMemoryMfaRepository;
import dev.latchkey.core.mfa.StepUp;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RecentAuthentication;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.InMemoryPeppers;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API-key use cases wired to in-memory fakes and a hand-moved clock (shared through the core test jar):
 * one organization with an owner ({@link #owner}) who creates keys. The cache is off unless a TTL is given.
 * Every field is the test's to inspect; {@link #command()} returns a builder so a test states only what it
 * cares about.
 */
public final class ApiKeyFixture {

    /** A minute boundary, so fixed rate-limit windows start at {@code T0}. */
    public static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");
    public static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-1");

    public final MutableClock clock = new MutableClock(T0);
    public final SecureRandom random = new SecureRandom();
    public final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    public final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    public final InMemoryApiKeyRepository repository = new InMemoryApiKeyRepository(audit);
    public final InMemoryPeppers peppers = new InMemoryPeppers();
    public final ApiKeyHasher hasher = new ApiKeyHasher(peppers);
    public final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);
    public final ApiKeyCache cache;
    public final ApiKeyUsage usage = new ApiKeyUsage(repository, clock, ApiKeyUsage.DEFAULT_INTERVAL);
    /** The daily verification counts, and this "container's" pending ones (flushed every 60 s of the clock). */
    public final InMemoryVerificationAnalyticsRepository analyticsStore = new InMemoryVerificationAnalyticsRepository();
    public final VerificationAnalytics analytics = new VerificationAnalytics(analyticsStore, clock,
            VerificationAnalytics.DEFAULT_INTERVAL);
    public final VerifyApiKey verify;
    public final ManageApiKeys manage;
    public final ShowVerificationAnalytics showAnalytics;
    public final String organizationId = ids.next(IdPrefix.ORGANIZATION);
    public final String ownerId = ids.next(IdPrefix.USER);
    /** The users' second factors, for the step-up of a key with a {@code *:manage} permission. */
    public final InMemoryMfaRepository factors = new InMemoryMfaRepository();
    public final StepUp stepUp = new StepUp(factors, new RecentAuthentication(clock));
    /** The owner, signed in with a password at {@link #T0}. */
    public final OrgAccess owner = new OrgAccess(organizationId, new Caller.User(ownerId, ids.next(IdPrefix.SESSION),
            List.of("pwd"), Optional.of(T0)), Role.OWNER.permissions());

    /** With the cache off (the default configuration). */
    public ApiKeyFixture() {
        this(Duration.ZERO);
    }

    /** @param cacheTtl the verify cache's TTL, 0 for off */
    public ApiKeyFixture(Duration cacheTtl) {
        cache = cacheTtl.isZero() ? ApiKeyCache.disabled(clock) : new ApiKeyCache(cacheTtl, 100, clock);
        verify = new VerifyApiKey(repository, hasher, limiter, usage, cache, clock, audit, ids, analytics);
        manage = new ManageApiKeys(repository, hasher, cache, ids, random, clock, stepUp);
        showAnalytics = new ShowVerificationAnalytics(repository, analyticsStore, analytics, clock);
    }

    /** A command builder: name {@code ci-deploy}, no permissions, no expiry, no rate limit. */
    public static CommandBuilder command() {
        return new CommandBuilder();
    }

    /** Creates a key as the owner. */
    public CreatedApiKey create(CommandBuilder command) {
        return manage.create(owner, command.build(), ORIGIN);
    }

    /** Creates a plain key as the owner. */
    public CreatedApiKey create() {
        return create(command());
    }

    /** Verifies a key without asking about a permission. */
    public Verification verify(ApiKeyToken token) {
        return verify.verify(token.value(), Optional.empty());
    }

    /** Verifies a key for a permission. */
    public Verification verify(ApiKeyToken token, String permission) {
        return verify.verify(token.value(), Optional.of(permission));
    }

    /** Access to this organization as a user with the role. */
    public OrgAccess asUser(Role role) {
        return new OrgAccess(organizationId, new Caller.User(ids.next(IdPrefix.USER), ids.next(IdPrefix.SESSION)),
                role.permissions());
    }

    /**
     * Access to this organization as an API key of it holding the permissions: a stored key (made by the owner, no
     * audit event), since a key it makes is stored only while its maker is.
     */
    public OrgAccess asKey(Collection<String> permissions) {
        return asKey(permissions, Optional.empty(), Optional.empty());
    }

    /** As {@link #asKey(Collection)}, the key with an expiry and a rate limit. */
    public OrgAccess asKey(Collection<String> permissions, Optional<Instant> expiresAt,
            Optional<RateLimit> rateLimit) {
        String keyId = ids.next(IdPrefix.API_KEY);
        repository.put(new ApiKey(keyId, organizationId, "caller", Optional.empty(),
                permissions.stream().sorted().distinct().toList(), clock.instant(), ownerId, expiresAt, rateLimit,
                Optional.empty(), ApiKeySecrets.of(hasher.hash(ApiKeyToken.generate(keyId, random))), 0,
                Optional.empty(), 1));
        return asStoredKey(repository.stored(keyId).orElseThrow());
    }

    /** Access to this organization as the stored key (its permissions, expiry and rate limit). */
    public OrgAccess asStoredKey(ApiKey key) {
        Set<String> held = Set.copyOf(key.permissions());
        return new OrgAccess(key.organizationId(), new Caller.ApiKey(key.id(), key.organizationId(), held,
                key.expiresAt(), key.rateLimit()), held);
    }

    /** The owner of another organization. */
    public OrgAccess otherOrganizationOwner() {
        return new OrgAccess(ids.next(IdPrefix.ORGANIZATION), new Caller.User(ids.next(IdPrefix.USER),
                ids.next(IdPrefix.SESSION)), Role.OWNER.permissions());
    }

    /** Management as another container would run it: same table, its own cache. */
    public ManageApiKeys otherContainer() {
        return new ManageApiKeys(repository, hasher, new ApiKeyCache(ApiKeyCache.MAX_TTL, 100, clock), ids, random,
                clock, stepUp);
    }

    /** A well-formed key for an id nobody stored. */
    public ApiKeyToken unknownKey() {
        return ApiKeyToken.generate(ids.next(IdPrefix.API_KEY), random);
    }

    /** The stored key. */
    public ApiKey stored(String keyId) {
        return repository.stored(keyId).orElseThrow();
    }

    /** Builds a {@link CreateApiKeyCommand}. */
    public static final class CommandBuilder {

        private String name = "ci-deploy";
        private List<String> permissions = new ArrayList<>();
        private Optional<String> description = Optional.empty();
        private Optional<Integer> expiresInDays = Optional.empty();
        private Optional<RateLimit> rateLimit = Optional.empty();
        private Optional<ApiKeyCredits> credits = Optional.empty();

        private CommandBuilder() {
        }

        /** Sets the name. */
        public CommandBuilder name(String value) {
            this.name = value;
            return this;
        }

        /** Sets the permissions. */
        public CommandBuilder permissions(String... values) {
            this.permissions = new ArrayList<>(List.of(values));
            return this;
        }

        /** Sets the permissions (nulls allowed, for validation tests). */
        public CommandBuilder permissions(List<String> values) {
            this.permissions = values == null ? null : new ArrayList<>(values);
            return this;
        }

        /** Sets the description. */
        public CommandBuilder description(String value) {
            this.description = Optional.ofNullable(value);
            return this;
        }

        /** Sets the lifetime in days. */
        public CommandBuilder expiresInDays(int value) {
            this.expiresInDays = Optional.of(value);
            return this;
        }

        /** Sets the key's rate limit. */
        public CommandBuilder rateLimit(int limit, long windowSeconds) {
            this.rateLimit = Optional.of(RateLimit.perSeconds(limit, windowSeconds));
            return this;
        }

        /** Sets the key's credits. */
        public CommandBuilder credits(long remaining, Optional<CreditRefill> refill) {
            this.credits = Optional.of(new ApiKeyCredits(remaining, refill, Optional.empty()));
            return this;
        }

        /** The command (validated by its constructor). */
        public CreateApiKeyCommand build() {
            return new CreateApiKeyCommand(name, permissions, description, expiresInDays, rateLimit, credits);
        }
    }
}
