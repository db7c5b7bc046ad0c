package dev.latchkey.infrastructure.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.AccountException;
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
import dev.latchkey.core.passkey.Passkey;
import dev.latchkey.core.passkey.PasskeyException;
import dev.latchkey.core.passkey.PasskeyOptions;
import dev.latchkey.core.passkey.SoftwareAuthenticator.Emulation;
import dev.latchkey.core.passkey.SoftwareAuthenticator;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.TokenResponse;
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
 * The {@link CompositionRoot} on a real runtime against the emulated table: one instance of each part per root and
 * none shared between roots; whole passkey ceremonies through the real adapters, the bearer authentication of the
 * tokens a passkey login issues, and ten parallel finishes of one login response, of which exactly one gets tokens;
 * the parts that need an issuer fail without one, naming it, and the token endpoint's parts do not.
 */
class CompositionRootTest {

    /** The local server's issuer: RP id {@code localhost}, origin {@code http://localhost:3000}. */
    private static final String ORIGIN = LambdaHarness.ISSUER;
    private static final RequestOrigin REQUEST = RequestOrigin.of("203.0.113.10", "req-1");

    private static EmulatedTable emulated;
    private static LatchkeyRuntime runtime;
    private static CompositionRoot root;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        runtime = LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(LambdaHarness.localVariables(emulated),
                "test"), Map.of());
        root = new CompositionRoot(runtime);
        root.rotateSigningKeys().run("setup");
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
        root.users().create(
                new NewAccount(user, new PersonalOrganization(orgId, "Ada's organization", runtime.clock().instant(),
                        userId), AuditEvent.builder(runtime.ids(), runtime.clock()).organizationId(orgId)
                        .actor(Actor.user(userId)).action("account.registered").requestId("req-0").build()));
        return user;
    }

    private static Passkey register(User user, SoftwareAuthenticator authenticator) {
        AuthenticatedUser caller = new AuthenticatedUser(user.id(), "ses_01JAAAAAAAAAAAAAAAAAAAAAAA", List.of("pwd"),
                Optional.of(runtime.clock().instant()));
        PasskeyOptions options = root.startPasskeyRegistration().start(caller, REQUEST);
        String json = authenticator.register(options.publicKey(), Emulation.at(ORIGIN)).json();
        return root.finishPasskeyRegistration().finish(caller, options.challengeId(), json, Optional.of("Laptop"),
                REQUEST);
    }

    @Test
    void partWhenAskedTwiceThenTheSameInstanceAndThePasskeyPolicyFollowsTheIssuer() {
        assertThat(root.bearer()).isSameAs(root.bearer());
        assertThat(root.passkeyPolicy().rpId()).isEqualTo("localhost");
        assertThat(root.passkeyPolicy().allowedOrigins()).containsExactly("http://localhost:3000");
    }

    @Test
    void sessionStackWhenAskedByLoginPasskeyAndTokenPartsThenBuiltOnce() {
        assertThat(root.startSession()).isSameAs(root.startSession());
        assertThat(root.sessionTokens()).isSameAs(root.sessionTokens());
        assertThat(root.refreshTokenCrypto()).isSameAs(root.refreshTokenCrypto());
        assertThat(root.peppers()).isSameAs(root.peppers());
        assertThat(root.verifyApiKey()).isSameAs(root.verifyApiKey());
        assertThat(root.apiKeyCache()).isSameAs(root.apiKeyCache());
        assertThat(root.callerAuthentication()).isSameAs(root.callerAuthentication());
    }

    @Test
    void twoRootsWhenBuiltThenShareNoPart() {
        CompositionRoot other = new CompositionRoot(runtime);

        assertThat(other.startSession()).isNotSameAs(root.startSession());
        assertThat(other.peppers()).isNotSameAs(root.peppers());
        assertThat(other.apiKeyCache()).isNotSameAs(root.apiKeyCache());
    }

    @Test
    void passwordPartsWhenWiredThenTheDictionariesLoadOnlyAtWarmUpOrTheFirstEstimate() {
        CompositionRoot fresh = new CompositionRoot(runtime);
        fresh.warmUp(); // nothing wired yet: nothing to warm
        fresh.passwordLogin();
        fresh.registerUser();

        assertThat(fresh.passwordStrength().isBuilt()).as("wiring loads no dictionary").isFalse();
        fresh.passwordPolicy().normalize("login normalizes without estimating");
        assertThat(fresh.passwordStrength().isBuilt()).isFalse();

        fresh.warmUp();
        assertThat(fresh.passwordStrength().isBuilt()).isTrue();
        assertThat(catchThrowableOfType(AccountException.class,
                () -> fresh.passwordPolicy().accept("password1234", List.of())).reason())
                .isEqualTo(AccountException.Reason.TOO_COMMON);
    }

    @Test
    void registerLogInUsernamelessAndManageThroughTheRealAdapters() {
        User ada = account("ada-" + runtime.ids().next(IdPrefix.USER).toLowerCase() + "@example.com");
        SoftwareAuthenticator key = new SoftwareAuthenticator(SoftwareAuthenticator.Algorithm.EDDSA);
        Passkey passkey = register(ada, key);

        PasskeyOptions options = root.startPasskeyLogin().start(Optional.empty(), REQUEST);
        TokenResponse tokens = root.finishPasskeyLogin().finish(options.challengeId(),
                key.authenticate(options.publicKey(), Emulation.at(ORIGIN)), REQUEST);

        assertThat(root.bearer().authenticate(Optional.of(tokens.accessToken())).userId()).isEqualTo(ada.id());
        assertThat(root.managePasskeys().list(ada.id())).singleElement().satisfies(stored -> {
            assertThat(stored.id()).isEqualTo(passkey.id());
            assertThat(stored.signCount()).isEqualTo(1);
            assertThat(stored.lastUsedAt()).isPresent();
        });
        assertThat(runtime.auditLog().find(ada.personalOrganizationId(), AuditQuery.latest()).events())
                .extracting(AuditEvent::action)
                .contains("passkey.added", "auth.passkey.succeeded", "session.started");
        PasskeyException last = catchThrowableOfType(PasskeyException.class,
                () -> root.managePasskeys().delete(ada.id(), passkey.id(), REQUEST));
        assertThat(last.reason()).as("no password on this account").isEqualTo("last_sign_in_method");
        Passkey second = register(ada, new SoftwareAuthenticator());
        root.managePasskeys().delete(ada.id(), passkey.id(), REQUEST);
        assertThat(root.managePasskeys().rename(ada.id(), second.id(), "Phone", REQUEST).nickname()).isEqualTo("Phone");
        assertThat(root.managePasskeys().list(ada.id())).extracting(Passkey::nickname).containsExactly("Phone");
    }

    @Test
    void finishWhenTenParallelRequestsCarryOneResponseThenExactlyOneLogsIn() throws Exception {
        User ada = account("race-" + runtime.ids().next(IdPrefix.USER).toLowerCase() + "@example.com");
        SoftwareAuthenticator key = new SoftwareAuthenticator();
        register(ada, key);
        PasskeyOptions options = root.startPasskeyLogin().start(Optional.empty(), REQUEST);
        String json = key.authenticate(options.publicKey(), Emulation.at(ORIGIN));

        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<String> outcomes = new ArrayList<>();
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                RequestOrigin origin = RequestOrigin.of("198.51.100." + (i + 1), "req-race-" + i);
                futures.add(pool.submit(() -> {
                    try {
                        return root.finishPasskeyLogin().finish(options.challengeId(), json, origin).sessionId();
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
    void issuerPartsWhenNoIssuerThenConfigExceptionNamingItAndTokenPartsStillBuild() {
        Map<String, String> variables = new HashMap<>(LambdaHarness.localVariables(emulated));
        variables.remove("LATCHKEY_ISSUER");
        try (LatchkeyRuntime noIssuer = LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(variables, "test"),
                Map.of())) {
            CompositionRoot withoutIssuer = new CompositionRoot(noIssuer);

            for (Runnable part : List.<Runnable>of(withoutIssuer::passkeyPolicy, withoutIssuer::bearer,
                    withoutIssuer::manageResources, withoutIssuer::invitations)) {
                ConfigException e = catchThrowableOfType(ConfigException.class, part::run);
                assertThat(e.problems()).singleElement().asString().contains("LATCHKEY_ISSUER");
            }
            assertThatNoException().as("the token endpoint reads the issuer at the first token").isThrownBy(() -> {
                withoutIssuer.refreshSession();
                withoutIssuer.revokeOAuthToken();
                withoutIssuer.exchangeApiKey();
                withoutIssuer.clientAuthentication();
                withoutIssuer.issueClientToken();
                withoutIssuer.introspectToken();
            });
        }
    }
}
