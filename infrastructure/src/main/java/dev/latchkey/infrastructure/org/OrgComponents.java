package dev.latchkey.infrastructure.org;

import dev.latchkey.core.org.Invitations;
import dev.latchkey.core.org.ManageMembers;
import dev.latchkey.core.org.ManageOrganizations;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The organization, member and invitation parts the orgs function needs, wired once per container from its
 * {@link LatchkeyRuntime}: the table adapter and the three use cases. The mailer is looked up at the first
 * invitation, so the function starts without a mail configuration (only inviting then fails).
 */
public final class OrgComponents {

    private static final Map<LatchkeyRuntime, OrgComponents> BY_RUNTIME = new WeakHashMap<>();

    private final DynamoDbOrganizationRepository repository;
    private final ManageOrganizations organizations;
    private final ManageMembers members;
    private final Invitations invitations;

    /**
     * Wires everything from the runtime (nothing is read yet).
     *
     * @param runtime the container's runtime
     */
    public OrgComponents(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        String table = runtime.config().tableName();
        this.repository = new DynamoDbOrganizationRepository(runtime.dynamoDb(), table, runtime.auditLog());
        this.organizations = new ManageOrganizations(repository, runtime.rateLimiter(),
                ManageOrganizations.DEFAULT_CREATE_LIMIT, runtime.ids(), runtime.clock());
        this.members = new ManageMembers(repository, runtime.ids(), runtime.clock());
        this.invitations = new Invitations(repository, new DynamoDbUserRepository(runtime.dynamoDb(), table,
                runtime.auditLog()), message -> runtime.mailer().send(message), runtime.rateLimiter(),
                Invitations.DEFAULT_INVITE_LIMIT, runtime.ids(), runtime.random(), runtime.clock(),
                runtime.config().requireIssuer());
    }

    /** The runtime's one instance, built on first use. */
    public static OrgComponents of(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        synchronized (BY_RUNTIME) {
            return BY_RUNTIME.computeIfAbsent(runtime, OrgComponents::new);
        }
    }

    /** Organizations, members and invitations in the table. */
    public DynamoDbOrganizationRepository repository() {
        return repository;
    }

    /** Create, list, show, rename, delete organizations. */
    public ManageOrganizations organizations() {
        return organizations;
    }

    /** List members, change roles, remove, leave. */
    public ManageMembers members() {
        return members;
    }

    /** Invite, list, revoke, accept. */
    public Invitations invitations() {
        return invitations;
    }
}
