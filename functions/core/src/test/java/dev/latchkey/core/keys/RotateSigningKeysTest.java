package dev.latchkey.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.token.SigningAlgorithm;
import dev.latchkey.core.token.SigningKey;
import dev.latchkey.core.token.SigningKeyState;
import dev.latchkey.core.vault.InMemoryKeyVault;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RotateSigningKeysTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final KeyPolicy POLICY = KeyPolicy.defaults();

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryKeyRingRepository repository = new InMemoryKeyRingRepository();
    private final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    private final RotateSigningKeys rotate = rotator(repository);

    private RotateSigningKeys rotator(KeyRingRepository ring) {
        return new RotateSigningKeys(ring, new InMemoryKeyVault(), POLICY, audit,
                new SortableIdGenerator(clock, new SecureRandom()), clock, new SecureRandom());
    }

    @Test
    void runWhenRingEmptyThenFirstKeySignsAtOnceAndANextKeyIsPublished() {
        var report = rotate.run("test");
        KeyRing ring = repository.load();
        assertThat(ring.active()).map(SigningKey::kid).hasValue(report.activeKid());
        assertThat(ring.next()).isPresent();
        assertThat(ring.active(SigningAlgorithm.RS256)).map(SigningKey::kid).hasValue(report.idTokenKid());
        assertThat(ring.next(SigningAlgorithm.RS256)).isPresent();
        assertThat(report.created()).as("an active and a next key of each algorithm").hasSize(4);
        assertThat(ring.published(T0, POLICY.retention())).hasSize(4);
        assertThat(audit.events("signing_key.rotated")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsKeys("activated", "created"));
    }

    @Test
    void runTwiceThenTheSecondPassChangesNothing() {
        rotate.run("test");
        long version = repository.load().version();
        var again = rotate.run("test");
        assertThat(again.changed()).isFalse();
        assertThat(repository.load().version()).isEqualTo(version);
        assertThat(audit.events("signing_key.rotated")).hasSize(1);
    }

    @Test
    void runBeforeTheRotationIntervalThenTheActiveKeyKeepsSigning() {
        String first = rotate.run("test").activeKid();
        clock.advance(POLICY.rotationInterval().minusSeconds(1));
        assertThat(rotate.run("test").activeKid()).isEqualTo(first);
    }

    @Test
    void runAfterTheIntervalThenNextIsPromotedOldIsRetiredAndAFreshNextIsPublished() {
        String first = rotate.run("test").activeKid();
        String next = repository.load().next().orElseThrow().kid();
        clock.advance(POLICY.rotationInterval());
        var report = rotate.run("test");
        assertThat(report.activated()).hasValue(next);
        assertThat(report.retired()).hasValue(first);
        KeyRing ring = repository.load();
        assertThat(ring.active()).map(SigningKey::kid).hasValue(next);
        assertThat(ring.byKid(first)).map(SigningKey::state).hasValue(SigningKeyState.RETIRED);
        assertThat(ring.next()).map(SigningKey::kid).isPresent().get().isNotIn(first, next);
        assertThat(ring.published(clock.instant(), POLICY.retention())).extracting(SigningKey::kid)
                .as("the retired key stays published so its tokens verify").contains(first);
    }

    /** A next key signs only after it was published longer than verifiers cache the JWKS. */
    @Test
    void runWhenNextKeyPublishedTooRecentlyThenNoPromotionYet() {
        rotate.run("test");
        clock.advance(POLICY.rotationInterval());
        rotate.run("test");
        // The fresh next key was created just now; even past the next interval's end, the lead rule holds.
        KeyRing ring = repository.load();
        var policy = new KeyPolicy(POLICY.publishLead(), POLICY.publishLead(), POLICY.jwksMaxAge(),
                POLICY.retention());
        var quick = new RotateSigningKeys(repository, new InMemoryKeyVault(), policy, audit,
                new SortableIdGenerator(clock, new SecureRandom()), clock, new SecureRandom());
        clock.advance(POLICY.publishLead().minusSeconds(1));
        assertThat(quick.run("test").activated()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(quick.run("test").activated()).isEqualTo(ring.next().map(SigningKey::kid));
    }

    @Test
    void runAfterRetentionThenRetiredKeysAreNoLongerPublishedAndRemoved() {
        var bootstrap = rotate.run("test");
        String first = bootstrap.activeKid();
        clock.advance(POLICY.rotationInterval());
        rotate.run("test");
        clock.advance(POLICY.retention().minusSeconds(1));
        assertThat(rotate.run("test").removed()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(rotate.run("test").removed()).containsExactlyInAnyOrder(first, bootstrap.idTokenKid());
        assertThat(repository.load().byKid(first)).isEmpty();
    }

    /** Two rotations at once: the ring changes once, never two active keys. */
    @Test
    void runWhenAnotherRotationCommitsFirstThenRetriesAndStillOneActiveKey() {
        InMemoryKeyRingRepository racing = new InMemoryKeyRingRepository();
        RotateSigningKeys mine = rotator(racing);
        RotateSigningKeys theirs = rotator(racing);
        racing.beforeNextCommit(() -> theirs.run("theirs"));
        var report = mine.run("mine");
        KeyRing ring = racing.load();
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            assertThat(ring.keys()).filteredOn(k -> k.algorithm() == algorithm && k.state() == SigningKeyState.ACTIVE)
                    .hasSize(1);
            assertThat(ring.keys()).filteredOn(k -> k.algorithm() == algorithm && k.state() == SigningKeyState.NEXT)
                    .hasSize(1);
        }
        assertThat(report.changed()).as("the retry found nothing left to do").isFalse();
        assertThat(ring.version()).isEqualTo(1);
    }
}
