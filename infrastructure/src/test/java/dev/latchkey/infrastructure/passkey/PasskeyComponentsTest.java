package dev.latchkey.infrastructure.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.config.ConfigException;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.passkey.Passkey;
import dev.latchkey.core.passkey.PasskeyException;
import dev.latchkey.core.passkey.PasskeyOptions;
import dev.latchkey.core.passkey.SoftwareAuthenticator.Emulation;
import dev.latchkey.core.passkey.SoftwareAuthenticator;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wiring of {@link PasskeyComponents} on a real runtime against the emulated table: whole ceremonies through
 * the real adapters, the bearer authentication of the tokens a passkey login issues, and ten parallel finishes of
 * one login response, of which exactly one gets tokens.
 */
class PasskeyComponentsTest {

    /** The local server's issuer: RP id {@code localhost}, origin {@code http://localhost:3000}. */
    private static final String ORIGIN = LambdaHarness.ISSUER;
    private static final RequestOrigin REQUEST = RequestOrigin.of("203.0.113.10", "req-1");

    private static EmulatedTable emulated;
    private static LatchkeyRuntime runtime;
    private static PasskeyComponents components;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        runtime = LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(LambdaHarness.localVariables(emulated),
                "test"), Map.of());
        new RotateSigningKeys(runtime.keyRing(), runtime.keyVault(), runtime.keyPolicy(), runtime.auditLog(),
                runtime.ids(), runtime.clock(), runtime.random()).run("setup");
        components = PasskeyComponents.of(runtime);
    }

    @AfterAll
    static void stop() {
        runtime.close();
        emulated.close();
    }

    private static User account(String email) {
        String userId = runtime.ids().next(IdPrefix.USER);
        String orgId = runtime.ids().next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Ada Lovelace", "", true, runtime.clock().instant(),
                orgId);
        new DynamoDbUserRepository(runtime.dynamoDb(), EmulatedTable.TABLE, runtime.auditLog()).create(
                new NewAccount(user, new PersonalOrganization(orgId, "Ada's organization", runtime.clock().instant(),
                        userId), AuditEvent.builder(runtime.ids(), runtime.clock()).organizationId(orgId)
                        .actor(Actor.user(userId)).action("account.registered").requestId("req-0").build()));
        return user;
    }

    private static Passkey register(User user, SoftwareAuthenticator authenticator) {
        AuthenticatedUser caller = new AuthenticatedUser(user.id(), "ses_01JAAAAAAAAAAAAAAAAAAAAAAA");
        PasskeyOptions options = components.startRegistration().start(caller, REQUEST);
        String json = authenticator.register(options.publicKey(), Emulation.at(ORIGIN)).json();
        return components.finishRegistration().finish(caller, options.challengeId(), json, Optional.of("Laptop"),
                REQUEST);
    }

    @Test
    void ofWhenCalledTwiceThenTheSameInstanceAndThePolicyFollowsTheIssuer() {
        assertThat(PasskeyComponents.of(runtime)).isSameAs(components);
        assertThat(components.policy().rpId()).isEqualTo("localhost");
        assertThat(components.policy().allowedOrigins()).containsExactly("http://localhost:3000");
    }

    @Test
    void registerLogInUsernamelessAndManageThroughTheRealAdapters() {
        User ada = account("ada-" + runtime.ids().next(IdPrefix.USER).toLowerCase() + "@example.com");
        SoftwareAuthenticator key = new SoftwareAuthenticator(SoftwareAuthenticator.Algorithm.EDDSA);
        Passkey passkey = register(ada, key);

        PasskeyOptions options = components.startLogin().start(Optional.empty(), REQUEST);
        TokenResponse tokens = components.finishLogin().finish(options.challengeId(),
                key.authenticate(options.publicKey(), Emulation.at(ORIGIN)), REQUEST);

        assertThat(components.bearer().authenticate(Optional.of(tokens.accessToken())).userId()).isEqualTo(ada.id());
        assertThat(components.manage().list(ada.id())).singleElement().satisfies(stored -> {
            assertThat(stored.id()).isEqualTo(passkey.id());
            assertThat(stored.signCount()).isEqualTo(1);
            assertThat(stored.lastUsedAt()).isPresent();
        });
        assertThat(runtime.auditLog().find(ada.personalOrganizationId(), AuditQuery.latest()).events())
                .extracting(AuditEvent::action)
                .contains("passkey.added", "auth.passkey.succeeded", "session.started");
        PasskeyException last = catchThrowableOfType(PasskeyException.class,
                () -> components.manage().delete(ada.id(), passkey.id(), REQUEST));
        assertThat(last.reason()).as("no password on this account").isEqualTo("last_sign_in_method");
        Passkey second = register(ada, new SoftwareAuthenticator());
        components.manage().delete(ada.id(), passkey.id(), REQUEST);
        assertThat(components.manage().rename(ada.id(), second.id(), "Phone", REQUEST).nickname()).isEqualTo("Phone");
        assertThat(components.manage().list(ada.id())).extracting(Passkey::nickname).containsExactly("Phone");
    }

    @Test
    void finishWhenTenParallelRequestsCarryOneResponseThenExactlyOneLogsIn() throws Exception {
        User ada = account("race-" + runtime.ids().next(IdPrefix.USER).toLowerCase() + "@example.com");
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        register(ada, key);
        PasskeyOptions options = components.startLogin().start(Optional.empty(), REQUEST);
        String json = key.authenticate(options.publicKey(), Emulation.at(ORIGIN));

        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<String> outcomes = new ArrayList<>();
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                RequestOrigin origin = RequestOrigin.of("198.51.100." + (i + 1), "req-race-" + i);
                futures.add(pool.submit(() -> {
                    try {
                        return components.finishLogin().finish(options.challengeId(), json, origin).sessionId();
                    } catch (PasskeyException e) {
                        return e.reason();
                    }
                }));
            }
            for (Future<String> future : futures) {
                outcomes.add(future.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(outcomes).filteredOn(outcome -> outcome.startsWith("ses_")).hasSize(1);
        assertThat(outcomes).filteredOn("challenge_unknown"::equals).hasSize(9);
    }

    @Test
    void constructorWhenNoIssuerThenConfigExceptionNamingIt() {
        Map<String, String> variables = new HashMap<>(LambdaHarness.localVariables(emulated));
        variables.remove("LATCHKEY_ISSUER");
        try (LatchkeyRuntime noIssuer = LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(variables, "test"),
                Map.of())) {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> new PasskeyComponents(noIssuer));

            assertThat(e.problems()).singleElement().asString().startsWith("LATCHKEY_ISSUER:");
        }
    }
}
