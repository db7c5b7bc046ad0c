package dev.latchkey.core.client;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ClientRepository} with the port's contract, for use-case tests (shared through the core
 * test jar). Every method is atomic (synchronized); each change records its audit event into the given
 * {@link AuditLog} as part of it, like the adapter's transaction.
 *
 * <ul>
 *   <li>{@link #create}: {@code CONFLICT} for an existing id; {@code UNKNOWN_RESOURCE} unless every allowed
 *       resource was added with {@link #putResource}; bumps {@link #organizationVersion};</li>
 *   <li>{@link #update}, {@link #saveSecret}, {@link #saveKey}: {@code CONFLICT CHANGED} unless the stored
 *       version is {@code changed.version() - 1};</li>
 *   <li>{@link #delete}: {@code CONFLICT CHANGED} unless the stored version is {@code client.version()}; removes
 *       the grants to the client added with {@link #putGrant};</li>
 *   <li>{@link #list}: newest first by {@code createdAt} then id, without credentials, an opaque cursor bound to
 *       the organization.</li>
 * </ul>
 * For the token endpoint's tests, {@link #put} stores a client as it is (no audit, no checks).
 */
public final class InMemoryClientRepository implements ClientRepository {

    private static final Comparator<ServiceClient> NEWEST_FIRST = Comparator.comparing(ServiceClient::createdAt)
            .thenComparing(ServiceClient::clientId).reversed();

    private final AuditLog auditLog;
    private final Map<String, ServiceClient> clients = new LinkedHashMap<>();
    private final Set<String> resources = new HashSet<>();
    private final Set<String> grants = new HashSet<>();
    private final Map<String, Integer> organizationVersions = new HashMap<>();
    private final AtomicInteger finds = new AtomicInteger();
    private volatile RuntimeException failure;
    private Runnable beforeChange = () -> { };

    /** A repository whose audit events go nowhere anyone reads (for tests of the token endpoint). */
    public InMemoryClientRepository() {
        this(new InMemoryAuditLog(Clock.systemUTC()));
    }

    /** @param auditLog receives the audit event of every change, in the same step */
    public InMemoryClientRepository(AuditLog auditLog) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** Stores a client as it is, credentials included, without an audit event or checks. */
    public synchronized InMemoryClientRepository put(ServiceClient client) {
        clients.put(client.clientId(), client);
        return this;
    }

    /** Makes {@code resourceId} a resource of the organization (what a ConditionCheck on it sees). */
    public synchronized InMemoryClientRepository putResource(String organizationId, String resourceId) {
        resources.add(organizationId + "/" + resourceId);
        return this;
    }

    /** Removes a resource. */
    public synchronized InMemoryClientRepository removeResource(String organizationId, String resourceId) {
        resources.remove(organizationId + "/" + resourceId);
        return this;
    }

    /** Records a grant of a resource to a client ({@link #delete} removes it). */
    public synchronized InMemoryClientRepository putGrant(String organizationId, String resourceId, String clientId) {
        grants.add(organizationId + "/" + resourceId + "/" + clientId);
        return this;
    }

    /** Whether the grant is stored. */
    public synchronized boolean hasGrant(String organizationId, String resourceId, String clientId) {
        return grants.contains(organizationId + "/" + resourceId + "/" + clientId);
    }

    /** How many times clients were added to the organization. */
    public synchronized int organizationVersion(String organizationId) {
        return organizationVersions.getOrDefault(organizationId, 0);
    }

    /** Runs an action just before the next change's version check (a concurrent change). */
    public synchronized InMemoryClientRepository beforeNextChange(Runnable action) {
        this.beforeChange = Objects.requireNonNull(action, "action");
        return this;
    }

    /** Makes every later call throw {@code value}; {@code null} heals it. */
    public InMemoryClientRepository failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    /** Makes every later call throw {@link StoreUnavailableException}. */
    public InMemoryClientRepository fail() {
        return failWith(new StoreUnavailableException(new IOException("simulated store outage")));
    }

    /** How many times {@link #find} was called. */
    public int finds() {
        return finds.get();
    }

    /** The stored client, without counting a read. */
    public synchronized Optional<ServiceClient> stored(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public synchronized Optional<ServiceClient> find(String clientId) {
        finds.incrementAndGet();
        failIfBroken();
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public synchronized ClientPage list(String organizationId, ClientQuery query) {
        failIfBroken();
        Optional<Position> after = query.cursor().map(cursor -> Position.decode(cursor, organizationId));
        List<ServiceClient> matching = clients.values().stream()
                .filter(client -> client.organizationId().equals(organizationId))
                .sorted(NEWEST_FIRST)
                .filter(client -> after.map(position -> position.isBefore(client)).orElse(true))
                .map(InMemoryClientRepository::withoutCredentials)
                .toList();
        if (matching.size() <= query.limit()) {
            return new ClientPage(matching, Optional.empty());
        }
        List<ServiceClient> page = matching.subList(0, query.limit());
        ServiceClient last = page.get(page.size() - 1);
        return new ClientPage(page, Optional.of(new Position(organizationId, last.createdAt(),
                last.clientId()).encode()));
    }

    @Override
    public synchronized void create(ServiceClient client, AuditEvent event) {
        failIfBroken();
        if (clients.containsKey(client.clientId())) {
            throw ClientException.conflict("EXISTS", "A client with this id exists.");
        }
        checkResources(client);
        auditLog.record(event);
        clients.put(client.clientId(), client);
        organizationVersions.merge(client.organizationId(), 1, Integer::sum);
    }

    @Override
    public void update(ServiceClient changed, AuditEvent event) {
        change(changed, event, true);
    }

    @Override
    public void saveSecret(ServiceClient changed, String secretId, AuditEvent event) {
        change(changed, event, false);
    }

    @Override
    public void saveKey(ServiceClient changed, String keyId, AuditEvent event) {
        change(changed, event, false);
    }

    @Override
    public void delete(ServiceClient client, AuditEvent event) {
        runBeforeChange();
        synchronized (this) {
            failIfBroken();
            ServiceClient stored = clients.get(client.clientId());
            if (stored == null || stored.version() != client.version()) {
                throw changedMeanwhile();
            }
            auditLog.record(event);
            clients.remove(client.clientId());
            grants.removeIf(grant -> grant.startsWith(client.organizationId() + "/")
                    && grant.endsWith("/" + client.clientId()));
        }
    }

    private void change(ServiceClient changed, AuditEvent event, boolean checkResources) {
        runBeforeChange();
        synchronized (this) {
            failIfBroken();
            ServiceClient stored = clients.get(changed.clientId());
            if (stored == null || stored.version() != changed.version() - 1) {
                throw changedMeanwhile();
            }
            if (checkResources) {
                checkResources(changed);
            }
            auditLog.record(event);
            clients.put(changed.clientId(), changed);
        }
    }

    private void runBeforeChange() {
        Runnable action;
        synchronized (this) {
            action = beforeChange;
            beforeChange = () -> { };
        }
        action.run();
    }

    private void checkResources(ServiceClient client) {
        for (String resourceId : client.allowedResources()) {
            if (!resources.contains(client.organizationId() + "/" + resourceId)) {
                throw ClientException.invalid("allowed_resources", "UNKNOWN_RESOURCE",
                        "Field 'allowed_resources' names a resource that is not in this organization.");
            }
        }
    }

    private static ClientException changedMeanwhile() {
        return ClientException.conflict(CHANGED, "The client changed meanwhile.");
    }

    private static ServiceClient withoutCredentials(ServiceClient client) {
        return new ServiceClient(client.clientId(), client.organizationId(), client.name(),
                client.allowedResources(), client.createdAt(), client.createdBy(), List.of(), List.of(),
                client.version());
    }

    private void failIfBroken() {
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
    }

    /** Where a page ended: the last client's sort position, bound to its organization. */
    private record Position(String organizationId, Instant createdAt, String clientId) {

        boolean isBefore(ServiceClient client) {
            int byTime = client.createdAt().compareTo(createdAt);
            return byTime < 0 || byTime == 0 && client.clientId().compareTo(clientId) < 0;
        }

        String encode() {
            String text = organizationId + "|" + createdAt + "|" + clientId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor, String organizationId) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                        .split("\\|", -1);
                if (parts.length != 3 || !parts[0].equals(organizationId)) {
                    throw invalidCursor();
                }
                return new Position(parts[0], Instant.parse(parts[1]), parts[2]);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw invalidCursor();
            }
        }

        private static ClientException invalidCursor() {
            return ClientException.invalid("cursor", "INVALID", "Query 'cursor' is not a cursor of this list.");
        }
    }
}
