package dev.latchkey.infrastructure.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.apikey.ApiKeyCache;
import dev.latchkey.core.apikey.ApiKeyHasher;
import dev.latchkey.core.apikey.InspectApiKey;
import dev.latchkey.core.apikey.ManageApiKeys;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.InMemoryKeyRingRepository;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.principal.SensitiveOperations;
import dev.latchkey.core.revocation.RevocationResult;
import dev.latchkey.core.revocation.RevokeOAuthToken;
import dev.latchkey.core.session.LiveAccessTokens;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.RevokeToken;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.InvalidTokenException;
import dev.latchkey.core.vault.InMemoryKeyVault;
import dev.latchkey.core.vault.InMemoryPeppers;
import dev.latchkey.infrastructure.apikey.DynamoDbApiKeyRepository;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The price of Issue 11 §1 and §5, counted on a real SDK client against the emulated table with the real adapters
 * (docs/data-model.md "access-token check", docs/performance.md): authenticating a management request costs exactly
 * one DynamoDB request — a strongly consistent {@code BatchGetItem} of the session and the {@code jti}'s deny-list
 * item — whether the token is live, revoked or of an ended session; revoking an access token costs the deny-list
 * {@code PutItem} and the audit event's.
 */
class AccessTokenCheckRequestCountTest {

    /** The step-up is not this test's subject (see the core use-case tests): the table is. */
    private static final SensitiveOperations NO_STEP_UP = user -> { };

    private static final String ISSUER = "https://id.example.com";
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();

    private static EmulatedTable emulated;
    private static DynamoDbClient counting;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final SecureRandom random = new SecureRandom();
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    private final SessionPolicy policy = SessionPolicy.defaults();
    private final InMemoryKeyRingRepository ring = new InMemoryKeyRingRepository();
    private final InMemoryKeyVault vault = new InMemoryKeyVault();
    private final CurrentKeys keys = new CurrentKeys(ring, vault, KeyPolicy.defaults(), clock, Duration.ofMinutes(5));
    private final SessionTokens tokens = new SessionTokens(keys, () -> ISSUER, policy, clock, random);
    private final RefreshTokenCrypto crypto = new RefreshTokenCrypto(new InMemoryPeppers(), random);

    @BeforeAll
    static void startEmulator() {
        emulated = EmulatedTable.start();
        counting = emulated.countingClient(REQUESTS);
    }

    @AfterAll
    static void stopEmulator() {
        counting.close();
        emulated.close();
    }

    AccessTokenCheckRequestCountTest() {
        new RotateSigningKeys(ring, vault, KeyPolicy.defaults(), new InMemoryAuditLog(clock), ids, clock, random)
                .run("setup");
    }

    private static Map<String, Integer> counted(Runnable call) {
        REQUESTS.clear();
        call.run();
        Map<String, Integer> counts = new TreeMap<>();
        REQUESTS.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }

    @Test
    void authenticatingAManagementRequestCostsOneBatchGetItem() {
        DynamoDbSessionRepository sessions = new DynamoDbSessionRepository(counting, EmulatedTable.TABLE);
        DynamoDbAuditLog audit = new DynamoDbAuditLog(counting, EmulatedTable.TABLE, clock);
        StartSession start = new StartSession(sessions, crypto, tokens, policy, audit, ids, clock, random);
        UserProfile user = new UserProfile(ids.next(IdPrefix.USER), "ada@example.com", "Ada");
        BearerAuthentication bearer = new BearerAuthentication(
                new AccessTokenVerifier(keys, ISSUER, Set.of(ISSUER), clock), new LiveAccessTokens(sessions, clock));
        DynamoDbApiKeyRepository apiKeys = new DynamoDbApiKeyRepository(counting, EmulatedTable.TABLE, audit);
        ApiKeyHasher hasher = new ApiKeyHasher(new InMemoryPeppers());
        RevokeOAuthToken revoke = new RevokeOAuthToken(keys, () -> ISSUER, sessions,
                new RevokeToken(sessions, crypto, audit, ids, clock), new InspectApiKey(apiKeys, hasher, clock),
                new ManageApiKeys(apiKeys, hasher, ApiKeyCache.disabled(clock), ids, random, clock, NO_STEP_UP), audit,
                ids, clock);
        TokenResponse login = start.start(new StartSessionCommand(user, ids.next(IdPrefix.ORGANIZATION),
                List.of("pwd"), "203.0.113.10", "req-login"));
        TokenResponse ended = start.start(new StartSessionCommand(user, ids.next(IdPrefix.ORGANIZATION),
                List.of("pwd"), "203.0.113.10", "req-login"));
        sessions.revoke(ended.sessionId(), clock.instant(), SessionEndReason.LOGOUT);

        assertThat(counted(() -> bearer.authenticate(Optional.of(login.accessToken()))))
                .as("a live token: session + deny-list in one consistent BatchGetItem")
                .isEqualTo(Map.of("BatchGetItem", 1));
        assertThat(counted(() -> catchThrowableOfType(InvalidTokenException.class,
                () -> bearer.authenticate(Optional.of(ended.accessToken())))))
                .as("a token of an ended session: the same one request").isEqualTo(Map.of("BatchGetItem", 1));
        assertThat(counted(() -> catchThrowableOfType(InvalidTokenException.class,
                () -> bearer.authenticate(Optional.of("a.b.c")))))
                .as("a token that does not verify: no request").isEqualTo(Map.of());

        RevocationResult[] result = new RevocationResult[1];
        assertThat(counted(() -> result[0] = revoke.revoke(login.accessToken(), Optional.empty(),
                RequestOrigin.of("203.0.113.10", "req-revoke"))))
                .as("revoking an access token: the deny-list entry and the audit event")
                .isEqualTo(Map.of("PutItem", 2));
        assertThat(result[0]).isEqualTo(RevocationResult.ACCESS_TOKEN_REVOKED);
        assertThat(counted(() -> catchThrowableOfType(InvalidTokenException.class,
                () -> bearer.authenticate(Optional.of(login.accessToken())))).entrySet())
                .as("a revoked token: still the one request").containsExactly(Map.entry("BatchGetItem", 1));
    }
}
