package dev.latchkey.infrastructure.passkey;

import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.passkey.FinishPasskeyLogin;
import dev.latchkey.core.passkey.FinishPasskeyRegistration;
import dev.latchkey.core.passkey.ManagePasskeys;
import dev.latchkey.core.passkey.PasskeyPolicy;
import dev.latchkey.core.passkey.StartPasskeyLogin;
import dev.latchkey.core.passkey.StartPasskeyRegistration;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.login.Bearers;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * The passkey parts a function needs, wired once per container from its {@link LatchkeyRuntime}: the policy
 * ({@code LatchkeyConfig.passkeyPolicy()}: {@code LATCHKEY_WEBAUTHN_*}, defaulting to the issuer), the table
 * adapters, the session start of a login (built like the login function's: {@link DynamoDbSessionRepository},
 * {@link RefreshTokenCrypto} over the {@code refresh-token} pepper, {@link SessionTokens} over the container's
 * signing keys, {@link SessionPolicy#defaults()}), the bearer authentication of the signed-in routes, and the five
 * use cases. Nothing is read or opened at construction: the peppers and keys on first use.
 *
 * <p>Needs {@code LATCHKEY_ISSUER} (the access tokens' issuer and audience, and the default RP id and origin):
 * without it construction fails with a {@code ConfigException} naming the variable, as does a bad WebAuthn
 * setting ({@code LatchkeyConfig.passkeyPolicy()}).
 */
public final class PasskeyComponents {

    private static final Map<LatchkeyRuntime, PasskeyComponents> BY_RUNTIME = new WeakHashMap<>();

    private final PasskeyPolicy policy;
    private final DynamoDbPasskeyRepository repository;
    private final DynamoDbPasskeyChallenges challenges;
    private final StartSession startSession;
    private final BearerAuthentication bearer;
    private final StartPasskeyRegistration startRegistration;
    private final FinishPasskeyRegistration finishRegistration;
    private final StartPasskeyLogin startLogin;
    private final FinishPasskeyLogin finishLogin;
    private final ManagePasskeys manage;

    /**
     * Wires everything from the runtime.
     *
     * @param runtime the container's runtime
     * @throws dev.latchkey.core.config.ConfigException without {@code LATCHKEY_ISSUER} or with a bad WebAuthn setting
     */
    public PasskeyComponents(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        String table = runtime.config().tableName();
        URI issuer = runtime.config().requireIssuer();
        this.policy = runtime.config().passkeyPolicy();
        DynamoDbAuditLog auditLog = runtime.auditLog();
        DynamoDbUserRepository users = new DynamoDbUserRepository(runtime.dynamoDb(), table, auditLog);
        this.repository = new DynamoDbPasskeyRepository(runtime.dynamoDb(), table, auditLog);
        this.challenges = new DynamoDbPasskeyChallenges(runtime.dynamoDb(), table);
        DynamoDbPeppers peppers = new DynamoDbPeppers(runtime.dynamoDb(), table, runtime.keyVault(), runtime.random(),
                runtime.clock());

        SessionPolicy sessionPolicy = SessionPolicy.defaults();
        SessionTokens tokens = new SessionTokens(runtime.currentKeys(), issuer::toString, sessionPolicy,
                runtime.clock(), runtime.random(), runtime.config().accessTokenType(),
                runtime.config().firstPartyClientId());
        DynamoDbSessionRepository sessions = new DynamoDbSessionRepository(runtime.dynamoDb(), table);
        this.startSession = new StartSession(sessions,
                new RefreshTokenCrypto(peppers, runtime.random()), tokens, sessionPolicy, auditLog, runtime.ids(),
                runtime.clock(), runtime.random());
        this.bearer = Bearers.of(runtime);

        this.startRegistration = new StartPasskeyRegistration(users, repository, challenges, policy, runtime.random(),
                runtime.clock());
        this.finishRegistration = new FinishPasskeyRegistration(users, repository, challenges, policy, auditLog,
                runtime.ids(), runtime.clock());
        this.startLogin = new StartPasskeyLogin(users, repository, challenges, peppers, runtime.rateLimiter(),
                StartPasskeyLogin.DEFAULT_IP_LIMIT, policy, runtime.random(), runtime.clock());
        this.finishLogin = new FinishPasskeyLogin(users, repository, challenges, startSession, runtime.rateLimiter(),
                FinishPasskeyLogin.DEFAULT_IP_LIMIT, policy, auditLog, runtime.ids(), runtime.clock());
        this.manage = new ManagePasskeys(users, repository, runtime.ids(), runtime.clock());
    }

    /** The runtime's one instance, built on first use. */
    public static PasskeyComponents of(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        synchronized (BY_RUNTIME) {
            return BY_RUNTIME.computeIfAbsent(runtime, PasskeyComponents::new);
        }
    }

    /** The relying party and ceremony rules in force. */
    public PasskeyPolicy policy() {
        return policy;
    }

    /** The passkeys in the table. */
    public DynamoDbPasskeyRepository repository() {
        return repository;
    }

    /** The WebAuthn challenges in the table. */
    public DynamoDbPasskeyChallenges challenges() {
        return challenges;
    }

    /** Starts the session of a passkey login. */
    public StartSession startSession() {
        return startSession;
    }

    /**
     * Authenticates the bearer token of the signed-in routes (register, manage): a live management token
     * ({@link Bearers}).
     */
    public BearerAuthentication bearer() {
        return bearer;
    }

    /** {@code POST /v1/auth/passkeys/register/options}. */
    public StartPasskeyRegistration startRegistration() {
        return startRegistration;
    }

    /** {@code POST /v1/auth/passkeys/register/verify}. */
    public FinishPasskeyRegistration finishRegistration() {
        return finishRegistration;
    }

    /** {@code POST /v1/auth/passkeys/login/options}. */
    public StartPasskeyLogin startLogin() {
        return startLogin;
    }

    /** {@code POST /v1/auth/passkeys/login/verify}. */
    public FinishPasskeyLogin finishLogin() {
        return finishLogin;
    }

    /** {@code GET /v1/users/me/passkeys}, {@code PATCH}/{@code DELETE …/{passkeyId}}. */
    public ManagePasskeys manage() {
        return manage;
    }
}
