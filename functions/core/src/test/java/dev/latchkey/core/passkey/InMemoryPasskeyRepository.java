package dev.latchkey.core.passkey;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory {@link PasskeyRepository} for use-case tests, with the adapter's rules: one user handle per user
 * (first one wins), a credential id belongs to one passkey at most, the counter moves only from the value the
 * caller read, and every change records its audit event with it (atomically: the methods are synchronized). Can
 * fail on demand.
 */
public final class InMemoryPasskeyRepository implements PasskeyRepository {

    private final AuditLog auditLog;
    private final Map<String, String> handles = new HashMap<>();
    private final Map<String, Passkey> byCredentialId = new LinkedHashMap<>();
    private volatile RuntimeException failure;

    /** @param auditLog receives the event of each change, with the change */
    public InMemoryPasskeyRepository(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    /** Makes every later call throw {@code value}; {@code null} heals it. */
    public InMemoryPasskeyRepository failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    @Override
    public synchronized String userHandle(String userId, String candidate) {
        failIfBroken();
        return handles.computeIfAbsent(userId, id -> candidate);
    }

    @Override
    public synchronized List<Passkey> findByUser(String userId) {
        failIfBroken();
        return byCredentialId.values().stream().filter(p -> p.userId().equals(userId))
                .sorted(Comparator.comparing(Passkey::createdAt).thenComparing(Passkey::id)).toList();
    }

    @Override
    public synchronized Optional<Passkey> findByCredentialId(String credentialId) {
        failIfBroken();
        return Optional.ofNullable(byCredentialId.get(credentialId));
    }

    @Override
    public synchronized void add(Passkey passkey, AuditEvent event) {
        failIfBroken();
        if (byCredentialId.containsKey(passkey.credentialId())) {
            throw PasskeyException.alreadyRegistered();
        }
        auditLog.record(event);
        byCredentialId.put(passkey.credentialId(), passkey);
    }

    @Override
    public synchronized boolean recordUse(Passkey used, long expectedSignCount) {
        failIfBroken();
        Passkey stored = byCredentialId.get(used.credentialId());
        if (stored == null || !stored.userId().equals(used.userId()) || stored.signCount() != expectedSignCount) {
            return false;
        }
        byCredentialId.put(used.credentialId(), used);
        return true;
    }

    @Override
    public synchronized Passkey updateCloneState(Passkey updated, AuditEvent event) {
        failIfBroken();
        Passkey stored = byCredentialId.get(updated.credentialId());
        if (stored == null || !stored.userId().equals(updated.userId())) {
            throw PasskeyException.notFound();
        }
        auditLog.record(event);
        Passkey written = new Passkey(stored.id(), stored.userId(), stored.credentialId(), stored.userHandle(),
                stored.publicKey(), stored.algorithm(), updated.signCount(), stored.uvInitialized(),
                stored.backupEligible(), stored.backedUp(), stored.transports(), stored.aaguid(), stored.nickname(),
                stored.createdAt(), stored.lastUsedAt(), updated.suspectedCloneAt());
        byCredentialId.put(updated.credentialId(), written);
        return written;
    }

    @Override
    public synchronized Passkey rename(Passkey passkey, String nickname, AuditEvent event) {
        failIfBroken();
        Passkey stored = byCredentialId.get(passkey.credentialId());
        if (stored == null || !stored.userId().equals(passkey.userId())) {
            throw PasskeyException.notFound();
        }
        auditLog.record(event);
        Passkey renamed = stored.renamed(nickname);
        byCredentialId.put(passkey.credentialId(), renamed);
        return renamed;
    }

    @Override
    public synchronized void delete(Passkey passkey, Optional<Passkey> mustRemain, AuditEvent event) {
        failIfBroken();
        Passkey stored = byCredentialId.get(passkey.credentialId());
        if (stored == null || !stored.userId().equals(passkey.userId())) {
            throw PasskeyException.notFound();
        }
        if (mustRemain.isPresent() && byCredentialId.values().stream()
                .noneMatch(p -> p.id().equals(mustRemain.get().id()) && p.userId().equals(passkey.userId()))) {
            throw PasskeyException.lastSignInMethod();
        }
        auditLog.record(event);
        byCredentialId.remove(passkey.credentialId());
    }

    /** Stores a passkey as is, without an event (test setup). */
    public synchronized void put(Passkey passkey) {
        byCredentialId.put(passkey.credentialId(), passkey);
    }

    /** Every stored passkey. */
    public synchronized List<Passkey> all() {
        return List.copyOf(byCredentialId.values());
    }

    /** The stored user handle, if any. */
    public synchronized Optional<String> handle(String userId) {
        return Optional.ofNullable(handles.get(userId));
    }

    private void failIfBroken() {
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
    }
}
