package dev.latchkey.infrastructure.resource;

import dev.latchkey.core.resource.GrantedScopes;
import dev.latchkey.core.resource.ManageGrants;
import dev.latchkey.core.resource.ManageResources;
import dev.latchkey.core.resource.ReservedAudiences;
import dev.latchkey.core.resource.TokenAudiences;
import dev.latchkey.core.team.ManageTeams;
import dev.latchkey.infrastructure.access.DynamoDbMembershipDirectory;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.team.DynamoDbTeamRepository;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The team, resource and grant parts a function needs, wired once per container from its
 * {@link LatchkeyRuntime}: the table adapters and, over them, {@link #audiences()} — what the token endpoint
 * asks for a token's {@code aud} and {@code scope} (docs/resources.md).
 */
public final class ResourceComponents {

    private static final Map<LatchkeyRuntime, ResourceComponents> BY_RUNTIME = new WeakHashMap<>();

    private final DynamoDbResourceRepository resources;
    private final DynamoDbTeamRepository teams;
    private final DynamoDbMembershipDirectory memberships;
    private final GrantedScopes audiences;
    private final ManageTeams manageTeams;
    private final LatchkeyRuntime runtime;
    private ManageResources manageResources;
    private final ManageGrants manageGrants;

    /**
     * Wires everything from the runtime (nothing is read yet).
     *
     * @param runtime the container's runtime
     */
    public ResourceComponents(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        String table = runtime.config().tableName();
        this.resources = new DynamoDbResourceRepository(runtime.dynamoDb(), table, runtime.auditLog());
        this.teams = new DynamoDbTeamRepository(runtime.dynamoDb(), table, runtime.auditLog());
        this.memberships = new DynamoDbMembershipDirectory(runtime.dynamoDb(), table);
        this.audiences = new GrantedScopes(resources, memberships, teams);
        this.manageTeams = new ManageTeams(teams, runtime.ids(), runtime.clock());
        this.runtime = runtime;
        this.manageGrants = new ManageGrants(resources, runtime.ids(), runtime.clock());
    }

    /** The runtime's one instance, built on first use. */
    public static ResourceComponents of(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        synchronized (BY_RUNTIME) {
            return BY_RUNTIME.computeIfAbsent(runtime, ResourceComponents::new);
        }
    }

    /** Resources, audience claims and grants in the table. */
    public DynamoDbResourceRepository resources() {
        return resources;
    }

    /** Teams and team memberships in the table. */
    public DynamoDbTeamRepository teams() {
        return teams;
    }

    /** Create, list, show, rename and delete teams; add and remove their members. */
    public ManageTeams manageTeams() {
        return manageTeams;
    }

    /**
     * Create, list, show, update and delete resources; built on first use, since it needs the issuer
     * ({@link ReservedAudiences}) and the token function, which also wires this class, may start without one.
     *
     * @throws dev.latchkey.core.config.ConfigException when {@code LATCHKEY_ISSUER} is not set
     */
    public synchronized ManageResources manageResources() {
        if (manageResources == null) {
            manageResources = new ManageResources(resources,
                    ReservedAudiences.forIssuer(runtime.config().requireIssuer()), runtime.ids(), runtime.clock());
        }
        return manageResources;
    }

    /** List, set and remove grants on a resource. */
    public ManageGrants manageGrants() {
        return manageGrants;
    }

    /** Resolves a token request's audience to the resource and the caller's granted scopes. */
    public TokenAudiences audiences() {
        return audiences;
    }
}
