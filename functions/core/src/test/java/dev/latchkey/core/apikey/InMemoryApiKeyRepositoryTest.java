package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditException;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fake's own contract (other modules reuse it), and what only many keys show: stats truncation. */
class InMemoryApiKeyRepositoryTest {

    private final ApiKeyFixture f = new ApiKeyFixture();
    private final InMemoryApiKeyRepository repository = f.repository;

    private ApiKey key(String organizationId, Instant createdAt) {
        byte[] hash = new byte[ApiKeyHasher.HASH_BYTES];
        f.random.nextBytes(hash);
        return new ApiKey(f.ids.next(IdPrefix.API_KEY), organizationId, "k", Optional.empty(), List.of("read_models"),
                createdAt, f.ownerId, Optional.empty(), Optional.empty(), Optional.empty(), ApiKeySecrets.of(hash), 0,
                Optional.empty(), 1);
    }

    private AuditEvent event(String action, String keyId) {
        return AuditEvent.builder(f.ids, f.clock).organizationId(f.organizationId).actor(Actor.user(f.ownerId))
                .action(action).target("api_key", keyId).requestId("r").build();
    }

    @Test
    @DisplayName("create never overwrites: an existing id is a CONFLICT and no event is recorded")
    void createWhenIdExistsThenConflict() {
        ApiKey key = key(f.organizationId, f.clock.instant());
        repository.create(key, event("api_key.created", key.id()));

        assertThatThrownBy(() -> repository.create(key, event("api_key.created", key.id())))
                .isInstanceOfSatisfying(ApiKeyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(f.audit.events()).hasSize(1);
    }

    @Test
    @DisplayName("a failing audit log leaves nothing written (one transaction)")
    void createWhenAuditFailsThenNothingStored() {
        ApiKey key = key(f.organizationId, f.clock.instant());
        f.audit.failWith(AuditException.duplicate());

        assertThatThrownBy(() -> repository.create(key, event("api_key.created", key.id())))
                .isInstanceOf(AuditException.class);
        assertThat(repository.stored(key.id())).isEmpty();
    }

    @Test
    @DisplayName("update checks the version and writes only revocation, secrets and version")
    void updateWhenVersionMatchesThenOnlyThoseFieldsWritten() {
        ApiKey key = key(f.organizationId, f.clock.instant());
        repository.create(key, event("api_key.created", key.id()));
        repository.recordUsage(key.id(), 7, f.clock.instant());
        ApiKey renamed = new ApiKey(key.id(), "org_OTHER", "renamed", Optional.of("d"), List.of("run_inference"),
                key.createdAt(), key.createdBy(), Optional.of(f.clock.instant()), Optional.empty(),
                Optional.of(new Revocation(f.clock.instant(), f.ownerId, Optional.empty())), key.secrets(), 0,
                Optional.empty(), 2);

        repository.update(renamed, event("api_key.revoked", key.id()));

        ApiKey stored = repository.stored(key.id()).orElseThrow();
        assertThat(stored.name()).isEqualTo("k");
        assertThat(stored.organizationId()).isEqualTo(f.organizationId);
        assertThat(stored.permissions()).containsExactly("read_models");
        assertThat(stored.expiresAt()).isEmpty();
        assertThat(stored.useCount()).isEqualTo(7);
        assertThat(stored.revocation()).isPresent();
        assertThat(stored.version()).isEqualTo(2);
        assertThatThrownBy(() -> repository.update(renamed, event("api_key.revoked", key.id())))
                .isInstanceOfSatisfying(ApiKeyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThatThrownBy(() -> repository.update(key(f.organizationId, f.clock.instant()).revoked(
                new Revocation(f.clock.instant(), f.ownerId, Optional.empty())), event("api_key.revoked", key.id())))
                .as("a vanished key").isInstanceOf(ApiKeyException.class);
    }

    @Test
    @DisplayName("delete only in the given organization, else NOT_FOUND")
    void deleteWhenOtherOrganizationThenNotFound() {
        ApiKey key = key(f.organizationId, f.clock.instant());
        repository.create(key, event("api_key.created", key.id()));

        ApiKey elsewhere = new ApiKey(key.id(), f.ids.next(IdPrefix.ORGANIZATION), key.name(), key.description(),
                key.permissions(), key.createdAt(), key.createdBy(), key.expiresAt(), key.rateLimit(), key.revocation(),
                key.secrets(), key.useCount(), key.lastUsedAt(), key.version());
        assertThatThrownBy(() -> repository.delete(elsewhere, List.of(),
                event("api_key.deleted", key.id()))).isInstanceOfSatisfying(ApiKeyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(repository.stored(key.id())).isPresent();
    }

    @Test
    @DisplayName("recordUsage adds, moves last_used_at forward only, and ignores a missing key")
    void recordUsageWhenCalledThenAddsAndMovesForwardOnly() {
        ApiKey key = key(f.organizationId, f.clock.instant());
        repository.create(key, event("api_key.created", key.id()));
        Instant t1 = f.clock.instant().plusSeconds(10);

        repository.recordUsage(key.id(), 2, t1);
        repository.recordUsage(key.id(), 3, t1.minusSeconds(5));
        repository.recordUsage(f.unknownKey().keyId(), 1, t1);

        assertThat(repository.stored(key.id()).orElseThrow().useCount()).isEqualTo(5);
        assertThat(repository.stored(key.id()).orElseThrow().lastUsedAt()).contains(t1);
        assertThat(repository.all()).hasSize(1);
        assertThat(repository.usageWrites()).isEqualTo(3);
    }

    @Test
    @DisplayName("list: newest first by created_at then id; ties broken by id")
    void listWhenSameCreatedAtThenOrderedById() {
        Instant same = f.clock.instant();
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(key(f.organizationId, same));
            repository.put(keys.get(i));
        }
        ApiKey newer = key(f.organizationId, same.plusMillis(1));
        repository.put(newer);

        ApiKeyPage page = repository.list(f.organizationId, new ApiKeyQuery(true, Optional.empty(), 2,
                Optional.empty()));
        ApiKeyPage rest = repository.list(f.organizationId, new ApiKeyQuery(true, Optional.empty(), 10,
                page.nextCursor()));

        assertThat(page.keys()).extracting(ApiKey::id).containsExactly(newer.id(), keys.get(3).id());
        assertThat(rest.keys()).extracting(ApiKey::id).containsExactly(keys.get(2).id(), keys.get(1).id(),
                keys.get(0).id());
        assertThat(rest.nextCursor()).isEmpty();
    }

    @Test
    @DisplayName("failing on demand: every call throws StoreUnavailableException until healed")
    void failWhenCalledThenStoreUnavailable() {
        ApiKey key = key(f.organizationId, f.clock.instant());
        repository.fail();

        assertThatThrownBy(() -> repository.find(key.id())).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> repository.create(key, event("api_key.created", key.id())))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> repository.recordUsage(key.id(), 1, f.clock.instant()))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(repository.finds()).isEqualTo(1);
        repository.heal();
        assertThat(repository.find(key.id())).isEmpty();
    }

    @Test
    @DisplayName("stats stop at 10,000 keys and say truncated; exactly 10,000 is not truncated")
    void statsWhenMoreThanMaxKeysThenTruncated() {
        Instant t = f.clock.instant();
        for (int i = 0; i < ManageApiKeys.STATS_MAX_KEYS; i++) {
            repository.put(key(f.organizationId, t.plus(Duration.ofMillis(i))));
        }
        ApiKeyStatistics exactly = f.manage.stats(f.owner);
        repository.put(key(f.organizationId, t.minusSeconds(1)));

        ApiKeyStatistics over = f.manage.stats(f.owner);

        assertThat(exactly.total()).isEqualTo(ManageApiKeys.STATS_MAX_KEYS);
        assertThat(exactly.truncated()).isFalse();
        assertThat(over.total()).isEqualTo(ManageApiKeys.STATS_MAX_KEYS);
        assertThat(over.truncated()).isTrue();
    }
}
