package dev.latchkey.infrastructure.client;

import dev.latchkey.core.client.ClientSecretHasher;
import dev.latchkey.core.client.ManageClients;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The service-client parts a function needs, wired once per container from its {@link LatchkeyRuntime}: the
 * table adapter, the keyed hasher over the {@code client-secret} pepper, and the management use cases. The orgs
 * function uses {@link #manage()}; the token function {@link #repository()} and {@link #hasher()} to authenticate
 * clients.
 */
public final class ClientComponents {

    private static final Map<LatchkeyRuntime, ClientComponents> BY_RUNTIME = new WeakHashMap<>();

    private final DynamoDbClientRepository repository;
    private final ClientSecretHasher hasher;
    private final ManageClients manage;

    /**
     * Wires everything from the runtime (nothing is read or opened yet: the pepper on the first hash).
     *
     * @param runtime the container's runtime
     */
    public ClientComponents(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        String table = runtime.config().tableName();
        this.repository = new DynamoDbClientRepository(runtime.dynamoDb(), table, runtime.auditLog());
        this.hasher = new ClientSecretHasher(new DynamoDbPeppers(runtime.dynamoDb(), table, runtime.keyVault(),
                runtime.random(), runtime.clock()));
        this.manage = new ManageClients(repository, hasher, runtime.ids(), runtime.random(), runtime.clock());
    }

    /** The runtime's one instance, built on first use. */
    public static ClientComponents of(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        synchronized (BY_RUNTIME) {
            return BY_RUNTIME.computeIfAbsent(runtime, ClientComponents::new);
        }
    }

    /** The clients in the table. */
    public DynamoDbClientRepository repository() {
        return repository;
    }

    /** HMAC-SHA-256 under the {@code client-secret} pepper. */
    public ClientSecretHasher hasher() {
        return hasher;
    }

    /** Create, list, show, update and delete an organization's clients and their credentials. */
    public ManageClients manage() {
        return manage;
    }
}
