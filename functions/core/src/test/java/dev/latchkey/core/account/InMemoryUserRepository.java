package dev.latchkey.core.account;

import dev.latchkey.core.audit.AuditLog;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory {@link UserRepository} for use-case tests: the claim map gives the same uniqueness as the
 * table's conditional claim, {@link #create} is atomic (synchronized) and records the registration's
 * audit event into the given log as part of it, like the adapter's transaction. Can fail on demand.
 */
public final class InMemoryUserRepository implements UserRepository {

    private final AuditLog auditLog;
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, String> claims = new HashMap<>();
    private final Map<String, PersonalOrganization> organizations = new HashMap<>();
    private final Map<String, String> memberships = new HashMap<>();
    private volatile RuntimeException failure;

    /** @param auditLog receives each {@link NewAccount#registered()} with the account */
    public InMemoryUserRepository(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    /** Makes every later call throw {@code value}; {@code null} heals it. */
    public InMemoryUserRepository failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    @Override
    public synchronized Optional<User> findById(String userId) {
        failIfBroken();
        return Optional.ofNullable(users.get(userId));
    }

    @Override
    public synchronized Optional<User> findByEmail(String canonicalEmail) {
        failIfBroken();
        return Optional.ofNullable(claims.get(canonicalEmail)).map(users::get)
                .filter(user -> user.email().canonical().equals(canonicalEmail));
    }

    @Override
    public synchronized void create(NewAccount account) {
        failIfBroken();
        User user = account.user();
        if (claims.containsKey(user.email().canonical())) {
            throw AccountException.emailTaken();
        }
        auditLog.record(account.registered());
        claims.put(user.email().canonical(), user.id());
        users.put(user.id(), user);
        organizations.put(account.organization().id(), account.organization());
        memberships.put(account.organization().id() + "/" + user.id(), PersonalOrganization.OWNER_ROLE);
    }

    @Override
    public synchronized Optional<User> markEmailVerified(String userId, String canonicalEmail, Instant at) {
        failIfBroken();
        User user = users.get(userId);
        if (user == null || !user.email().canonical().equals(canonicalEmail)) {
            return Optional.empty();
        }
        User verified = user.withEmailVerified(true);
        users.put(userId, verified);
        return Optional.of(verified);
    }

    @Override
    public synchronized List<Membership> memberships(String userId) {
        failIfBroken();
        return memberships.entrySet().stream()
                .filter(e -> e.getKey().endsWith("/" + userId))
                .map(e -> {
                    String orgId = e.getKey().substring(0, e.getKey().indexOf('/'));
                    PersonalOrganization organization = organizations.get(orgId);
                    return new Membership(orgId, organization == null ? orgId : organization.name(), e.getValue());
                })
                .sorted(java.util.Comparator.comparing(Membership::organizationId))
                .toList();
    }

    @Override
    public synchronized boolean replacePasswordHash(String userId, String expectedHash, String newHash) {
        failIfBroken();
        User user = users.get(userId);
        if (user == null || !user.passwordHash().equals(expectedHash)) {
            return false;
        }
        users.put(userId, new User(user.id(), user.email(), user.name(), newHash, user.emailVerified(),
                user.createdAt(), user.personalOrganizationId(), user.disabled()));
        return true;
    }

    @Override
    public synchronized boolean setDisabled(String userId, boolean disabled) {
        failIfBroken();
        User user = users.get(userId);
        if (user == null) {
            return false;
        }
        users.put(userId, new User(user.id(), user.email(), user.name(), user.passwordHash(), user.emailVerified(),
                user.createdAt(), user.personalOrganizationId(), disabled));
        return true;
    }

    /** Changes a user's address (what a later email-change flow would do), moving the claim. */
    public synchronized void changeEmail(String userId, EmailAddress email) {
        User user = users.get(userId);
        claims.remove(user.email().canonical());
        claims.put(email.canonical(), userId);
        users.put(userId, new User(user.id(), email, user.name(), user.passwordHash(), false, user.createdAt(),
                user.personalOrganizationId()));
    }

    /** Every stored user. */
    public synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    /** Every stored organization. */
    public synchronized List<PersonalOrganization> organizations() {
        return List.copyOf(organizations.values());
    }

    /** Memberships as {@code orgId/userId → role}. */
    public synchronized Map<String, String> memberships() {
        return Map.copyOf(memberships);
    }

    private void failIfBroken() {
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
    }
}
