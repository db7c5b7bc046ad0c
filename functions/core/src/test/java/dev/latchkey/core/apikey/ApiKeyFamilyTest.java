package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A key made by a key lives and dies with its maker (issue 11 §3, docs/api-keys.md "Keys made by keys"): parent →
 * child → grandchild on in-memory fakes — revoking or deleting any of them revokes what it made, transitively, with
 * an audit event per key; a child never outlives its maker and draws on its maker's rate-limit budget.
 */
class ApiKeyFamilyTest {

    private final ApiKeyFixture f = new ApiKeyFixture();

    /** Parent (by the owner), child (by the parent), grandchild (by the child). */
    private record Family(CreatedApiKey parent, CreatedApiKey child, CreatedApiKey grandchild) {
    }

    private CreatedApiKey makeBy(OrgAccess maker, ApiKeyFixture.CommandBuilder command) {
        return f.manage.create(maker, command.permissions(Permissions.API_KEY_CREATE, "read_models").build(),
                ApiKeyFixture.ORIGIN);
    }

    private Family family(ApiKeyFixture.CommandBuilder parentCommand) {
        CreatedApiKey parent = f.create(parentCommand.permissions(Permissions.API_KEY_CREATE, "read_models"));
        CreatedApiKey child = makeBy(f.asStoredKey(parent.key()), ApiKeyFixture.command());
        CreatedApiKey grandchild = makeBy(f.asStoredKey(f.stored(child.key().id())), ApiKeyFixture.command());
        return new Family(parent, child, grandchild);
    }

    private Family family() {
        return family(ApiKeyFixture.command());
    }

    private Optional<VerificationFailure> failure(CreatedApiKey key) {
        return f.verify(key.token()).failure();
    }

    @Test
    void createWhenMadeByKeysThenTheChainOfMakersIsStoredWithTheirLimits() {
        Family family = family(ApiKeyFixture.command().rateLimit(100, 60));

        assertThat(family.child().key().ancestors()).containsExactly(new ApiKeyAncestor(family.parent().key().id(),
                Optional.of(dev.latchkey.core.ratelimit.RateLimit.perSeconds(100, 60))));
        assertThat(family.grandchild().key().ancestors()).extracting(ApiKeyAncestor::keyId)
                .containsExactly(family.parent().key().id(), family.child().key().id());
        assertThat(family.grandchild().key().rootId()).isEqualTo(family.parent().key().id());
        assertThat(f.audit.events(ApiKeyAudit.CREATED).get(2).details()).containsEntry("generation", "2");
    }

    @Test
    void revokeWhenTheMiddleKeyThenItAndTheGrandchildAreRevokedAndTheParentStays() {
        Family family = family();

        f.manage.revoke(f.owner, family.child().key().id(), Optional.of("leaked"), ApiKeyFixture.ORIGIN);

        assertThat(f.verify(family.parent().token()).valid()).isTrue();
        assertThat(failure(family.child())).contains(VerificationFailure.REVOKED);
        assertThat(failure(family.grandchild())).contains(VerificationFailure.REVOKED);
        Revocation cascaded = f.stored(family.grandchild().key().id()).revocation().orElseThrow();
        assertThat(cascaded.revokedBy()).isEqualTo(f.ownerId);
        assertThat(cascaded.reason()).contains("Revoked with " + family.child().key().id()
                + ", which made it (directly or through other keys).");
        List<AuditEvent> revoked = f.audit.events(ApiKeyAudit.REVOKED);
        assertThat(revoked).hasSize(2);
        assertThat(revoked.get(0).target().orElseThrow().id()).isEqualTo(family.grandchild().key().id());
        assertThat(revoked.get(0).details()).containsEntry("cascaded_from", family.child().key().id());
        assertThat(revoked.get(1).target().orElseThrow().id()).isEqualTo(family.child().key().id());
        assertThat(revoked.get(1).details()).containsEntry("descendants_revoked", "1")
                .containsEntry("reason_given", "true");
    }

    @Test
    void revokeWhenTheParentThenTheWholeFamilyIsRevoked() {
        Family family = family();

        f.manage.revoke(f.owner, family.parent().key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        for (CreatedApiKey key : List.of(family.parent(), family.child(), family.grandchild())) {
            assertThat(failure(key)).contains(VerificationFailure.REVOKED);
        }
        assertThat(f.audit.events(ApiKeyAudit.REVOKED)).hasSize(3);
    }

    @Test
    void revokeWhenAlreadyRevokedButADescendantIsNotThenOnlyTheDescendantIsRevoked() {
        Family family = family();
        ApiKey parent = f.stored(family.parent().key().id());
        f.repository.put(parent.revoked(new Revocation(ApiKeyFixture.T0, f.ownerId, Optional.empty())));

        ApiKey answered = f.manage.revoke(f.owner, parent.id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        assertThat(answered.revocation()).isPresent();
        assertThat(failure(family.child())).contains(VerificationFailure.REVOKED);
        assertThat(failure(family.grandchild())).contains(VerificationFailure.REVOKED);
        assertThat(f.audit.events(ApiKeyAudit.REVOKED)).extracting(e -> e.target().orElseThrow().id())
                .containsExactlyInAnyOrder(family.child().key().id(), family.grandchild().key().id());
    }

    @Test
    void deleteWhenTheParentThenItIsGoneAndItsDescendantsRevokedWithEvents() {
        Family family = family();

        f.manage.delete(f.owner, family.parent().key().id(), ApiKeyFixture.ORIGIN);

        assertThat(failure(family.parent())).contains(VerificationFailure.NOT_FOUND);
        assertThat(failure(family.child())).contains(VerificationFailure.REVOKED);
        assertThat(failure(family.grandchild())).contains(VerificationFailure.REVOKED);
        assertThat(f.audit.events(ApiKeyAudit.DELETED)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("descendants_revoked", "2"));
        assertThat(f.audit.events(ApiKeyAudit.REVOKED)).allSatisfy(e -> assertThat(e.details())
                .containsEntry("cascaded_from", family.parent().key().id()));
    }

    @Test
    void deleteWhenTheMiddleKeyThenTheGrandchildIsRevokedAndTheParentStays() {
        Family family = family();

        f.manage.delete(f.owner, family.child().key().id(), ApiKeyFixture.ORIGIN);

        assertThat(f.verify(family.parent().token()).valid()).isTrue();
        assertThat(failure(family.child())).contains(VerificationFailure.NOT_FOUND);
        assertThat(failure(family.grandchild())).contains(VerificationFailure.REVOKED);
    }

    @Test
    void rollWhenAMakerIsRolledThenWhatItMadeKeepsWorking() {
        Family family = family();

        CreatedApiKey rolled = f.manage.roll(f.owner, family.child().key().id(), Duration.ZERO, ApiKeyFixture.ORIGIN);

        assertThat(f.verify(rolled.token()).valid()).isTrue();
        assertThat(failure(family.child())).contains(VerificationFailure.NOT_FOUND);
        assertThat(f.verify(family.grandchild().token()).valid()).isTrue();
        assertThat(f.stored(family.grandchild().key().id()).ancestors()).extracting(ApiKeyAncestor::keyId)
                .containsExactly(family.parent().key().id(), family.child().key().id());
    }

    @Test
    void rollWhenAKeyRollsItsMakerOrAnotherKeyThenRefusedAndNothingChanges() {
        Family family = family();
        CreatedApiKey other = f.create(ApiKeyFixture.command().permissions("read_models"));
        OrgAccess child = f.asStoredKey(f.stored(family.child().key().id()));

        for (String target : List.of(family.parent().key().id(), other.key().id())) {
            assertThatThrownBy(() -> f.manage.roll(child, target, Duration.ZERO, ApiKeyFixture.ORIGIN))
                    .as(target).isInstanceOfSatisfying(AccessException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                        assertThat(e.details()).containsEntry("reason", "NOT_OWN_FAMILY");
                    });
        }
        assertThat(f.verify(family.parent().token()).valid()).isTrue();
        assertThat(f.verify(other.token()).valid()).isTrue();
        assertThat(f.audit.events(ApiKeyAudit.ROLLED)).isEmpty();
    }

    @Test
    void rollWhenAKeyRollsItselfOrWhatItMadeThenAllowed() {
        Family family = family();
        OrgAccess parent = f.asStoredKey(f.stored(family.parent().key().id()));

        CreatedApiKey grandchild = f.manage.roll(parent, family.grandchild().key().id(), Duration.ZERO,
                ApiKeyFixture.ORIGIN);
        CreatedApiKey itself = f.manage.roll(parent, family.parent().key().id(), Duration.ZERO, ApiKeyFixture.ORIGIN);

        assertThat(f.verify(grandchild.token()).valid()).isTrue();
        assertThat(f.verify(itself.token()).valid()).isTrue();
    }

    @Test
    void expiryWhenTheParentExpiresThenNoDescendantOutlivesIt() {
        Instant parentExpiry = ApiKeyFixture.T0.plus(Duration.ofDays(3));
        Family family = family(ApiKeyFixture.command().expiresInDays(3));
        CreatedApiKey later = makeBy(f.asStoredKey(f.stored(family.grandchild().key().id())),
                ApiKeyFixture.command().expiresInDays(30));

        assertThat(family.child().key().expiresAt()).contains(parentExpiry);
        assertThat(family.grandchild().key().expiresAt()).contains(parentExpiry);
        assertThat(later.key().expiresAt()).contains(parentExpiry);
        f.clock.advance(Duration.ofDays(3));
        for (CreatedApiKey key : List.of(family.parent(), family.child(), family.grandchild(), later)) {
            assertThat(failure(key)).contains(VerificationFailure.EXPIRED);
        }
    }

    @Test
    void rateLimitWhenTheFamilyUsesTheParentsBudgetThenTogetherNeverOverIt() {
        Family family = family(ApiKeyFixture.command().rateLimit(5, 60));

        for (CreatedApiKey key : List.of(family.parent(), family.child(), family.grandchild(), family.grandchild(),
                family.child())) {
            assertThat(f.verify(key.token()).valid()).isTrue();
        }

        for (CreatedApiKey key : List.of(family.parent(), family.child(), family.grandchild())) {
            Verification denied = f.verify(key.token());
            assertThat(denied.failure()).contains(VerificationFailure.RATE_LIMITED);
            assertThat(denied.rateLimit().orElseThrow().limit()).isEqualTo(5);
        }
        f.clock.advance(Duration.ofSeconds(60));
        assertThat(f.verify(family.grandchild().token()).valid()).isTrue();
    }

    @Test
    void rateLimitWhenAChildIsOverItsOwnTighterLimitThenItDoesNotDrainItsMaker() {
        CreatedApiKey parent = f.create(ApiKeyFixture.command().permissions(Permissions.API_KEY_CREATE, "read_models")
                .rateLimit(10, 60));
        CreatedApiKey child = makeBy(f.asStoredKey(parent.key()), ApiKeyFixture.command().rateLimit(2, 60));

        for (int i = 0; i < 2; i++) {
            assertThat(f.verify(child.token()).valid()).isTrue();
        }
        for (int i = 0; i < 20; i++) {
            Verification denied = f.verify(child.token());
            assertThat(denied.failure()).contains(VerificationFailure.RATE_LIMITED);
            assertThat(denied.rateLimit().orElseThrow().limit()).isEqualTo(2);
        }

        Verification parentUse = f.verify(parent.token());
        assertThat(parentUse.valid()).isTrue();
        assertThat(parentUse.rateLimit().orElseThrow().remaining()).isEqualTo(7);
    }

    @Test
    void createWhenTheMakerWasRevokedSinceItAuthenticatedThenConflictAndNothingStored() {
        CreatedApiKey parent = f.create(ApiKeyFixture.command().permissions(Permissions.API_KEY_CREATE, "read_models"));
        OrgAccess authenticated = f.asStoredKey(parent.key());
        f.manage.revoke(f.owner, parent.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);
        int stored = f.repository.all().size();

        assertThatThrownBy(() -> makeBy(authenticated, ApiKeyFixture.command()))
                .isInstanceOfSatisfying(ApiKeyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.details()).containsEntry("reason", "MAKER_REVOKED");
                });
        assertThat(f.repository.all()).hasSize(stored);
    }

    @Test
    void createWhenTheChainIsAlreadyAsLongAsAllowedThenConflictTooManyGenerations() {
        CreatedApiKey current = f.create(ApiKeyFixture.command()
                .permissions(Permissions.API_KEY_CREATE, "read_models"));
        for (int generation = 1; generation <= ManageApiKeys.MAX_ANCESTORS; generation++) {
            current = makeBy(f.asStoredKey(f.stored(current.key().id())), ApiKeyFixture.command());
            assertThat(current.key().ancestors()).hasSize(generation);
        }
        OrgAccess deepest = f.asStoredKey(f.stored(current.key().id()));

        assertThatThrownBy(() -> makeBy(deepest, ApiKeyFixture.command()))
                .isInstanceOfSatisfying(ApiKeyException.class,
                        e -> assertThat(e.details()).containsEntry("reason", "TOO_MANY_GENERATIONS"));
    }

    @Test
    void revokeWhenAFamilyMemberTriesToMakeAKeyMeanwhileThenRefusedSoTheFamilyReadIsComplete() {
        Family family = family();
        OrgAccess grandchild = f.asStoredKey(f.stored(family.grandchild().key().id()));
        Object[] refused = new Object[1];
        f.repository.beforeNextUpdate(() -> {
            try {
                makeBy(grandchild, ApiKeyFixture.command());
            } catch (ApiKeyException e) {
                refused[0] = e.details().get("reason");
            }
        });
        int stored = f.repository.all().size();

        f.manage.revoke(f.owner, family.parent().key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        assertThat(refused[0]).as("frozen before the family was read").isEqualTo("MAKER_REVOKED");
        assertThat(f.repository.frozen(family.parent().key().id())).isTrue();
        assertThat(f.repository.all()).hasSize(stored);
        assertThat(f.audit.events(ApiKeyAudit.REVOKED)).hasSize(3);
    }
}
