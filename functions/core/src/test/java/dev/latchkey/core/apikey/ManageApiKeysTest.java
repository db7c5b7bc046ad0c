package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.ActorType;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ManageApiKeys}: create, show, list, revoke, delete, stats, and tenant isolation. */
class ManageApiKeysTest {

    private final ApiKeyFixture f = new ApiKeyFixture();

    @Test
    @DisplayName("[11.5.1] create hands out the key once and stores only its keyed hash")
    void createWhenValidThenTokenOnceAndOnlyHashStored() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().name("  deploy bot  ")
                .permissions("run_inference", "api_key:read", "read_models", "read_models")
                .description("Deploys\nfrom CI").expiresInDays(90).rateLimit(100, 60));
        String value = created.token().value();
        String secret = value.substring(29, 61);

        ApiKey stored = f.stored(created.key().id());
        assertThat(stored).isEqualTo(created.key());
        assertThat(stored.secrets()).isEqualTo(ApiKeySecrets.of(f.hasher.hash(created.token())));
        assertThat(stored.secrets().previous()).isEmpty();
        assertThat(created.token().keyId()).isEqualTo(stored.id());
        assertThat(stored.organizationId()).isEqualTo(f.organizationId);
        assertThat(stored.name()).isEqualTo("deploy bot");
        assertThat(stored.description()).contains("Deploys\nfrom CI");
        assertThat(stored.permissions()).containsExactly("api_key:read", "read_models", "run_inference");
        assertThat(stored.createdAt()).isEqualTo(ApiKeyFixture.T0);
        assertThat(stored.createdBy()).isEqualTo(f.ownerId);
        assertThat(stored.expiresAt()).contains(ApiKeyFixture.T0.plus(Duration.ofDays(90)));
        assertThat(stored.rateLimit()).contains(RateLimit.perSeconds(100, 60));
        assertThat(stored.revocation()).isEmpty();
        assertThat(stored.useCount()).isZero();
        assertThat(stored.lastUsedAt()).isEmpty();
        assertThat(stored.version()).isEqualTo(1);

        String hashHex = HexFormat.of().formatHex(stored.secrets().current());
        String hashBase64 = Base64.getEncoder().encodeToString(stored.secrets().current());
        for (String printed : List.of(stored.toString(), stored.secrets().toString(), created.key().toString(),
                f.manage.show(f.owner, stored.id()).toString())) {
            assertThat(printed.contains(value)).isFalse();
            assertThat(printed.contains(secret)).isFalse();
            assertThat(printed.toLowerCase(Locale.ROOT).contains(hashHex)).isFalse();
            assertThat(printed.contains(hashBase64)).isFalse();
        }
        assertThat(f.manage.show(f.owner, stored.id())).isEqualTo(stored);
    }

    @Test
    @DisplayName("[16.3.1] create leaves api_key.created in the organization with who, what, where; no key text")
    void createWhenCreatedThenAuditEvent() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("read_models", "run_inference"));

        AuditEvent event = f.audit.events(ApiKeyAudit.CREATED).get(0);
        assertThat(f.audit.events()).hasSize(1);
        assertThat(event.organizationId()).contains(f.organizationId);
        assertThat(event.actor().type()).isEqualTo(ActorType.USER);
        assertThat(event.actor().id()).isEqualTo(f.ownerId);
        assertThat(event.target().map(t -> t.type() + "/" + t.id())).contains("api_key/" + created.key().id());
        assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(event.occurredAt()).isEqualTo(ApiKeyFixture.T0);
        assertThat(event.sourceIp()).contains("203.0.113.10");
        assertThat(event.requestId()).isEqualTo("req-1");
        assertThat(event.details()).isEqualTo(Map.of("permission_count", "2"));
        assertThat(event.toString().contains(created.token().value().substring(29, 61))).isFalse();
    }

    @Test
    @DisplayName("every create gets a new id and a new secret")
    void createWhenTwiceThenDistinctIdsAndSecrets() {
        CreatedApiKey first = f.create();
        CreatedApiKey second = f.create();

        assertThat(second.key().id()).isNotEqualTo(first.key().id());
        assertThat(second.token().value().equals(first.token().value())).isFalse();
        assertThat(f.verify(first.token()).valid()).isTrue();
        assertThat(f.verify(second.token()).valid()).isTrue();
    }

    @Test
    @DisplayName("an API key creating a key is recorded as the creator and as the event's actor")
    void createWhenApiKeyCallerThenCreatedByKey() {
        OrgAccess key = f.asKey(List.of(Permissions.API_KEY_CREATE, "read_models"));

        CreatedApiKey created = f.manage.create(key, ApiKeyFixture.command().permissions("read_models").build(),
                ApiKeyFixture.ORIGIN);

        assertThat(created.key().createdBy()).isEqualTo(key.caller().actor().id());
        assertThat(f.audit.events(ApiKeyAudit.CREATED).get(0).actor()).isEqualTo(key.caller().actor());
    }

    @Test
    @DisplayName("[8.2.1] nobody grants what they lack: an admin cannot create a key with org:delete")
    void createWhenAdminGrantsOrgDeleteThenForbiddenAndNothingStored() {
        assertThatThrownBy(() -> f.manage.create(f.asUser(Role.ADMIN), ApiKeyFixture.command()
                .permissions(Permissions.ORG_DELETE, "read_models").build(), ApiKeyFixture.ORIGIN))
                .isInstanceOfSatisfying(AccessException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.details()).containsEntry("permissions", List.of(Permissions.ORG_DELETE));
                });
        assertThat(f.repository.all()).isEmpty();
        assertThat(f.audit.events()).isEmpty();
    }

    @Test
    @DisplayName("[8.2.1] an API key creates keys only with permissions it carries, its organization's scopes included")
    void createWhenApiKeyGrantsScopeItLacksThenForbidden() {
        OrgAccess key = f.asKey(List.of(Permissions.API_KEY_CREATE, "read_models"));

        assertThatThrownBy(() -> f.manage.create(key, ApiKeyFixture.command().permissions("read_models",
                "run_inference").build(), ApiKeyFixture.ORIGIN))
                .isInstanceOfSatisfying(AccessException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    assertThat(e.details()).containsEntry("permissions", List.of("run_inference"));
                });
        assertThat(f.repository.all()).as("only the calling key").hasSize(1);
    }

    @Test
    @DisplayName("[16.5.3] the store failing leaves no key and no event")
    void createWhenStoreUnavailableThenThrowsAndNothingWritten() {
        f.repository.fail();

        assertThatThrownBy(() -> f.create()).isInstanceOf(StoreUnavailableException.class);
        f.repository.heal();
        assertThat(f.repository.all()).isEmpty();
        assertThat(f.audit.events()).isEmpty();
    }

    @Test
    @DisplayName("[8.2.2] another organization's key id is 404 for show, revoke, roll and delete; nothing changes")
    void manageWhenOtherOrganizationsKeyThenNotFound() {
        CreatedApiKey created = f.create();
        OrgAccess stranger = f.otherOrganizationOwner();
        String keyId = created.key().id();

        List<Runnable> calls = List.of(
            () -> f.manage.show(stranger, keyId),
            () -> f.manage.revoke(stranger, keyId, Optional.empty(), ApiKeyFixture.ORIGIN),
            () -> f.manage.roll(stranger, keyId, Duration.ZERO, ApiKeyFixture.ORIGIN),
            () -> f.manage.delete(stranger, keyId, ApiKeyFixture.ORIGIN));
        List<String> messages = new ArrayList<>();
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiKeyException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                messages.add(e.getMessage());
            });
        }

        assertThat(f.stored(keyId)).isEqualTo(created.key());
        assertThat(f.verify(created.token()).valid()).isTrue();
        assertThat(f.audit.events()).hasSize(1);
        String unknownMessage = catchMessage(() -> f.manage.show(stranger, f.unknownKey().keyId()));
        assertThat(messages).allMatch(unknownMessage::equals);
    }

    @Test
    @DisplayName("a malformed key id is 404 without a read")
    void manageWhenMalformedKeyIdThenNotFoundWithoutRead() {
        for (String bad : new String[] {null, "", "key_", "usr_01J0000000000000000000000A", "key_abc", "../x"}) {
            assertThatThrownBy(() -> f.manage.show(f.owner, bad)).isInstanceOfSatisfying(ApiKeyException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> f.manage.delete(f.owner, bad, ApiKeyFixture.ORIGIN))
                    .isInstanceOf(ApiKeyException.class);
        }
        assertThat(f.repository.finds()).isZero();
    }

    @Test
    @DisplayName("revoking twice is idempotent: one event, the first revocation's who and when stay")
    void revokeWhenTwiceThenIdempotentWithOneEvent() {
        CreatedApiKey created = f.create();
        ApiKey first = f.manage.revoke(f.owner, created.key().id(), Optional.of("rotated out"), ApiKeyFixture.ORIGIN);
        f.clock.advance(Duration.ofMinutes(5));

        ApiKey second = f.manage.revoke(f.asUser(Role.ADMIN), created.key().id(), Optional.of("again"),
                ApiKeyFixture.ORIGIN);

        assertThat(second).isEqualTo(first);
        Revocation revocation = f.stored(created.key().id()).revocation().orElseThrow();
        assertThat(revocation.revokedAt()).isEqualTo(ApiKeyFixture.T0);
        assertThat(revocation.revokedBy()).isEqualTo(f.ownerId);
        assertThat(revocation.reason()).contains("rotated out");
        assertThat(f.stored(created.key().id()).version()).isEqualTo(2);
        assertThat(f.audit.events(ApiKeyAudit.REVOKED)).singleElement().satisfies(event -> {
            assertThat(event.actor().id()).isEqualTo(f.ownerId);
            assertThat(event.details()).isEqualTo(Map.of("reason_given", "true", "descendants_revoked", "0"));
            assertThat(event.toString()).doesNotContain("rotated out");
        });
    }

    @Test
    @DisplayName("revoke keeps the usage counters; a blank reason counts as none")
    void revokeWhenUsedThenCountersKeptAndBlankReasonNone() {
        CreatedApiKey created = f.create();
        f.verify(created.token());

        ApiKey revoked = f.manage.revoke(f.owner, created.key().id(), Optional.of("   "), ApiKeyFixture.ORIGIN);

        assertThat(revoked.revocation().flatMap(Revocation::reason)).isEmpty();
        assertThat(f.stored(created.key().id()).useCount()).isEqualTo(1);
        assertThat(f.audit.events(ApiKeyAudit.REVOKED).get(0).details()).containsEntry("reason_given", "false");
    }

    @Test
    @DisplayName("a revocation reason over 500 characters or with control characters is a VALIDATION_ERROR")
    void revokeWhenReasonInvalidThenValidationError() {
        CreatedApiKey created = f.create();
        for (String reason : List.of("x".repeat(501), "bad\u0000reason", "tab\there")) {
            assertThatThrownBy(() -> f.manage.revoke(f.owner, created.key().id(), Optional.of(reason),
                    ApiKeyFixture.ORIGIN)).isInstanceOfSatisfying(ApiKeyException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                        assertThat(e.details()).containsEntry("field", "reason");
                    });
        }
        assertThat(f.verify(created.token()).valid()).isTrue();
        assertThat(f.manage.revoke(f.owner, created.key().id(), Optional.of("x".repeat(500)), ApiKeyFixture.ORIGIN)
                .revocation()).isPresent();
    }

    @Test
    @DisplayName("a roll that lands while a revocation is under way is kept, and the key is revoked")
    void revokeWhenRolledConcurrentlyThenRevokedAndTheRollKept() {
        CreatedApiKey created = f.create();
        CreatedApiKey[] rolled = new CreatedApiKey[1];
        f.repository.beforeNextUpdate(() -> rolled[0] = f.otherContainer().roll(f.owner, created.key().id(),
                Duration.ZERO, ApiKeyFixture.ORIGIN));

        f.manage.revoke(f.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        ApiKey stored = f.stored(created.key().id());
        assertThat(stored.revocation()).isPresent();
        assertThat(stored.version()).isEqualTo(3);
        assertThat(f.verify(rolled[0].token()).failure()).contains(VerificationFailure.REVOKED);
        assertThat(f.audit.events(ApiKeyAudit.ROLLED)).hasSize(1);
        assertThat(f.audit.events(ApiKeyAudit.REVOKED)).hasSize(1);
    }

    @Test
    @DisplayName("a revocation that meets another one reads again: the first revocation's who and why stay")
    void revokeWhenRevokedConcurrentlyThenTheFirstRevocationStands() {
        CreatedApiKey created = f.create();
        f.repository.beforeNextUpdate(() -> f.otherContainer().revoke(f.asUser(Role.ADMIN), created.key().id(),
                Optional.of("first"), ApiKeyFixture.ORIGIN));

        ApiKey answered = f.manage.revoke(f.owner, created.key().id(), Optional.of("second"), ApiKeyFixture.ORIGIN);

        assertThat(answered.revocation().flatMap(Revocation::reason)).contains("first");
        assertThat(f.audit.events(ApiKeyAudit.REVOKED)).hasSize(1);
    }

    @Test
    @DisplayName("delete removes the key for ever with api_key.deleted; a second delete is 404")
    void deleteWhenDeletedThenGoneWithEventAndSecondDeleteNotFound() {
        CreatedApiKey created = f.create();

        f.manage.delete(f.owner, created.key().id(), ApiKeyFixture.ORIGIN);

        assertThat(f.repository.stored(created.key().id())).isEmpty();
        assertThat(f.audit.events(ApiKeyAudit.DELETED)).singleElement().satisfies(event -> {
            assertThat(event.organizationId()).contains(f.organizationId);
            assertThat(event.actor().id()).isEqualTo(f.ownerId);
            assertThat(event.target().map(t -> t.id())).contains(created.key().id());
            assertThat(event.details()).isEmpty();
        });
        assertThatThrownBy(() -> f.manage.delete(f.owner, created.key().id(), ApiKeyFixture.ORIGIN))
                .isInstanceOfSatisfying(ApiKeyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> f.manage.show(f.owner, created.key().id())).isInstanceOf(ApiKeyException.class);
        assertThat(f.audit.events(ApiKeyAudit.DELETED)).hasSize(1);
    }

    @Test
    @DisplayName("a revoked key can still be deleted")
    void deleteWhenRevokedThenDeleted() {
        CreatedApiKey created = f.create();
        f.manage.revoke(f.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        f.manage.delete(f.owner, created.key().id(), ApiKeyFixture.ORIGIN);

        assertThat(f.repository.stored(created.key().id())).isEmpty();
        assertThat(f.verify(created.token()).failure()).contains(VerificationFailure.NOT_FOUND);
    }

    @Test
    @DisplayName("list: the organization's keys newest first, in pages, without revoked ones unless asked")
    void listWhenManyKeysThenNewestFirstPagedAndFiltered() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(f.create(ApiKeyFixture.command().permissions(i % 2 == 0 ? "read_models" : "run_inference"))
                    .key().id());
            f.clock.advance(Duration.ofSeconds(1));
        }
        f.manage.create(f.otherOrganizationOwner(), ApiKeyFixture.command().build(), ApiKeyFixture.ORIGIN);
        f.manage.revoke(f.owner, created.get(3), Optional.empty(), ApiKeyFixture.ORIGIN);

        ApiKeyPage first = f.manage.list(f.owner, new ApiKeyQuery(true, Optional.empty(), 2, Optional.empty()));
        ApiKeyPage second = f.manage.list(f.owner, new ApiKeyQuery(true, Optional.empty(), 2, first.nextCursor()));
        ApiKeyPage third = f.manage.list(f.owner, new ApiKeyQuery(true, Optional.empty(), 2, second.nextCursor()));

        assertThat(first.keys()).extracting(ApiKey::id).containsExactly(created.get(4), created.get(3));
        assertThat(second.keys()).extracting(ApiKey::id).containsExactly(created.get(2), created.get(1));
        assertThat(third.keys()).extracting(ApiKey::id).containsExactly(created.get(0));
        assertThat(third.nextCursor()).isEmpty();
        assertThat(f.manage.list(f.owner, new ApiKeyQuery(false, Optional.empty(), 100, Optional.empty())).keys())
                .extracting(ApiKey::id).containsExactly(created.get(4), created.get(2), created.get(1), created.get(0));
        assertThat(f.manage.list(f.owner, new ApiKeyQuery(true, Optional.of("read_models"), 100, Optional.empty()))
                .keys()).extracting(ApiKey::id).containsExactly(created.get(4), created.get(2), created.get(0));
    }

    @Test
    @DisplayName("list: a cursor of another organization is refused")
    void listWhenCursorOfOtherOrganizationThenValidationError() {
        OrgAccess stranger = f.otherOrganizationOwner();
        for (int i = 0; i < 3; i++) {
            f.manage.create(stranger, ApiKeyFixture.command().build(), ApiKeyFixture.ORIGIN);
        }
        Optional<String> foreign = f.manage.list(stranger, new ApiKeyQuery(true, Optional.empty(), 1,
                Optional.empty())).nextCursor();
        assertThat(foreign).isPresent();

        assertThatThrownBy(() -> f.manage.list(f.owner, new ApiKeyQuery(true, Optional.empty(), 1, foreign)))
                .isInstanceOfSatisfying(ApiKeyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThatThrownBy(() -> f.manage.list(f.owner, new ApiKeyQuery(true, Optional.empty(), 1,
                Optional.of("not-a-cursor")))).isInstanceOf(ApiKeyException.class);
    }

    @Test
    @DisplayName("list queries validate their limit and permission")
    void listQueryWhenOutOfRangeThenValidationError() {
        for (int limit : new int[] {0, -1, ApiKeyQuery.MAX_LIMIT + 1}) {
            assertThatThrownBy(() -> new ApiKeyQuery(true, Optional.empty(), limit, Optional.empty()))
                    .isInstanceOfSatisfying(ApiKeyException.class,
                            e -> assertThat(e.details()).containsEntry("field", "limit"));
        }
        assertThatThrownBy(() -> new ApiKeyQuery(true, Optional.of("Bad Permission"), 10, Optional.empty()))
                .isInstanceOfSatisfying(ApiKeyException.class,
                        e -> assertThat(e.details()).containsEntry("field", "permission"));
    }

    @Test
    @DisplayName("stats: counts by state at this moment, by permission of active keys, and usage totals")
    void statsWhenKeysInEveryStateThenCounts() {
        CreatedApiKey a = f.create(ApiKeyFixture.command().permissions("read_models", "api_key:read"));
        CreatedApiKey b = f.create(ApiKeyFixture.command().permissions("read_models"));
        CreatedApiKey expired = f.create(ApiKeyFixture.command().permissions("read_models").expiresInDays(1));
        CreatedApiKey revoked = f.create(ApiKeyFixture.command().permissions("run_inference"));
        f.manage.create(f.otherOrganizationOwner(), ApiKeyFixture.command().permissions("read_models").build(),
                ApiKeyFixture.ORIGIN);
        f.verify(a.token());
        f.verify(a.token());
        f.verify(expired.token());
        f.verify(revoked.token());
        f.manage.revoke(f.owner, revoked.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);
        f.clock.advance(Duration.ofDays(1));
        Instant lastUse = f.clock.instant();
        f.verify(b.token());
        f.usage.flush();

        ApiKeyStatistics stats = f.manage.stats(f.owner);

        assertThat(stats.total()).isEqualTo(4);
        assertThat(stats.byState()).containsExactly(Map.entry("active", 2), Map.entry("expired", 1),
                Map.entry("revoked", 1));
        assertThat(stats.byPermission()).containsExactly(Map.entry("api_key:read", 1), Map.entry("read_models", 2));
        assertThat(stats.totalUses()).isEqualTo(5);
        assertThat(stats.lastUsedAt()).contains(lastUse);
        assertThat(stats.truncated()).isFalse();
    }

    @Test
    @DisplayName("stats of an organization without keys: every state present with 0")
    void statsWhenNoKeysThenZeros() {
        ApiKeyStatistics stats = f.manage.stats(f.owner);

        assertThat(stats.total()).isZero();
        assertThat(stats.byState()).containsExactly(Map.entry("active", 0), Map.entry("expired", 0),
                Map.entry("revoked", 0));
        assertThat(stats.byPermission()).isEmpty();
        assertThat(stats.totalUses()).isZero();
        assertThat(stats.lastUsedAt()).isEmpty();
    }

    @Test
    @DisplayName("stats reads every page: more keys than one page are all counted")
    void statsWhenMoreThanOnePageThenAllCounted() {
        for (int i = 0; i < ApiKeyQuery.MAX_LIMIT + 5; i++) {
            f.create();
        }

        assertThat(f.manage.stats(f.owner).total()).isEqualTo(ApiKeyQuery.MAX_LIMIT + 5);
    }

    private static String catchMessage(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an exception");
    }

    private OrgAccess asParentKey(Optional<Instant> expiresAt, Optional<RateLimit> rateLimit) {
        return f.asKey(List.of(Permissions.API_KEY_CREATE, "read_models"), expiresAt, rateLimit);
    }

    @Test
    @DisplayName("a key made by a key never outlives it: expires_at capped at the creator's, none → the creator's")
    void createWhenApiKeyCallerExpiresThenChildCappedAtItsExpiry() {
        Instant parentExpiry = ApiKeyFixture.T0.plus(Duration.ofDays(1));
        OrgAccess parent = asParentKey(Optional.of(parentExpiry), Optional.empty());

        ApiKey permanent = f.manage.create(parent, ApiKeyFixture.command().permissions("read_models").build(),
                ApiKeyFixture.ORIGIN).key();
        ApiKey longer = f.manage.create(parent, ApiKeyFixture.command().permissions("read_models").expiresInDays(30)
                .build(), ApiKeyFixture.ORIGIN).key();
        ApiKey shorter = f.manage.create(asParentKey(Optional.of(ApiKeyFixture.T0.plus(Duration.ofDays(10))),
                Optional.empty()), ApiKeyFixture.command().permissions("read_models").expiresInDays(2).build(),
                ApiKeyFixture.ORIGIN).key();

        assertThat(permanent.expiresAt()).contains(parentExpiry);
        assertThat(longer.expiresAt()).contains(parentExpiry);
        assertThat(shorter.expiresAt()).contains(ApiKeyFixture.T0.plus(Duration.ofDays(2)));
    }

    @Test
    @DisplayName("a key made by a rate-limited key: inherits the limit, may tighten it, never loosen rate or burst")
    void createWhenApiKeyCallerRateLimitedThenChildNeverLooser() {
        OrgAccess parent = asParentKey(Optional.empty(), Optional.of(RateLimit.perSeconds(100, 60)));

        ApiKey inherited = f.manage.create(parent, ApiKeyFixture.command().permissions("read_models").build(),
                ApiKeyFixture.ORIGIN).key();
        ApiKey tighter = f.manage.create(parent, ApiKeyFixture.command().permissions("read_models")
                .rateLimit(50, 120).build(), ApiKeyFixture.ORIGIN).key();
        assertThat(inherited.rateLimit()).contains(RateLimit.perSeconds(100, 60));
        assertThat(tighter.rateLimit()).contains(RateLimit.perSeconds(50, 120));

        int before = f.repository.all().size();
        for (int[] looser : new int[][] {{101, 60}, {10, 1}, {6000, 3600}}) {
            assertThatThrownBy(() -> f.manage.create(parent, ApiKeyFixture.command().permissions("read_models")
                    .rateLimit(looser[0], looser[1]).build(), ApiKeyFixture.ORIGIN))
                    .as("%d per %d s", looser[0], looser[1])
                    .isInstanceOfSatisfying(AccessException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                        assertThat(e.details()).containsEntry("reason", "LOOSER_THAN_CALLER");
                    });
        }
        assertThat(f.repository.all()).hasSize(before);
    }

    @Test
    @DisplayName("users are not bound by a key's limits: an owner creates permanent, unlimited keys")
    void createWhenUserThenNoInheritedLimits() {
        ApiKey key = f.manage.create(f.owner, ApiKeyFixture.command().permissions("read_models").build(),
                ApiKeyFixture.ORIGIN).key();

        assertThat(key.expiresAt()).isEmpty();
        assertThat(key.rateLimit()).isEmpty();
    }
}
