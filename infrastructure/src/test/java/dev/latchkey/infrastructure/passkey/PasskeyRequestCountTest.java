package dev.latchkey.infrastructure.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.mail.RecordingMailer;
import dev.latchkey.core.passkey.FinishPasskeyLogin;
import dev.latchkey.core.passkey.DecoyCredentials;
import dev.latchkey.core.passkey.FinishPasskeyRegistration;
import dev.latchkey.core.passkey.ManagePasskeys;
import dev.latchkey.core.passkey.Passkey;
import dev.latchkey.core.passkey.PasskeyException;
import dev.latchkey.core.passkey.PasskeyOptions;
import dev.latchkey.core.passkey.PasskeyPolicy;
import dev.latchkey.core.passkey.SoftwareAuthenticator.Emulation;
import dev.latchkey.core.passkey.SoftwareAuthenticator;
import dev.latchkey.core.passkey.StartPasskeyLogin;
import dev.latchkey.core.passkey.PasskeyRegistrationLimits;
import dev.latchkey.core.passkey.StartPasskeyRegistration;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.vault.Peppers;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.ratelimit.DynamoDbRateLimiter;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB requests of each passkey call, counted on a real SDK client against the emulated table with the
 * real adapters (docs/data-model.md, the passkey rows). Signing keys come from an in-memory ring (their reads are
 * per container, not per request); peppers are read once per container and warmed up before counting.
 */
class PasskeyRequestCountTest {

    private static final String ORIGIN = "https://id.example.com";
    private static final RequestOrigin REQUEST = RequestOrigin.of("203.0.113.10", "req-1");
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();

    private static EmulatedTable emulated;
    private static DynamoDbClient counting;

    private final SessionFixture f = new SessionFixture();
    private final PasskeyPolicy policy = PasskeyPolicy.of("id.example.com", "Latchkey", List.of(ORIGIN));
    private DynamoDbUserRepository users;
    private StartPasskeyRegistration startRegistration;
    private FinishPasskeyRegistration finishRegistration;
    private StartPasskeyLogin startLogin;
    private FinishPasskeyLogin finishLogin;
    private ManagePasskeys manage;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        counting = emulated.countingClient(REQUESTS);
    }

    @AfterAll
    static void stop() {
        counting.close();
        emulated.close();
    }

    @BeforeEach
    void wire() {
        String table = EmulatedTable.TABLE;
        DynamoDbAuditLog auditLog = new DynamoDbAuditLog(counting, table, f.clock);
        users = new DynamoDbUserRepository(counting, table, auditLog);
        DynamoDbPasskeyRepository passkeys = new DynamoDbPasskeyRepository(counting, table, auditLog);
        DynamoDbPasskeyChallenges challenges = new DynamoDbPasskeyChallenges(counting, table);
        DynamoDbPeppers peppers = new DynamoDbPeppers(counting, table,
                LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, f.random),
                f.random, f.clock);
        DynamoDbRateLimiter rateLimiter = new DynamoDbRateLimiter(counting, table, f.clock);
        StartSession sessions = new StartSession(new DynamoDbSessionRepository(counting, table),
                new RefreshTokenCrypto(peppers, f.random), f.tokens, f.policy, auditLog, f.ids, f.clock, f.random);
        startRegistration = new StartPasskeyRegistration(users, passkeys, challenges, policy,
                PasskeyRegistrationLimits.DEFAULTS, f.random, f.clock);
        finishRegistration = new FinishPasskeyRegistration(users, passkeys, challenges, policy,
                new DecoyCredentials(peppers), PasskeyRegistrationLimits.DEFAULTS, rateLimiter, new RecordingMailer(),
                URI.create("https://id.example.com/v1/users/me/passkeys"), auditLog, f.ids, f.clock);
        startLogin = new StartPasskeyLogin(users, passkeys, challenges, peppers, rateLimiter,
                StartPasskeyLogin.DEFAULT_IP_LIMIT, policy, f.random, f.clock);
        finishLogin = new FinishPasskeyLogin(users, passkeys, challenges, sessions, rateLimiter,
                FinishPasskeyLogin.DEFAULT_IP_LIMIT, policy, new RecordingMailer(),
                URI.create("https://id.example.com/v1/users/me/passkeys"), auditLog, f.ids, f.clock);
        manage = new ManagePasskeys(users, passkeys, f.ids, f.clock);
        peppers.pepper(Peppers.REFRESH_TOKEN);
        peppers.pepper(Peppers.PASSKEY_DECOY);
    }

    private User account(String email) {
        String userId = f.ids.next(IdPrefix.USER);
        String orgId = f.ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Ada Lovelace", "$argon2id$placeholder", true,
                f.clock.instant(), orgId);
        users.create(new NewAccount(user, new PersonalOrganization(orgId, "Ada's organization", f.clock.instant(),
                userId), AuditEvent.builder(f.ids, f.clock).organizationId(orgId).actor(Actor.user(userId))
                .action("account.registered").requestId("req-0").build()));
        return user;
    }

    private static Map<String, Integer> counted(Runnable call) {
        REQUESTS.clear();
        call.run();
        Map<String, Integer> counts = new TreeMap<>();
        REQUESTS.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }

    @Test
    void eachCallCostsTheDocumentedRequests() {
        String email = "count-" + f.ids.next(IdPrefix.USER).toLowerCase() + "@example.com";
        User ada = account(email);
        AuthenticatedUser caller = new AuthenticatedUser(ada.id(), "ses_01JAAAAAAAAAAAAAAAAAAAAAAA", List.of("pwd"),
                Optional.of(f.clock.instant()));
        SoftwareAuthenticator key = new SoftwareAuthenticator();

        PasskeyOptions[] registration = new PasskeyOptions[1];
        assertThat(counted(() -> registration[0] = startRegistration.start(caller, REQUEST)))
                .as("first registration options: profile, handle read and put, passkeys, challenge")
                .isEqualTo(Map.of("GetItem", 2, "PutItem", 2, "Query", 1));
        String json = key.register(registration[0].publicKey(), Emulation.at(ORIGIN)).json();
        Passkey[] passkey = new Passkey[1];
        assertThat(counted(() -> passkey[0] = finishRegistration.finish(caller, registration[0].challengeId(), json,
                Optional.empty(), REQUEST)))
                .as("registration verify: user and IP buckets, profile, challenge delete, credential-id lookup,"
                        + " passkey + lookup + event")
                .isEqualTo(Map.of("UpdateItem", 2, "DeleteItem", 1, "GetItem", 2, "TransactWriteItems", 1));
        assertThat(counted(() -> startRegistration.start(caller, REQUEST)))
                .as("later registration options").isEqualTo(Map.of("GetItem", 2, "PutItem", 1, "Query", 1));

        PasskeyOptions[] usernameless = new PasskeyOptions[1];
        assertThat(counted(() -> usernameless[0] = startLogin.start(Optional.empty(), REQUEST)))
                .as("usernameless login options: rate counter, challenge")
                .isEqualTo(Map.of("PutItem", 1, "UpdateItem", 1));
        assertThat(counted(() -> startLogin.start(Optional.of(email), REQUEST)))
                .as("login options with an email: rate counter, claim, profile, passkeys, challenge")
                .isEqualTo(Map.of("GetItem", 2, "PutItem", 1, "Query", 1, "UpdateItem", 1));
        assertThat(counted(() -> startLogin.start(Optional.of("nobody-at-all@example.com"), REQUEST)))
                .as("the same for an unknown email")
                .isEqualTo(Map.of("GetItem", 2, "PutItem", 1, "Query", 1, "UpdateItem", 1));

        String assertion = key.authenticate(usernameless[0].publicKey(), Emulation.at(ORIGIN));
        assertThat(counted(() -> finishLogin.finish(usernameless[0].challengeId(), assertion, REQUEST)))
                .as("login verify: rate counter, challenge delete, lookup, profile, counter update, session "
                        + "(transaction + session.started), auth.passkey.succeeded")
                .isEqualTo(Map.of("DeleteItem", 1, "GetItem", 2, "PutItem", 2, "TransactWriteItems", 2,
                        "UpdateItem", 1));
        PasskeyOptions replayOptions = startLogin.start(Optional.empty(), REQUEST);
        String bad = key.authenticate(replayOptions.publicKey(), Emulation.at("https://evil.example"));
        assertThat(counted(() -> catchThrowableOfType(PasskeyException.class,
                () -> finishLogin.finish(replayOptions.challengeId(), bad, REQUEST))))
                .as("failed login verify: rate counter, challenge delete, lookup, profile, auth.passkey.failed")
                .isEqualTo(Map.of("DeleteItem", 1, "GetItem", 2, "PutItem", 1, "UpdateItem", 1));
        assertThat(counted(() -> catchThrowableOfType(PasskeyException.class,
                () -> finishLogin.finish(replayOptions.challengeId(), bad, REQUEST))))
                .as("replayed or unknown challenge: rate counter, challenge delete, auth.passkey.failed")
                .isEqualTo(Map.of("DeleteItem", 1, "PutItem", 1, "UpdateItem", 1));

        // Issue 20 §2: an unknown credential id costs what a known one does (the lookup, a user read, the event).
        SoftwareAuthenticator stranger = new SoftwareAuthenticator();
        stranger.register(startRegistration.start(caller, REQUEST).publicKey(), Emulation.at(ORIGIN));
        PasskeyOptions unknownOptions = startLogin.start(Optional.empty(), REQUEST);
        String unknown = stranger.authenticate(unknownOptions.publicKey(), Emulation.at(ORIGIN));
        assertThat(counted(() -> catchThrowableOfType(PasskeyException.class,
                () -> finishLogin.finish(unknownOptions.challengeId(), unknown, REQUEST))))
                .as("unknown credential id: the same requests as a failed login under a known one")
                .isEqualTo(Map.of("DeleteItem", 1, "GetItem", 2, "PutItem", 1, "UpdateItem", 1));

        assertThat(counted(() -> manage.list(ada.id()))).isEqualTo(Map.of("Query", 1));
        assertThat(counted(() -> manage.rename(ada.id(), passkey[0].id(), "Laptop", REQUEST)))
                .isEqualTo(Map.of("GetItem", 1, "Query", 1, "TransactWriteItems", 1));
        assertThat(counted(() -> manage.delete(ada.id(), passkey[0].id(), REQUEST)))
                .isEqualTo(Map.of("GetItem", 1, "Query", 1, "TransactWriteItems", 1));
    }
}
