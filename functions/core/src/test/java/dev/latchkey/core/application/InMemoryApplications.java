package dev.latchkey.core.application;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.InMemoryAuditLog;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory {@link Applications} with the port's contract, for use-case tests (shared through the core test jar).
 * Every method is atomic (synchronized); each change records its audit event into the given {@link AuditLog} as part
 * of it, like the adapter's transaction. {@link #create} answers {@code NOT_FOUND} for an organization not added
 * with {@link #putOrganization} (unless none was ever added: then every organization exists). For the token and
 * authorization endpoints' tests, {@link #put} stores an application as it is (no audit, no checks).
 */
public final class InMemoryApplications implements Applications {

    private static final Comparator<Application> NEWEST_FIRST = Comparator.comparing(Application::createdAt)
            .thenComparing(Application::clientId).reversed();

    private final AuditLog auditLog;
    private final Map<String, Application> applications = new LinkedHashMap<>();
    private final Set<String> organizations = new HashSet<>();

    /** Applications whose audit events go nowhere anyone reads. */
    public InMemoryApplications() {
        this(new InMemoryAuditLog(Clock.systemUTC()));
    }

    /** @param auditLog receives the audit event of every change, in the same step */
    public InMemoryApplications(AuditLog auditLog) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** Stores an application as it is, credentials included, without an audit event or checks. */
    public synchronized InMemoryApplications put(Application application) {
        applications.put(application.clientId(), application);
        return this;
    }

    /** Makes an organization exist (what the adapter's organization condition sees). */
    public synchronized InMemoryApplications putOrganization(String organizationId) {
        organizations.add(organizationId);
        return this;
    }

    @Override
    public synchronized Optional<Application> find(String clientId) {
        return Optional.ofNullable(applications.get(clientId));
    }

    @Override
    public synchronized List<Application> list(String organizationId, int limit) {
        return applications.values().stream()
                .filter(a -> a.organizationId().equals(organizationId))
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .map(InMemoryApplications::withoutCredentials)
                .toList();
    }

    @Override
    public synchronized void create(Application application, AuditEvent event) {
        if (applications.containsKey(application.clientId())) {
            throw ApplicationException.conflict("EXISTS", "An application with this id exists.");
        }
        if (!organizations.isEmpty() && !organizations.contains(application.organizationId())) {
            throw ApplicationException.notFound();
        }
        applications.put(application.clientId(), application);
        auditLog.record(event);
    }

    @Override
    public synchronized void update(Application changed, AuditEvent event) {
        Application stored = applications.get(changed.clientId());
        if (stored == null || stored.version() != changed.version() - 1
                || !stored.organizationId().equals(changed.organizationId())) {
            throw ApplicationException.conflict(ApplicationException.CHANGED, "The application changed meanwhile.");
        }
        applications.put(changed.clientId(), changed);
        auditLog.record(event);
    }

    @Override
    public synchronized void delete(Application application, AuditEvent event) {
        Application stored = applications.get(application.clientId());
        if (stored == null || stored.version() != application.version()
                || !stored.organizationId().equals(application.organizationId())) {
            throw ApplicationException.conflict(ApplicationException.CHANGED, "The application changed meanwhile.");
        }
        applications.remove(application.clientId());
        auditLog.record(event);
    }

    private static Application withoutCredentials(Application a) {
        return new Application(a.clientId(), a.organizationId(), a.name(), a.type(), a.tokenEndpointAuthMethod(),
                a.redirectUris(), a.postLogoutRedirectUris(), a.scopes(), a.firstParty(),
                a.idTokenSignedResponseAlg(), a.createdAt(), a.createdBy(), List.of(), List.of(), a.version());
    }
}
