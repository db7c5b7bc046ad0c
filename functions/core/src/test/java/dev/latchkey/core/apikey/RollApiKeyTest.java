package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.ActorType;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Permissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ManageApiKeys#roll}: the previous secret works exactly until its grace ends, and not a moment longer. */
class RollApiKeyTest {

    private static final Duration GRACE = Duration.ofHours(24);

    private final ApiKeyFixture f = new ApiKeyFixture();

    @Test
    @DisplayName("[SECURITY API keys] old secret valid at rolledAt+grace-1ms, NOT_FOUND exactly at rolledAt+grace")
    void rollWhenGraceEndsThenOldSecretNotFoundExactlyAtTheEnd() {
        CreatedApiKey created = f.create();
        f.clock.advance(Duration.ofMinutes(7).plusMillis(123));
        Instant rolledAt = f.clock.instant();

        CreatedApiKey rolled = f.manage.roll(f.owner, created.key().id(), GRACE, ApiKeyFixture.ORIGIN);

        assertThat(f.verify(created.token()).valid()).as("old secret right after the roll").isTrue();
        assertThat(f.verify(rolled.token()).valid()).as("new secret at once").isTrue();
        f.clock.set(rolledAt.plus(GRACE).minusMillis(1));
        assertThat(f.verify(created.token()).valid()).as("old secret 1 ms before the end").isTrue();
        f.clock.set(rolledAt.plus(GRACE));
        Verification atEnd = f.verify(created.token());
        assertThat(atEnd.failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(atEnd.key()).isEmpty();
        assertThat(f.verify(rolled.token()).valid()).as("new secret after the grace").isTrue();
    }

    @Test
    @DisplayName("a roll keeps id and permissions; stores the new hash and the old one until the grace ends")
    void rollWhenRolledThenSameKeyWithNewSecretAndOldHashUntilGraceEnd() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("read_models"));
        Instant rolledAt = f.clock.instant();

        CreatedApiKey rolled = f.manage.roll(f.owner, created.key().id(), GRACE, ApiKeyFixture.ORIGIN);

        assertThat(rolled.token().keyId()).isEqualTo(created.key().id());
        assertThat(rolled.token()).isNotEqualTo(created.token());
        ApiKey stored = f.stored(created.key().id());
        assertThat(stored.permissions()).containsExactly("read_models");
        assertThat(stored.version()).isEqualTo(created.key().version() + 1);
        assertThat(stored.secrets()).isEqualTo(new ApiKeySecrets(f.hasher.hash(rolled.token()),
                Optional.of(f.hasher.hash(created.token())), Optional.of(rolledAt.plus(GRACE))));
        assertThat(rolled.key()).isEqualTo(stored);
    }

    @Test
    @DisplayName("grace 0: the old secret stops at once")
    void rollWhenGraceZeroThenOldSecretDiesAtOnce() {
        CreatedApiKey created = f.create();

        CreatedApiKey rolled = f.manage.roll(f.owner, created.key().id(), Duration.ZERO, ApiKeyFixture.ORIGIN);

        assertThat(f.verify(created.token()).failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(f.verify(rolled.token()).valid()).isTrue();
        assertThat(f.stored(created.key().id()).secrets().previous()).isEmpty();
    }

    @Test
    @DisplayName("a second roll ends the secret from before the first at once; the first roll's secret gets the grace")
    void rollWhenRolledTwiceThenSecretFromBeforeFirstRollDies() {
        CreatedApiKey created = f.create();
        CreatedApiKey first = f.manage.roll(f.owner, created.key().id(), GRACE, ApiKeyFixture.ORIGIN);
        f.clock.advance(Duration.ofHours(1));
        Instant secondRollAt = f.clock.instant();

        CreatedApiKey second = f.manage.roll(f.owner, created.key().id(), Duration.ofHours(2), ApiKeyFixture.ORIGIN);

        assertThat(f.verify(created.token()).failure()).as("secret from before the first roll")
                .contains(VerificationFailure.NOT_FOUND);
        assertThat(f.verify(first.token()).valid()).isTrue();
        assertThat(f.verify(second.token()).valid()).isTrue();
        f.clock.set(secondRollAt.plus(Duration.ofHours(2)));
        assertThat(f.verify(first.token()).failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(f.verify(second.token()).valid()).isTrue();
    }

    @Test
    @DisplayName("rolling a revoked key is a CONFLICT and changes nothing")
    void rollWhenRevokedThenConflict() {
        CreatedApiKey created = f.create();
        f.manage.revoke(f.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);
        ApiKey before = f.stored(created.key().id());

        assertThatThrownBy(() -> f.manage.roll(f.owner, created.key().id(), GRACE, ApiKeyFixture.ORIGIN))
                .isInstanceOfSatisfying(ApiKeyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.details()).containsEntry("reason", "REVOKED");
                });
        assertThat(f.stored(created.key().id())).isEqualTo(before);
        assertThat(f.audit.events(ApiKeyAudit.ROLLED)).isEmpty();
    }

    @Test
    @DisplayName("rolling an expired key is a CONFLICT, from exactly its expires_at")
    void rollWhenExpiredThenConflict() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().expiresInDays(1));
        f.clock.set(created.key().expiresAt().orElseThrow());

        assertThatThrownBy(() -> f.manage.roll(f.owner, created.key().id(), GRACE, ApiKeyFixture.ORIGIN))
                .isInstanceOfSatisfying(ApiKeyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.details()).containsEntry("reason", "EXPIRED");
                });
        assertThat(f.audit.events(ApiKeyAudit.ROLLED)).isEmpty();
    }

    @Test
    @DisplayName("a rolled key keeps its expiry: the grace never outlives the key")
    void rollWhenKeyExpiresDuringGraceThenBothSecretsExpired() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().expiresInDays(1));
        f.clock.set(created.key().expiresAt().orElseThrow().minus(Duration.ofHours(1)));
        CreatedApiKey rolled = f.manage.roll(f.owner, created.key().id(), GRACE, ApiKeyFixture.ORIGIN);

        f.clock.set(created.key().expiresAt().orElseThrow());

        assertThat(f.verify(created.token()).failure()).contains(VerificationFailure.EXPIRED);
        assertThat(f.verify(rolled.token()).failure()).contains(VerificationFailure.EXPIRED);
    }

    @Test
    @DisplayName("grace out of 0 .. 30 days is a VALIDATION_ERROR before any read; both ends are accepted")
    void rollWhenGraceOutOfRangeThenValidationError() {
        CreatedApiKey created = f.create();
        for (Duration bad : List.of(Duration.ofSeconds(-1), Duration.ofMillis(-1),
                ManageApiKeys.MAX_ROLL_GRACE.plusSeconds(1), ManageApiKeys.MAX_ROLL_GRACE.plusMillis(1))) {
            assertThatThrownBy(() -> f.manage.roll(f.owner, created.key().id(), bad, ApiKeyFixture.ORIGIN))
                    .as("grace %s", bad)
                    .isInstanceOfSatisfying(ApiKeyException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                        assertThat(e.details()).containsEntry("field", "previous_expires_in_seconds")
                                .containsEntry("reason", "OUT_OF_RANGE");
                    });
        }
        assertThat(f.repository.finds()).isZero();

        CreatedApiKey longest = f.manage.roll(f.owner, created.key().id(), ManageApiKeys.MAX_ROLL_GRACE,
                ApiKeyFixture.ORIGIN);
        f.clock.advance(ManageApiKeys.MAX_ROLL_GRACE.minusMillis(1));
        assertThat(f.verify(created.token()).valid()).isTrue();
        assertThat(f.verify(longest.token()).valid()).isTrue();
    }

    @Test
    @DisplayName("[16.3.1] a roll leaves api_key.rolled with who, what, where and the grace, no secret or hash")
    void rollWhenRolledThenAuditEvent() {
        CreatedApiKey created = f.create();

        CreatedApiKey rolled = f.manage.roll(f.owner, created.key().id(), Duration.ofSeconds(3600),
                ApiKeyFixture.ORIGIN);

        AuditEvent event = f.audit.events(ApiKeyAudit.ROLLED).get(0);
        assertThat(f.audit.events(ApiKeyAudit.ROLLED)).hasSize(1);
        assertThat(event.organizationId()).contains(f.organizationId);
        assertThat(event.actor().type()).isEqualTo(ActorType.USER);
        assertThat(event.actor().id()).isEqualTo(f.ownerId);
        assertThat(event.target().map(t -> t.type() + "/" + t.id())).contains("api_key/" + created.key().id());
        assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(event.sourceIp()).contains("203.0.113.10");
        assertThat(event.requestId()).isEqualTo("req-1");
        assertThat(event.details()).isEqualTo(Map.of("previous_expires_in_seconds", "3600"));
        assertThat(event.toString().contains(rolled.token().value().substring(29))).isFalse();
    }

    @Test
    @DisplayName("another organization's key id is 404 and nothing changes")
    void rollWhenOtherOrganizationThenNotFound() {
        CreatedApiKey created = f.create();

        assertThatThrownBy(() -> f.manage.roll(f.otherOrganizationOwner(), created.key().id(), GRACE,
                ApiKeyFixture.ORIGIN)).isInstanceOfSatisfying(ApiKeyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(f.verify(created.token()).valid()).isTrue();
        assertThat(f.audit.events(ApiKeyAudit.ROLLED)).isEmpty();
    }

    @Test
    @DisplayName("an admin cannot roll a key holding org:delete (rolling would hand out what the admin lacks)")
    void rollWhenCallerCannotGrantLatchkeyPermissionThenForbidden() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions(Permissions.ORG_DELETE, "read_models"));

        assertThatThrownBy(() -> f.manage.roll(f.asUser(Role.ADMIN), created.key().id(), GRACE, ApiKeyFixture.ORIGIN))
                .isInstanceOfSatisfying(AccessException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.details()).containsEntry("permissions", List.of(Permissions.ORG_DELETE));
                });
        assertThat(f.verify(created.token()).valid()).isTrue();
        assertThat(f.audit.events(ApiKeyAudit.ROLLED)).isEmpty();
    }

    @Test
    @DisplayName("an admin may roll a key with the organization's own scopes")
    void rollWhenAdminAndCustomScopesThenRolled() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("read_models", Permissions.API_KEY_READ));

        CreatedApiKey rolled = f.manage.roll(f.asUser(Role.ADMIN), created.key().id(), GRACE, ApiKeyFixture.ORIGIN);

        assertThat(f.verify(rolled.token()).valid()).isTrue();
    }

    @Test
    @DisplayName("an API key with api_key:create may roll a key it made, whose permissions it holds")
    void rollWhenApiKeyCallerHoldsEveryPermissionThenRolled() {
        CreatedApiKey maker = f.create(ApiKeyFixture.command().permissions(Permissions.API_KEY_CREATE, "read_models"));
        CreatedApiKey created = f.manage.create(f.asStoredKey(maker.key()),
                ApiKeyFixture.command().permissions("read_models").build(), ApiKeyFixture.ORIGIN);

        CreatedApiKey rolled = f.manage.roll(f.asStoredKey(f.stored(maker.key().id())), created.key().id(), GRACE,
                ApiKeyFixture.ORIGIN);

        assertThat(f.verify(rolled.token()).valid()).isTrue();
        assertThat(f.audit.events(ApiKeyAudit.ROLLED).get(0).actor().type()).isEqualTo(ActorType.API_KEY);
    }

    @Test
    @DisplayName("an API key cannot roll a key holding an organization scope it lacks itself")
    void rollWhenApiKeyCallerLacksCustomScopeThenForbidden() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("run_inference"));

        assertThatThrownBy(() -> f.manage.roll(f.asKey(List.of(Permissions.API_KEY_CREATE)), created.key().id(),
                GRACE, ApiKeyFixture.ORIGIN)).isInstanceOfSatisfying(AccessException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.details()).containsEntry("permissions", List.of("run_inference"));
                });
        assertThat(f.verify(created.token()).valid()).isTrue();
        assertThat(f.audit.events(ApiKeyAudit.ROLLED)).isEmpty();
    }

    @Test
    @DisplayName("a roll that loses a race with another change is a CONFLICT and leaves the other change")
    void rollWhenChangedConcurrentlyThenConflict() {
        CreatedApiKey created = f.create();
        f.repository.beforeNextUpdate(() -> f.otherContainer().revoke(f.owner, created.key().id(), Optional.empty(),
                ApiKeyFixture.ORIGIN));

        assertThatThrownBy(() -> f.manage.roll(f.owner, created.key().id(), GRACE, ApiKeyFixture.ORIGIN))
                .isInstanceOfSatisfying(ApiKeyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(f.verify(created.token()).failure()).contains(VerificationFailure.REVOKED);
        assertThat(f.audit.events(ApiKeyAudit.ROLLED)).isEmpty();
    }
}
