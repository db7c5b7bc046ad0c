package dev.latchkey.infrastructure.apikey;

import dev.latchkey.core.apikey.ApiKeyCache;
import dev.latchkey.core.apikey.ApiKeyHasher;
import dev.latchkey.core.apikey.ApiKeyUsage;
import dev.latchkey.core.apikey.ManageApiKeys;
import dev.latchkey.core.apikey.VerifyApiKey;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The API-key parts a function needs, wired once per container from its {@link LatchkeyRuntime}: the
 * table adapter, the keyed hasher over the {@code api-key} pepper, the container's key cache
 * ({@code LATCHKEY_API_KEY_CACHE_SECONDS}, at most {@value #CACHE_MAX_ENTRIES} keys), the coalesced usage
 * counter, and the verify and management use cases over them. The api-keys function uses all of it; the
 * token function {@link #verify()} for the token exchange.
 *
 * <p>{@link #of} hands every function of one runtime the same instance, so where several functions share a
 * container (the local server) they share one cache and one usage counter too: a key revoked through the
 * api-keys routes is dropped from the cache the token exchange reads.
 */
public final class ApiKeyComponents {

    /** The most keys one container's cache keeps. */
    public static final int CACHE_MAX_ENTRIES = 10_000;

    private static final Map<LatchkeyRuntime, ApiKeyComponents> BY_RUNTIME = new WeakHashMap<>();

    private final DynamoDbApiKeyRepository repository;
    private final ApiKeyHasher hasher;
    private final ApiKeyCache cache;
    private final ApiKeyUsage usage;
    private final VerifyApiKey verify;
    private final ManageApiKeys manage;

    /**
     * Wires everything from the runtime (nothing is read or opened yet: the pepper on the first hash).
     *
     * @param runtime the container's runtime
     */
    public ApiKeyComponents(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        String table = runtime.config().tableName();
        this.repository = new DynamoDbApiKeyRepository(runtime.dynamoDb(), table, runtime.auditLog());
        this.hasher = new ApiKeyHasher(new DynamoDbPeppers(runtime.dynamoDb(), table, runtime.keyVault(),
                runtime.random(), runtime.clock()));
        this.cache = new ApiKeyCache(runtime.config().apiKeyCacheTtl(), CACHE_MAX_ENTRIES, runtime.clock());
        this.usage = new ApiKeyUsage(repository, runtime.clock(), ApiKeyUsage.DEFAULT_INTERVAL);
        this.verify = new VerifyApiKey(repository, hasher, runtime.rateLimiter(), usage, cache, runtime.clock());
        this.manage = new ManageApiKeys(repository, hasher, cache, runtime.ids(), runtime.random(), runtime.clock());
    }

    /** The runtime's one instance, built on first use. */
    public static ApiKeyComponents of(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        synchronized (BY_RUNTIME) {
            return BY_RUNTIME.computeIfAbsent(runtime, ApiKeyComponents::new);
        }
    }

    /** The keys in the table. */
    public DynamoDbApiKeyRepository repository() {
        return repository;
    }

    /** HMAC-SHA-256 under the {@code api-key} pepper. */
    public ApiKeyHasher hasher() {
        return hasher;
    }

    /** The container's cache of keys read for verification (off unless a TTL is configured). */
    public ApiKeyCache cache() {
        return cache;
    }

    /** Counts successful verifications, one write per key at most every {@link ApiKeyUsage#DEFAULT_INTERVAL}. */
    public ApiKeyUsage usage() {
        return usage;
    }

    /** Verifies presented keys; also the {@code ApiKeyAuthenticator} of the organization routes. */
    public VerifyApiKey verify() {
        return verify;
    }

    /** Create, list, show, revoke, roll, delete and count an organization's keys. */
    public ManageApiKeys manage() {
        return manage;
    }
}
