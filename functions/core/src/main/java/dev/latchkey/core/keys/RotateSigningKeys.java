package dev.latchkey.core.keys;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.token.SigningAlgorithm;
import dev.latchkey.core.token.SigningKey;
import dev.latchkey.core.token.SigningKeyState;
import dev.latchkey.core.token.SigningKeys;
import dev.latchkey.core.vault.KeyVault;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One scheduled pass over the key ring (and the local server's start-up): bootstrap an empty ring
 * with an active key, keep a next key published, promote it when the active one has signed for
 * the rotation interval and the next one has been published for the lead time, and drop retired
 * keys once no token they signed can still be valid. Idempotent: running it twice in a row changes
 * nothing the second time; running it in two places at once changes the ring once.
 */
public final class RotateSigningKeys {

    private static final int ATTEMPTS = 3;

    private final KeyRingRepository ring;
    private final KeyVault vault;
    private final KeyPolicy policy;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param ring the key store
     * @param vault seals new private keys
     * @param policy when keys move
     * @param audit where rotations are recorded
     * @param ids event ids
     * @param clock the time source
     * @param random key generation
     */
    public RotateSigningKeys(KeyRingRepository ring, KeyVault vault, KeyPolicy policy, AuditLog audit,
            IdGenerator ids, Clock clock, SecureRandom random) {
        this.ring = ring;
        this.vault = vault;
        this.policy = policy;
        this.audit = audit;
        this.ids = ids;
        this.clock = clock;
        this.random = random;
    }

    /**
     * What one pass did.
     *
     * @param created kids of keys created, of every algorithm
     * @param activated the ES256 kid that started signing access tokens, if any
     * @param retired the ES256 kid that stopped signing, if any
     * @param removed kids no longer published, of every algorithm
     * @param activeKid the ES256 key that signs access tokens after this pass
     * @param idTokenKid the RS256 key that signs ID tokens after this pass (it rotates on the same schedule)
     */
    public record Report(List<String> created, Optional<String> activated, Optional<String> retired,
            List<String> removed, String activeKid, String idTokenKid) {

        /** Whether the pass changed anything. */
        public boolean changed() {
            return !created.isEmpty() || activated.isPresent() || retired.isPresent() || !removed.isEmpty();
        }
    }

    /**
     * Runs one pass, retrying when another rotation got there first.
     *
     * @param requestId the invocation's id, for the audit event
     * @throws dev.latchkey.core.store.StoreUnavailableException or
     *     {@link dev.latchkey.core.vault.KeyVaultException} when a dependency fails (nothing half-written)
     */
    public Report run(String requestId) {
        for (int attempt = 1; ; attempt++) {
            KeyRing current = ring.load();
            Plan plan = plan(current, clock.instant());
            if (!plan.report().changed()) {
                return plan.report();
            }
            try {
                ring.commit(current.version(), plan.upserts(), plan.report().removed());
            } catch (ConcurrentRotationException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                continue;
            }
            record(plan.report(), requestId);
            return plan.report();
        }
    }

    private record Plan(List<SigningKey> upserts, Report report) {
    }

    /** One {@link #plan(KeyRing, Instant, SigningAlgorithm, List, List)} per algorithm, ES256 first. */
    private Plan plan(KeyRing current, Instant now) {
        List<SigningKey> upserts = new ArrayList<>();
        List<String> created = new ArrayList<>();
        Step es256 = plan(current, now, SigningAlgorithm.ES256, upserts, created);
        Step rs256 = plan(current, now, SigningAlgorithm.RS256, upserts, created);
        List<String> removed = current.keys().stream()
                .filter(k -> k.state() == SigningKeyState.RETIRED && !k.isPublishedAt(now, policy.retention()))
                .map(SigningKey::kid).toList();
        return new Plan(upserts, new Report(created, es256.activated(), es256.retired(), removed, es256.activeKid(),
                rs256.activeKid()));
    }

    private record Step(Optional<String> activated, Optional<String> retired, String activeKid) {
    }

    private Step plan(KeyRing current, Instant now, SigningAlgorithm algorithm, List<SigningKey> upserts,
            List<String> created) {
        Optional<String> activated = Optional.empty();
        Optional<String> retired = Optional.empty();
        Optional<SigningKey> active = current.active(algorithm);
        Optional<SigningKey> next = current.next(algorithm);

        if (active.isEmpty()) {
            // An empty ring (first deployment, or the first RS256 key): nobody caches such a key, so it signs at once.
            SigningKey first = next.orElseGet(() -> newKey(algorithm, created)).withState(SigningKeyState.ACTIVE, now);
            upserts.add(first);
            activated = Optional.of(first.kid());
            active = Optional.of(first);
            next = Optional.empty();
        } else if (next.isPresent()
                && !now.isBefore(active.get().activatedAt().orElseThrow().plus(policy.rotationInterval()))
                && !now.isBefore(next.get().createdAt().plus(policy.publishLead()))) {
            SigningKey promoted = next.get().withState(SigningKeyState.ACTIVE, now);
            SigningKey old = active.get().withState(SigningKeyState.RETIRED, now);
            upserts.add(promoted);
            upserts.add(old);
            activated = Optional.of(promoted.kid());
            retired = Optional.of(old.kid());
            active = Optional.of(promoted);
            next = Optional.empty();
        }
        if (next.isEmpty()) {
            upserts.add(newKey(algorithm, created));
        }
        return new Step(activated, retired, active.get().kid());
    }

    private SigningKey newKey(SigningAlgorithm algorithm, List<String> created) {
        SigningKey key = SigningKeys.generate(algorithm, vault, clock, random);
        created.add(key.kid());
        return key;
    }

    private void record(Report report, String requestId) {
        var event = AuditEvent.builder(ids, clock)
                .requestId(requestId)
                .actor(Actor.system("rotate-keys"))
                .action("signing_key.rotated")
                .outcome(Outcome.SUCCESS);
        report.activated().ifPresent(kid -> event.detail("activated", kid));
        report.retired().ifPresent(kid -> event.detail("retired", kid));
        if (!report.created().isEmpty()) {
            event.detail("created", String.join(" ", report.created()));
        }
        if (!report.removed().isEmpty()) {
            event.detail("removed", String.join(" ", report.removed()));
        }
        audit.record(event.build());
    }
}
