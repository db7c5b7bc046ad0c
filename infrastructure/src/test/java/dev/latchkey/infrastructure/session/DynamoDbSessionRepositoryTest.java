package dev.latchkey.infrastructure.session;

import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.InMemoryKeyRingRepository;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.session.AccessTokenRecords;
import dev.latchkey.core.session.LiveAccessTokens;
import dev.latchkey.core.session.RefreshFamilies;
import dev.latchkey.core.session.RefreshSession;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.RefreshTokenRecord;
import dev.latchkey.core.session.RefreshTokenState;
import dev.latchkey.core.session.RevokeToken;
import dev.latchkey.core.session.Rotation;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionApplication;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionException;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.InvalidTokenException;
import dev.latchkey.core.vault.InMemoryKeyVault;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The session adapters against the emulator, with the real key design, and the use cases on top. */
class DynamoDbSessionRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");
    private static final String ISSUER = "https://auth.example.test";

    private static EmulatedTable emulated;

    private final MutableClock clock = new MutableClock(T0);
    private final SecureRandom random = new SecureRandom();
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    private final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    private final SessionPolicy policy = SessionPolicy.defaults();
    private final DynamoDbSessionRepository repository = new DynamoDbSessionRepository(emulated.client(),
            EmulatedTable.TABLE);
    private final LocalKeyVault vault = LocalKeyVault.fromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            random);
    private final RefreshTokenCrypto crypto = new RefreshTokenCrypto(
            new DynamoDbPeppers(emulated.client(), EmulatedTable.TABLE, vault, random, clock), random);
    private final InMemoryKeyRingRepository ring = new InMemoryKeyRingRepository();
    private final CurrentKeys keys = new CurrentKeys(ring, new InMemoryKeyVault(), KeyPolicy.defaults(), clock,
            Duration.ofMinutes(5));
    private final SessionTokens tokens = new SessionTokens(keys, () -> ISSUER, policy, clock, random);
    private final UserProfile user = new UserProfile(ids.next(IdPrefix.USER), "ada@example.com", "Ada");
    private final String org = ids.next(IdPrefix.ORGANIZATION);
    private final StartSession start = new StartSession(repository, crypto, tokens, policy, audit, ids, clock, random);
    private final RefreshSession refresh = new RefreshSession(repository, id -> Optional.of(user).filter(
            u -> u.id().equals(id)), crypto, tokens, policy, audit, ids, clock, random);

    @BeforeAll
    static void startEmulator() {
        emulated = EmulatedTable.start();
    }

    @AfterAll
    static void stopEmulator() {
        emulated.close();
    }

    DynamoDbSessionRepositoryTest() {
        new RotateSigningKeys(ring, new InMemoryKeyVault(), KeyPolicy.defaults(), audit, ids, clock, random)
                .run("setup");
    }

    private TokenResponse login() {
        return start.start(new StartSessionCommand(user, org, List.of("pwd"), "203.0.113.10", "req-login"));
    }

    private TokenResponse refresh(String token) {
        return refresh.refresh(token, "203.0.113.10", "req-refresh");
    }

    @Test
    void createThenFindRoundTripsEveryField() {
        Session session = Session.start(ids.next(IdPrefix.SESSION), user.id(), org, List.of("hwk", "user"),
                T0.plusNanos(123_456_789), policy);
        RefreshTokenRecord token = RefreshTokenRecord.active("tok-" + session.sessionId(), session.sessionId(), 1,
                session.refreshTokenExpiry());
        repository.create(session, token);

        assertThat(repository.find(session.sessionId())).contains(session);
        RefreshTokenRecord read = repository.findRefreshToken(token.tokenId()).orElseThrow();
        assertThat(read).usingRecursiveComparison().ignoringFields("expiresAt").isEqualTo(token);
        assertThat(read.expiresAt()).as("TTL in whole seconds, rounded up")
                .isBetween(token.expiresAt(), token.expiresAt().plusSeconds(1));
        assertThat(repository.find(ids.next(IdPrefix.SESSION))).isEmpty();
        assertThat(repository.findRefreshToken("nope")).isEmpty();
        assertThatThrownBy(() -> repository.create(session, token)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void applicationFamilyWhenStartedRotatedAndRevokedThenTheBindingRoundTrips() {
        TokenResponse signIn = login();
        RefreshFamilies families = new RefreshFamilies(repository, crypto, policy, audit, ids, clock, random);
        String clientId = ids.next(IdPrefix.APPLICATION);
        RefreshFamilies.Started started = families.startForApplication(signIn.sessionId(), clientId,
                List.of("openid", "email", "offline_access"), List.of("pwd"), T0).orElseThrow();

        Session family = repository.find(started.familyId()).orElseThrow();
        assertThat(family.application()).contains(new SessionApplication(clientId, signIn.sessionId(),
                List.of("openid", "email", "offline_access")));
        assertThat(family.absoluteExpiresAt()).isEqualTo(repository.find(signIn.sessionId()).orElseThrow()
                .absoluteExpiresAt());
        assertThat(family.amr()).containsExactly("pwd");
        String tokenId = crypto.tokenId(started.token());
        assertThat(repository.rotate(new Rotation(family.sessionId(), 1, tokenId, "next-" + family.sessionId(),
                "sealed", T0, T0.plus(Duration.ofDays(1)), family.refreshTokenExpiry()))).isTrue();
        assertThat(repository.revoke(family.sessionId(), T0, SessionEndReason.SIGN_IN_SESSION_ENDED)).isTrue();

        Session revoked = repository.find(family.sessionId()).orElseThrow();
        assertThat(revoked.application()).isEqualTo(family.application());
        assertThat(revoked.generation()).isEqualTo(2);
        assertThat(revoked.revokeReason()).contains(SessionEndReason.SIGN_IN_SESSION_ENDED);
        assertThat(refresh.refresh(signIn.refreshToken(), "203.0.113.10", "req").refreshToken())
                .as("the sign-in session is untouched").startsWith("lkr_");
        assertThat(families.startForApplication(family.sessionId(), clientId, List.of("openid", "offline_access"),
                List.of("pwd"), T0))
                .as("a family is no sign-in session").isEmpty();
    }

    @Test
    void rotateIsSingleUseAndRevokeIsConditional() {
        Session session = Session.start(ids.next(IdPrefix.SESSION), user.id(), org, List.of("pwd"), T0, policy);
        String first = "first-" + session.sessionId();
        repository.create(session, RefreshTokenRecord.active(first, session.sessionId(), 1,
                session.refreshTokenExpiry()));
        Instant now = T0.plusSeconds(60);
        Rotation rotation = new Rotation(session.sessionId(), 1, first, "second-" + session.sessionId(), "sealed",
                now, now.plus(policy.idleLifetime()), session.refreshTokenExpiry());

        assertThat(repository.rotate(rotation)).isTrue();
        assertThat(repository.rotate(new Rotation(session.sessionId(), 1, first, "third-" + session.sessionId(),
                "sealed", now, now.plus(policy.idleLifetime()), session.refreshTokenExpiry())))
                .as("the same token rotates once").isFalse();
        assertThat(repository.findRefreshToken("third-" + session.sessionId())).as("nothing half-written").isEmpty();
        RefreshTokenRecord rotated = repository.findRefreshToken(first).orElseThrow();
        assertThat(rotated.state()).isEqualTo(RefreshTokenState.ROTATED);
        assertThat(rotated.rotatedAt()).contains(now);
        assertThat(rotated.successorSealed()).contains("sealed");
        Session advanced = repository.find(session.sessionId()).orElseThrow();
        assertThat(advanced.generation()).isEqualTo(2);
        assertThat(advanced.lastUsedAt()).isEqualTo(now);
        assertThat(advanced.idleExpiresAt()).isEqualTo(now.plus(policy.idleLifetime()));

        assertThat(repository.revoke(session.sessionId(), now, SessionEndReason.LOGOUT)).isTrue();
        assertThat(repository.revoke(session.sessionId(), now, SessionEndReason.LOGOUT)).isFalse();
        assertThat(repository.revoke(ids.next(IdPrefix.SESSION), now, SessionEndReason.LOGOUT)).isFalse();
        assertThat(repository.rotate(new Rotation(session.sessionId(), 2, "second-" + session.sessionId(),
                "fourth-" + session.sessionId(), "sealed", now, now, session.refreshTokenExpiry())))
                .as("a revoked session does not rotate").isFalse();
        Session revoked = repository.find(session.sessionId()).orElseThrow();
        assertThat(revoked.status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(revoked.revokeReason()).contains(SessionEndReason.LOGOUT);
    }

    @Test
    void rotateWhenSessionIdleExpiredThenRefused() {
        Session session = Session.start(ids.next(IdPrefix.SESSION), user.id(), org, List.of("pwd"), T0, policy);
        repository.create(session, RefreshTokenRecord.active("x-" + session.sessionId(), session.sessionId(), 1,
                session.refreshTokenExpiry()));
        Instant late = session.idleExpiresAt();
        assertThat(repository.rotate(new Rotation(session.sessionId(), 1, "x-" + session.sessionId(),
                "y-" + session.sessionId(), "sealed", late, late, session.refreshTokenExpiry()))).isFalse();
    }

    @Test
    void findByUserReturnsTheUsersSessionsNewestFirstThroughTheIndex() {
        UserProfile someone = new UserProfile(ids.next(IdPrefix.USER), "x@example.com", "X");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Session session = Session.start(ids.next(IdPrefix.SESSION), someone.id(), org, List.of("pwd"),
                    clock.instant(), policy);
            repository.create(session, RefreshTokenRecord.active("u-" + session.sessionId(), session.sessionId(), 1,
                    session.refreshTokenExpiry()));
            created.add(0, session.sessionId());
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(repository.findByUser(someone.id())).extracting(Session::sessionId)
                .containsExactlyElementsOf(created);
    }

    @Test
    @DisplayName("[10.4.5] through the table: rotation on every use; replay after the grace revokes the family")
    void refreshWhenRotatedTokenReplayedAfterGraceThenFamilyRevoked() {
        TokenResponse login = login();
        TokenResponse next = refresh(login.refreshToken());
        TokenResponse third = refresh(next.refreshToken());
        assertThat(List.of(login.refreshToken(), next.refreshToken(), third.refreshToken())).doesNotHaveDuplicates();
        clock.advance(policy.reuseGrace().plusSeconds(1));

        assertThatThrownBy(() -> refresh(login.refreshToken())).isInstanceOf(SessionException.class);
        assertThatThrownBy(() -> refresh(third.refreshToken())).as("the newest token dies with the family")
                .isInstanceOf(SessionException.class);
        assertThat(repository.find(login.sessionId()).orElseThrow().revokeReason())
                .contains(SessionEndReason.REFRESH_TOKEN_REUSE);
        assertThat(audit.events("session.refresh_reuse_detected")).hasSize(1);
    }

    @Test
    @DisplayName("[10.4.5] two parallel refreshes with one token: both succeed, same new token, one rotation")
    void refreshWhenParallelRequestsWithOneTokenThenSameSuccessorAndGenerationAdvancesOnce() throws Exception {
        int threads = 8;
        TokenResponse login = login();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TokenResponse>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return refresh(login.refreshToken());
                }));
            }
            go.countDown();
            List<String> newTokens = new ArrayList<>();
            for (Future<TokenResponse> result : results) {
                newTokens.add(result.get().refreshToken());
            }
            assertThat(newTokens).hasSize(threads).containsOnly(newTokens.get(0));
            assertThat(newTokens.get(0)).isNotEqualTo(login.refreshToken());
        } finally {
            pool.shutdownNow();
        }
        Session session = repository.find(login.sessionId()).orElseThrow();
        assertThat(session.generation()).isEqualTo(2);
        assertThat(session.status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(audit.events("session.refresh_reuse_detected")).isEmpty();
    }

    @Test
    @DisplayName("[10.4.5] a lost response: retrying within the grace returns the same successor")
    void refreshWhenRetriedWithinGraceThenSameSuccessor() {
        TokenResponse login = login();
        TokenResponse lost = refresh(login.refreshToken());
        clock.advance(Duration.ofSeconds(9));
        assertThat(refresh(login.refreshToken()).refreshToken()).isEqualTo(lost.refreshToken());
        assertThat(repository.find(login.sessionId()).orElseThrow().generation()).isEqualTo(2);
        TokenResponse after = refresh(lost.refreshToken());
        assertThat(new AccessTokenVerifier(keys, ISSUER, Set.of(ISSUER), clock).verify(after.accessToken()).claims()
                .sessionId()).contains(login.sessionId());
    }

    @Test
    @DisplayName("[10.4.8] idle and absolute expiry through the table")
    void refreshWhenIdleOrAbsoluteExpiredThenInvalidGrant() {
        TokenResponse idle = login();
        clock.advance(policy.idleLifetime());
        assertThatThrownBy(() -> refresh(idle.refreshToken())).isInstanceOf(SessionException.class);

        clock.set(T0.plus(Duration.ofDays(1)));
        String token = login().refreshToken();
        for (int week = 0; week < 4; week++) {
            clock.advance(Duration.ofDays(7));
            token = refresh(token).refreshToken();
        }
        clock.set(T0.plus(Duration.ofDays(31)));
        String last = token;
        assertThatThrownBy(() -> refresh(last)).isInstanceOf(SessionException.class);
        assertThat(audit.events("session.refresh_failed")).extracting(e -> e.details().get("reason"))
                .containsExactly("idle_expired", "absolute_expired");
    }

    @Test
    @DisplayName("[7.4.1] RFC 7009 revoke through the table: the session ends, refresh fails")
    void revokeThenRefreshFails() {
        TokenResponse login = login();
        new RevokeToken(repository, crypto, audit, ids, clock).revoke(login.refreshToken(), "203.0.113.10", "r");
        assertThatThrownBy(() -> refresh(login.refreshToken())).isInstanceOf(SessionException.class);
    }

    @Test
    @DisplayName("Issue 11 §1/§5: one consistent batch read gives the session and the jti's deny-list entry")
    void findAccessTokenRecordsWhenDeniedAndEndedThenBothSeen() {
        TokenResponse login = login();
        AccessTokenClaims claims = new AccessTokenVerifier(keys, ISSUER, Set.of(ISSUER), clock)
                .verify(login.accessToken()).claims();
        LiveAccessTokens live = new LiveAccessTokens(repository, clock);

        AccessTokenRecords fresh = repository.findAccessTokenRecords(claims.jwtId(), claims.sessionId());
        assertThat(fresh.session().map(Session::sessionId)).contains(login.sessionId());
        assertThat(fresh.revoked()).isFalse();
        assertThat(live.failure(claims)).isEmpty();

        Instant until = claims.expiresAt().plus(AccessTokenVerifier.MAX_LEEWAY);
        assertThat(repository.denyAccessToken(claims.jwtId(), clock.instant(), until)).isTrue();
        assertThat(repository.denyAccessToken(claims.jwtId(), clock.instant(), until)).isFalse();
        assertThat(repository.findAccessTokenRecords(claims.jwtId(), claims.sessionId()).revoked()).isTrue();
        assertThat(repository.findAccessTokenRecords(claims.jwtId(), Optional.empty()))
                .isEqualTo(new AccessTokenRecords(Optional.empty(), true));
        assertThat(live.failure(claims)).contains(InvalidTokenException.Reason.REVOKED);
        Map<String, AttributeValue> item = emulated.client().getItem(g -> g.tableName(EmulatedTable.TABLE)
                .key(Map.of(LatchkeyTable.PK, AttributeValue.fromS("REVOKED_JTI#" + claims.jwtId()),
                        LatchkeyTable.SK, AttributeValue.fromS("REVOKED_JTI"))).consistentRead(true)).item();
        assertThat(item.get(LatchkeyTable.TTL_ATTRIBUTE).n()).as("TTL = the token's remaining life + leeway")
                .isEqualTo(Long.toString(until.getEpochSecond()));

        TokenResponse other = login();
        AccessTokenClaims otherClaims = new AccessTokenVerifier(keys, ISSUER, Set.of(ISSUER), clock)
                .verify(other.accessToken()).claims();
        new RevokeToken(repository, crypto, audit, ids, clock).revoke(other.refreshToken(), "203.0.113.10", "r");
        assertThat(repository.findAccessTokenRecords(otherClaims.jwtId(), otherClaims.sessionId()).session()
                .map(Session::status)).contains(SessionStatus.REVOKED);
        assertThat(live.failure(otherClaims)).contains(InvalidTokenException.Reason.SESSION_ENDED);
        assertThat(repository.findAccessTokenRecords("nope", Optional.of("ses_01JD3ZK8W6Q4V8S2M9N7T5R3P1")))
                .isEqualTo(new AccessTokenRecords(Optional.empty(), false));
    }

    @Test
    @DisplayName("[10.4.5] no stored item holds a token in plaintext (scan of the whole table)")
    void storedItemsContainNoPlaintextToken() {
        TokenResponse login = login();
        TokenResponse next = refresh(login.refreshToken());
        TokenResponse third = refresh(next.refreshToken());
        List<String> secrets = new ArrayList<>();
        for (TokenResponse response : List.of(login, next, third)) {
            secrets.add(response.refreshToken());
            secrets.add(response.refreshToken().substring(4));
            secrets.add(response.accessToken());
        }
        List<Map<String, AttributeValue>> items = emulated.client().scan(s -> s.tableName(EmulatedTable.TABLE))
                .items();
        assertThat(items).anySatisfy(item -> assertThat(item.get(LatchkeyTable.PK).s()).startsWith("REFRESH#"));
        assertThat(items).anySatisfy(item -> assertThat(item.get(LatchkeyTable.PK).s()).isEqualTo("SECRET"));
        for (Map<String, AttributeValue> item : items) {
            assertThat(item.toString()).doesNotContain(secrets);
        }
    }

    @Test
    void storeDownThenStoreUnavailable() {
        try (DynamoDbClient dead = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:9"))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
            DynamoDbSessionRepository down = new DynamoDbSessionRepository(dead, EmulatedTable.TABLE);
            assertThatThrownBy(() -> down.find(ids.next(IdPrefix.SESSION)))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> down.revoke(ids.next(IdPrefix.SESSION), T0, SessionEndReason.LOGOUT))
                    .isInstanceOf(StoreUnavailableException.class);
            DynamoDbPeppers peppers = new DynamoDbPeppers(dead, EmulatedTable.TABLE, vault, random, clock);
            assertThatThrownBy(() -> peppers.pepper("refresh-token")).isInstanceOf(StoreUnavailableException.class);
        }
    }
}
