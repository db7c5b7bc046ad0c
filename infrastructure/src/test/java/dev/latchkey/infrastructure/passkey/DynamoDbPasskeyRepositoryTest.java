package dev.latchkey.infrastructure.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.passkey.Passkey;
import dev.latchkey.core.passkey.PasskeyException;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link DynamoDbPasskeyRepository} against the emulated table with the real key design. */
class DynamoDbPasskeyRepositoryTest {

    private static EmulatedTable emulated;
    private static DynamoDbAuditLog auditLog;
    private static DynamoDbPasskeyRepository passkeys;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final SecureRandom random = new SecureRandom();
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, random);

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        auditLog = new DynamoDbAuditLog(emulated.client(), EmulatedTable.TABLE,
                java.time.Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), java.time.ZoneOffset.UTC));
        passkeys = new DynamoDbPasskeyRepository(emulated.client(), EmulatedTable.TABLE, auditLog);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    private String base64url(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private Passkey passkey(String userId) {
        return passkey(userId, base64url(32));
    }

    private Passkey passkey(String userId, String credentialId) {
        return new Passkey(ids.next(IdPrefix.PASSKEY), userId, credentialId, base64url(64), base64url(77), -7, 0,
                true, true, true, List.of("internal", "hybrid"), "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", "Phone",
                clock.instant(), Optional.empty());
    }

    private AuditEvent event(String action, String orgId, String userId) {
        return AuditEvent.builder(ids, clock).organizationId(orgId).actor(Actor.user(userId)).action(action)
                .requestId("req-1").build();
    }

    private Map<String, AttributeValue> raw(Map<String, AttributeValue> key) {
        return emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE).key(key).consistentRead(true)).item();
    }

    private static <T> List<T> inParallel(int count, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void addThenFindByCredentialIdAndByUserGiveTheSameRecordAndTheEventIsWritten() {
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        Passkey passkey = passkey(userId);

        passkeys.add(passkey, event("passkey.added", orgId, userId));

        assertThat(passkeys.findByCredentialId(passkey.credentialId())).contains(passkey);
        assertThat(passkeys.findByUser(userId)).containsExactly(passkey);
        assertThat(raw(DynamoDbPasskeyRepository.passkeyKey(userId, passkey.id()))).containsEntry("type",
                AttributeValue.fromS("PASSKEY"));
        assertThat(raw(DynamoDbPasskeyRepository.lookupKey(passkey.credentialId()))).containsEntry("type",
                AttributeValue.fromS("CREDENTIAL"));
        assertThat(auditLog.find(orgId, AuditQuery.latest()).events()).extracting(AuditEvent::action)
                .containsExactly("passkey.added");
    }

    @Test
    void roundTripKeepsEveryFieldIncludingLastUseAndEmptyTransports() {
        String userId = ids.next(IdPrefix.USER);
        Passkey passkey = new Passkey(ids.next(IdPrefix.PASSKEY), userId, base64url(16), base64url(64),
                base64url(300), -257, 4_294_967_295L, false, false, false, List.of(),
                "00000000-0000-0000-0000-000000000000", "Ünïcode key 🔑", clock.instant(), Optional.empty());
        passkeys.add(passkey, event("passkey.added", ids.next(IdPrefix.ORGANIZATION), userId));
        Passkey used = passkey.used(4_294_967_295L, true, true, clock.instant().plusSeconds(5));
        assertThat(passkeys.recordUse(used, passkey.signCount())).isTrue();

        assertThat(passkeys.findByCredentialId(passkey.credentialId())).contains(used);
        assertThat(passkeys.findByUser(userId)).containsExactly(used);
    }

    @Test
    void addWhenTheCredentialIdBelongsToAnotherUserThenRefusedAndNothingOfTheSecondWritten() {
        String ada = ids.next(IdPrefix.USER);
        String eve = ids.next(IdPrefix.USER);
        String evesOrg = ids.next(IdPrefix.ORGANIZATION);
        Passkey adas = passkey(ada);
        passkeys.add(adas, event("passkey.added", ids.next(IdPrefix.ORGANIZATION), ada));
        Passkey eves = passkey(eve, adas.credentialId());

        PasskeyException e = catchThrowableOfType(PasskeyException.class,
                () -> passkeys.add(eves, event("passkey.added", evesOrg, eve)));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(passkeys.findByCredentialId(adas.credentialId())).contains(adas);
        assertThat(passkeys.findByUser(eve)).isEmpty();
        assertThat(auditLog.find(evesOrg, AuditQuery.latest()).events()).isEmpty();
    }

    @Test
    void addWhenTenUsersRegisterOneCredentialIdInParallelThenExactlyOneOwnsIt() throws Exception {
        String credentialId = base64url(32);

        List<String> outcomes = inParallel(10, () -> {
            String userId = ids.next(IdPrefix.USER);
            try {
                passkeys.add(passkey(userId, credentialId), event("passkey.added", ids.next(IdPrefix.ORGANIZATION),
                        userId));
                return "added";
            } catch (PasskeyException e) {
                return e.reason();
            }
        });

        assertThat(outcomes).filteredOn("added"::equals).hasSize(1);
        assertThat(outcomes).filteredOn("already_registered"::equals).hasSize(9);
        String owner = passkeys.findByCredentialId(credentialId).orElseThrow().userId();
        assertThat(passkeys.findByUser(owner)).hasSize(1);
    }

    @Test
    void userHandleWhenFirstUseInParallelThenEveryCallerGetsTheOneStored() throws Exception {
        String userId = ids.next(IdPrefix.USER);

        List<String> handles = inParallel(10, () -> passkeys.userHandle(userId, base64url(64)));

        assertThat(handles).containsOnly(handles.get(0));
        assertThat(passkeys.userHandle(userId, base64url(64))).isEqualTo(handles.get(0));
        assertThat(raw(DynamoDbPasskeyRepository.handleKey(userId))).containsEntry("userHandle",
                AttributeValue.fromS(handles.get(0)));
    }

    @Test
    void recordUseWhenTheCounterIsTheOneReadThenBothItemsMove() {
        String userId = ids.next(IdPrefix.USER);
        Passkey passkey = passkey(userId);
        passkeys.add(passkey, event("passkey.added", ids.next(IdPrefix.ORGANIZATION), userId));
        Passkey used = passkey.used(7, false, true, clock.instant().plus(Duration.ofMinutes(1)));

        assertThat(passkeys.recordUse(used, 0)).isTrue();

        assertThat(passkeys.findByCredentialId(passkey.credentialId())).contains(used);
        assertThat(passkeys.findByUser(userId)).containsExactly(used);
    }

    @Test
    void recordUseWhenTheCounterMovedMeanwhileThenRefusedAndNothingChanges() {
        String userId = ids.next(IdPrefix.USER);
        Passkey passkey = passkey(userId);
        passkeys.add(passkey, event("passkey.added", ids.next(IdPrefix.ORGANIZATION), userId));
        Passkey first = passkey.used(5, true, true, clock.instant());
        assertThat(passkeys.recordUse(first, 0)).isTrue();

        assertThat(passkeys.recordUse(passkey.used(4, true, true, clock.instant()), 0)).isFalse();

        assertThat(passkeys.findByCredentialId(passkey.credentialId())).contains(first);
        assertThat(passkeys.findByUser(userId)).containsExactly(first);
    }

    @Test
    void recordUseWhenTenLoginsRaceFromOneCounterThenExactlyOneWins() throws Exception {
        String userId = ids.next(IdPrefix.USER);
        Passkey passkey = passkey(userId);
        passkeys.add(passkey, event("passkey.added", ids.next(IdPrefix.ORGANIZATION), userId));
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(1);

        List<Boolean> results = inParallel(10, () -> passkeys.recordUse(
                passkey.used(next.getAndIncrement(), true, true, clock.instant()), 0));

        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(passkeys.findByCredentialId(passkey.credentialId()).orElseThrow().signCount()).isPositive();
    }

    @Test
    void recordUseWhenGoneThenFalse() {
        Passkey never = passkey(ids.next(IdPrefix.USER));

        assertThat(passkeys.recordUse(never.used(1, true, true, clock.instant()), 0)).isFalse();
        assertThat(passkeys.findByUser(never.userId())).isEmpty();
    }

    @Test
    void findByUserWhenSeveralUsersThenOnlyTheirsOldestFirstAndNotTheHandle() {
        String ada = ids.next(IdPrefix.USER);
        String bob = ids.next(IdPrefix.USER);
        passkeys.userHandle(ada, base64url(64));
        Passkey first = passkey(ada);
        passkeys.add(first, event("passkey.added", ids.next(IdPrefix.ORGANIZATION), ada));
        clock.advance(Duration.ofSeconds(1));
        Passkey second = passkey(ada);
        passkeys.add(second, event("passkey.added", ids.next(IdPrefix.ORGANIZATION), ada));
        passkeys.add(passkey(bob), event("passkey.added", ids.next(IdPrefix.ORGANIZATION), bob));

        assertThat(passkeys.findByUser(ada)).containsExactly(first, second);
        assertThat(passkeys.findByUser(ids.next(IdPrefix.USER))).isEmpty();
    }

    @Test
    void updateCloneStateWhenMarkedThenConfirmedThenBothItemsFollowAndTheEventsAreWritten() {
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        Passkey passkey = passkey(userId);
        passkeys.add(passkey, event("passkey.added", orgId, userId));
        Passkey used = passkey.used(4_294_967_295L, true, true, clock.instant());
        assertThat(passkeys.recordUse(used, 0)).isTrue();

        Passkey marked = passkeys.updateCloneState(used.suspectedCloneSince(clock.instant()),
                event("passkey.suspected_clone", orgId, userId));

        assertThat(passkeys.findByCredentialId(passkey.credentialId())).contains(marked);
        assertThat(passkeys.findByUser(userId)).containsExactly(marked);
        assertThat(marked.suspectedCloneAt()).contains(clock.instant());

        Passkey confirmed = passkeys.updateCloneState(marked.cloneConfirmed(),
                event("passkey.clone_confirmed", orgId, userId));

        assertThat(confirmed.suspectedClone()).isFalse();
        assertThat(confirmed.signCount()).isZero();
        assertThat(passkeys.findByCredentialId(passkey.credentialId())).contains(confirmed);
        assertThat(passkeys.findByUser(userId)).containsExactly(confirmed);
        assertThat(auditLog.find(orgId, AuditQuery.latest()).events()).extracting(AuditEvent::action)
                .contains("passkey.suspected_clone", "passkey.clone_confirmed");
    }

    @Test
    void renameWhenPresentThenBothItemsAndTheEvent() {
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        Passkey passkey = passkey(userId);
        passkeys.add(passkey, event("passkey.added", orgId, userId));

        Passkey renamed = passkeys.rename(passkey, "Laptop", event("passkey.renamed", orgId, userId));

        assertThat(renamed.nickname()).isEqualTo("Laptop");
        assertThat(passkeys.findByCredentialId(passkey.credentialId())).contains(renamed);
        assertThat(passkeys.findByUser(userId)).containsExactly(renamed);
        assertThat(auditLog.find(orgId, AuditQuery.latest()).events()).extracting(AuditEvent::action)
                .contains("passkey.renamed");
    }

    @Test
    void renameOrDeleteWhenGoneOrAnotherUsersThenNotFoundAndNoEvent() {
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        Passkey passkey = passkey(userId);
        passkeys.add(passkey, event("passkey.added", orgId, userId));
        String eve = ids.next(IdPrefix.USER);
        Passkey claimed = new Passkey(passkey.id(), eve, passkey.credentialId(), passkey.userHandle(),
                passkey.publicKey(), -7, 0, true, true, true, List.of(), passkey.aaguid(), "x", clock.instant(),
                Optional.empty());
        Passkey never = passkey(userId);

        for (Passkey target : List.of(claimed, never)) {
            assertThat(catchThrowableOfType(PasskeyException.class, () -> passkeys.rename(target, "y",
                    event("passkey.renamed", orgId, userId))).code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(catchThrowableOfType(PasskeyException.class, () -> passkeys.delete(target,
                    event("passkey.removed", orgId, userId))).code()).isEqualTo(ErrorCode.NOT_FOUND);
        }
        assertThat(passkeys.findByCredentialId(passkey.credentialId())).contains(passkey);
        assertThat(auditLog.find(orgId, AuditQuery.latest()).events()).extracting(AuditEvent::action)
                .containsExactly("passkey.added");
    }

    @Test
    void deleteWhenMustRemainIsGoneThenLastSignInMethodAndNothingDeleted() {
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        Passkey kept = passkey(userId);
        Passkey gone = passkey(userId);
        passkeys.add(kept, event("passkey.added", orgId, userId));

        PasskeyException e = catchThrowableOfType(PasskeyException.class, () -> passkeys.delete(kept,
                Optional.of(gone), event("passkey.removed", orgId, userId)));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(passkeys.findByUser(userId)).containsExactly(kept);
    }

    @Test
    void deleteWhenTheLastTwoAreDeletedInParallelThenAtLeastOneRemains() throws Exception {
        for (int round = 0; round < 10; round++) {
            String userId = ids.next(IdPrefix.USER);
            String orgId = ids.next(IdPrefix.ORGANIZATION);
            Passkey a = passkey(userId);
            Passkey b = passkey(userId);
            passkeys.add(a, event("passkey.added", orgId, userId));
            passkeys.add(b, event("passkey.added", orgId, userId));
            java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

            List<Boolean> deleted = inParallel(2, () -> {
                boolean first = turn.getAndIncrement() == 0;
                try {
                    passkeys.delete(first ? a : b, Optional.of(first ? b : a),
                            event("passkey.removed", orgId, userId));
                    return true;
                } catch (PasskeyException | dev.latchkey.core.store.StoreUnavailableException refused) {
                    return false;
                }
            });

            long successes = deleted.stream().filter(d -> d).count();
            assertThat(successes).as("round %d: never both", round).isLessThanOrEqualTo(1);
            assertThat(passkeys.findByUser(userId)).as("round %d", round).hasSize(2 - (int) successes);
        }
    }

    @Test
    void deleteWhenPresentThenBothItemsGoneAndTheEventWritten() {
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        Passkey passkey = passkey(userId);
        passkeys.add(passkey, event("passkey.added", orgId, userId));

        passkeys.delete(passkey, event("passkey.removed", orgId, userId));

        assertThat(passkeys.findByCredentialId(passkey.credentialId())).isEmpty();
        assertThat(passkeys.findByUser(userId)).isEmpty();
        assertThat(raw(DynamoDbPasskeyRepository.passkeyKey(userId, passkey.id()))).isEmpty();
        assertThat(raw(DynamoDbPasskeyRepository.lookupKey(passkey.credentialId()))).isEmpty();
        assertThat(auditLog.find(orgId, AuditQuery.latest()).events()).extracting(AuditEvent::action)
                .contains("passkey.removed");
        passkeys.add(passkey(userId, passkey.credentialId()), event("passkey.added", orgId, userId));
        assertThat(passkeys.findByUser(userId)).as("the credential id is free again").hasSize(1);
    }

    @Test
    void credentialIdOfTheLongestAllowedSizeFitsTheKeys() {
        String userId = ids.next(IdPrefix.USER);
        Passkey passkey = passkey(userId, base64url(1023));

        passkeys.add(passkey, event("passkey.added", ids.next(IdPrefix.ORGANIZATION), userId));

        assertThat(passkeys.findByCredentialId(passkey.credentialId())).contains(passkey);
        assertThat(passkeys.findByUser(userId)).containsExactly(passkey);
    }
}
