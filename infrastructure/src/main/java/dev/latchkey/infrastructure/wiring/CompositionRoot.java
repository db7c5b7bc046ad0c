package dev.latchkey.infrastructure.wiring;

import dev.latchkey.core.access.Authorizer;
import dev.latchkey.core.access.OrganizationMfaPolicy;
import dev.latchkey.core.admin.BootstrapDeployment;
import dev.latchkey.core.admin.DisableUser;
import dev.latchkey.core.login.CallerAuthentication;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.account.RegisterUser;
import dev.latchkey.core.account.ResendVerification;
import dev.latchkey.core.account.SendVerificationEmail;
import dev.latchkey.core.account.SignUpAttemptNotice;
import dev.latchkey.core.account.VerifyEmail;
import dev.latchkey.core.apikey.ApiKeyCache;
import dev.latchkey.core.apikey.ApiKeyHasher;
import dev.latchkey.core.apikey.ApiKeyUsage;
import dev.latchkey.core.apikey.ExchangeApiKey;
import dev.latchkey.core.apikey.InspectApiKey;
import dev.latchkey.core.apikey.ManageApiKeys;
import dev.latchkey.core.apikey.ShowVerificationAnalytics;
import dev.latchkey.core.apikey.VerificationAnalytics;
import dev.latchkey.core.apikey.VerifyApiKey;
import dev.latchkey.core.application.Applications;
import dev.latchkey.core.application.AuthenticateApplication;
import dev.latchkey.core.application.IssueSignInTokens;
import dev.latchkey.core.application.RefreshSignInTokens;
import dev.latchkey.core.application.ManageApplications;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.authorize.AuthorizationCodes;
import dev.latchkey.core.authorize.RedeemAuthorizationCode;
import dev.latchkey.core.client.AllowedResources;
import dev.latchkey.core.client.CachedClientRepository;
import dev.latchkey.core.client.ClientAssertions;
import dev.latchkey.core.client.ClientAuthentication;
import dev.latchkey.core.client.ClientRepository;
import dev.latchkey.core.client.ClientSecretHasher;
import dev.latchkey.core.client.IssueClientToken;
import dev.latchkey.core.client.ManageClients;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.config.Limits;
import dev.latchkey.core.health.CheckHealth;
import dev.latchkey.core.introspect.IntrospectToken;
import dev.latchkey.core.keys.AccessTokenMint;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.IdTokenMint;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.login.ChangePassword;
import dev.latchkey.core.login.ForgotPassword;
import dev.latchkey.core.login.LoginThrottle;
import dev.latchkey.core.login.PasswordLogin;
import dev.latchkey.core.login.ResetPassword;
import dev.latchkey.core.login.ShowCurrentUser;
import dev.latchkey.core.login.ThrottlePolicy;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.mfa.ManageMfa;
import dev.latchkey.core.mfa.MfaLogin;
import dev.latchkey.core.mfa.MfaLoginGate;
import dev.latchkey.core.mfa.QrCodes;
import dev.latchkey.core.mfa.SecondFactorVerifier;
import dev.latchkey.core.mfa.ResetMemberMfa;
import dev.latchkey.core.mfa.StepUp;
import dev.latchkey.core.mfa.TotpEnrolment;
import dev.latchkey.core.mfa.TotpSecrets;
import dev.latchkey.core.oauth.AuthorizationCodeGrant;
import dev.latchkey.core.oauth.ClientCredentialsGrant;
import dev.latchkey.core.oauth.JwtBearerGrant;
import dev.latchkey.core.oauth.OAuthClientAuthentication;
import dev.latchkey.core.oauth.OAuthProtocol;
import dev.latchkey.core.oauth.RefreshTokenGrant;
import dev.latchkey.core.oauth.TokenExchangeGrant;
import dev.latchkey.core.oauth.UserInfo;
import dev.latchkey.core.org.Invitations;
import dev.latchkey.core.org.ManageMembers;
import dev.latchkey.core.org.ManageOrganizations;
import dev.latchkey.core.passkey.DecoyCredentials;
import dev.latchkey.core.passkey.FinishPasskeyLogin;
import dev.latchkey.core.passkey.FinishPasskeyRegistration;
import dev.latchkey.core.passkey.ManagePasskeys;
import dev.latchkey.core.passkey.PasskeyPolicy;
import dev.latchkey.core.passkey.StartPasskeyLogin;
import dev.latchkey.core.passkey.StartPasskeyRegistration;
import dev.latchkey.core.principal.RecentAuthentication;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.resource.CachedResourceRepository;
import dev.latchkey.core.resource.GrantedScopes;
import dev.latchkey.core.resource.ManageGrants;
import dev.latchkey.core.resource.ManageResources;
import dev.latchkey.core.resource.ReservedAudiences;
import dev.latchkey.core.resource.ResourceRepository;
import dev.latchkey.core.resource.TokenAudiences;
import dev.latchkey.core.revocation.RevokeOAuthToken;
import dev.latchkey.core.session.EndAllSessions;
import dev.latchkey.core.session.EndSession;
import dev.latchkey.core.session.EndSessionById;
import dev.latchkey.core.session.ListSessions;
import dev.latchkey.core.session.LiveAccessTokens;
import dev.latchkey.core.session.RefreshFamilies;
import dev.latchkey.core.session.RefreshSession;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.RevokeToken;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.UserProfiles;
import dev.latchkey.core.store.RecordCache;
import dev.latchkey.core.team.ManageTeams;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.infrastructure.access.DynamoDbMembershipDirectory;
import dev.latchkey.infrastructure.account.Argon2Parameters;
import dev.latchkey.infrastructure.account.Argon2idPasswordHasher;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.account.DynamoDbVerificationTokens;
import dev.latchkey.infrastructure.account.LazyPasswordStrength;
import dev.latchkey.infrastructure.account.NbvcxzPasswordStrength;
import dev.latchkey.infrastructure.account.PhcPasswordHasher;
import dev.latchkey.infrastructure.admin.DynamoDbDeploymentInventory;
import dev.latchkey.infrastructure.admin.TableExport;
import dev.latchkey.infrastructure.admin.TableImport;
import dev.latchkey.infrastructure.apikey.DynamoDbApiKeyRepository;
import dev.latchkey.infrastructure.apikey.DynamoDbVerificationAnalytics;
import dev.latchkey.infrastructure.application.DynamoDbApplications;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.authorize.DynamoDbAuthorizationCodes;
import dev.latchkey.infrastructure.metrics.MeteredAuditLog;
import dev.latchkey.infrastructure.metrics.Metrics;
import dev.latchkey.infrastructure.client.DynamoDbAssertionReplayStore;
import dev.latchkey.infrastructure.client.DynamoDbClientRepository;
import dev.latchkey.infrastructure.login.DynamoDbLoginAttempts;
import dev.latchkey.infrastructure.login.DynamoDbPasswordResetTokens;
import dev.latchkey.infrastructure.mfa.DynamoDbMfaLoginTokens;
import dev.latchkey.infrastructure.mfa.DynamoDbMfaRepository;
import dev.latchkey.infrastructure.mfa.QrcodegenSvg;
import dev.latchkey.infrastructure.org.DynamoDbOrganizationRepository;
import dev.latchkey.infrastructure.passkey.DynamoDbPasskeyChallenges;
import dev.latchkey.infrastructure.passkey.DynamoDbPasskeyRepository;
import dev.latchkey.infrastructure.resource.DynamoDbResourceRepository;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.session.DynamoDbUserProfiles;
import dev.latchkey.infrastructure.team.DynamoDbTeamRepository;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one place that knows how Latchkey is wired: every adapter and every use case, each built once per
 * {@link LatchkeyRuntime} on first request and then shared by every function of that runtime (docs/architecture.md
 * "Wiring"). A function's {@code Application} asks it for what its routes need; the local server hands one root to
 * all its functions, so they share one session stack, one API-key cache and one usage counter; a test builds one
 * over its own runtime. Nothing here is static: two runtimes have two roots.
 *
 * <p>Each use case is one method: {@code once(Type.class, () -> new Type(…))}. Nothing is read or opened while
 * wiring (peppers on the first hash, keys on the first signature), so building at init — before a SnapStart
 * snapshot — costs no request. What differs per deployment shape (mailer, key vault, emulator endpoint) comes from
 * the runtime and its configuration, never from here.
 *
 * <p>Parts that need {@code LATCHKEY_ISSUER} read it when they are built ({@link #bearer()},
 * {@link #passkeyPolicy()}, {@link #manageResources()}, …) and fail with a {@code ConfigException} naming it; the
 * token endpoint's parts read it at the first token instead ({@link #issuer()}), so their error responses need no
 * issuer.
 */
public final class CompositionRoot {

    /** The most keys one container's API-key cache keeps. */
    public static final int API_KEY_CACHE_MAX_ENTRIES = 10_000;

    private final LatchkeyRuntime runtime;
    /** Built parts by type: one instance of each per root. Guarded by {@code this}. */
    private final Map<Class<?>, Object> built = new HashMap<>();
    /** The first-use steps of the parts wired so far, in wiring order ({@link #warmUp()}). Guarded by {@code this}. */
    private final List<Runnable> deferred = new ArrayList<>();

    /**
     * A root over the runtime; builds nothing yet.
     *
     * @param runtime what every part shares: configuration, clock, CSPRNG, ids, table, key vault, mailer
     */
    public CompositionRoot(LatchkeyRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /**
     * The part of this type, built by {@code build} the first time. Reentrant: a part's builder asks for the parts
     * it needs.
     */
    private synchronized <T> T once(Class<T> type, Supplier<? extends T> build) {
        Object part = built.get(type);
        if (part == null) {
            part = Objects.requireNonNull(build.get(), type::getName);
            built.put(type, part);
        }
        return type.cast(part);
    }

    /** Registers the slow first step of a part that is wired now and built or warmed on first use. */
    private synchronized void deferred(Runnable warmUp) {
        deferred.add(warmUp);
    }

    /**
     * Does now what the parts wired so far would otherwise do at their first use — loads the nbvcxz dictionaries
     * ({@link #passwordPolicy()}), runs Argon2id once on a throwaway input ({@link #passwordHasher()}) — so that no
     * request pays it. SnapStart priming calls it before the snapshot. Only the parts a function's routes asked for
     * are warmed (nothing for a function without passwords). Safe to call more than once and from several threads
     * (the estimator is built once; each call hashes once more).
     */
    public void warmUp() {
        List<Runnable> steps;
        synchronized (this) {
            steps = List.copyOf(deferred);
        }
        steps.forEach(Runnable::run);
    }

    // What the runtime shares.

    /** The configuration. */
    public LatchkeyConfig config() {
        return runtime.config();
    }

    /** The clock. */
    public Clock clock() {
        return runtime.clock();
    }

    /** This container's view of the signing keys. */
    public CurrentKeys currentKeys() {
        return runtime.currentKeys();
    }

    /** When signing keys move. */
    public KeyPolicy keyPolicy() {
        return runtime.keyPolicy();
    }

    /** Fixed-window rate limits in the table. */
    public RateLimiter rateLimiter() {
        return runtime.rateLimiter();
    }

    /** The audit log in the table, metered ({@link MeteredAuditLog}: outcome metrics from what use cases record). */
    public AuditLog auditLog() {
        return audit();
    }

    /** Where operational metrics go (the runtime's). */
    public Metrics metrics() {
        return runtime.metrics();
    }

    /** The issuer, read when first needed: {@code LATCHKEY_ISSUER}. */
    public Supplier<String> issuer() {
        return () -> runtime.config().requireIssuer().toString();
    }

    private DynamoDbClient dynamoDb() {
        return runtime.dynamoDb();
    }

    private String table() {
        return runtime.config().tableName();
    }

    /** What use cases record through: the table's audit log, decorated with the outcome metrics. */
    private AuditLog audit() {
        return once(MeteredAuditLog.class, () -> new MeteredAuditLog(runtime.auditLog(), runtime.metrics()));
    }

    /** The table's audit log itself, for repositories that write an event inside their own transaction. */
    private DynamoDbAuditLog auditTable() {
        return runtime.auditLog();
    }

    // Adapters of the table.

    /** Peppers in the table, opened once per container and name. */
    public DynamoDbPeppers peppers() {
        return once(DynamoDbPeppers.class, () -> new DynamoDbPeppers(dynamoDb(), table(), runtime.keyVault(),
                runtime.random(), clock()));
    }

    /** Users, their personal organization and credentials. */
    public DynamoDbUserRepository users() {
        return once(DynamoDbUserRepository.class, () -> new DynamoDbUserRepository(dynamoDb(), table(), auditTable()));
    }

    /** Sessions and their refresh tokens. */
    public DynamoDbSessionRepository sessions() {
        return once(DynamoDbSessionRepository.class, () -> new DynamoDbSessionRepository(dynamoDb(), table()));
    }

    /** Who a token is for (id, email, name). */
    public UserProfiles userProfiles() {
        return once(DynamoDbUserProfiles.class, () -> new DynamoDbUserProfiles(dynamoDb(), table()));
    }

    /** Organizations, members and invitations. */
    public DynamoDbOrganizationRepository organizations() {
        return once(DynamoDbOrganizationRepository.class,
                () -> new DynamoDbOrganizationRepository(dynamoDb(), table(), auditTable()));
    }

    /** A user's role in an organization, read at each request. */
    public DynamoDbMembershipDirectory memberships() {
        return once(DynamoDbMembershipDirectory.class, () -> new DynamoDbMembershipDirectory(dynamoDb(), table()));
    }

    /** Organization API keys. */
    public DynamoDbApiKeyRepository apiKeys() {
        return once(DynamoDbApiKeyRepository.class,
                () -> new DynamoDbApiKeyRepository(dynamoDb(), table(), auditTable()));
    }

    /**
     * Service clients and their credentials; {@code find} (the token path's client lookup) through the container's
     * token-path cache ({@code LATCHKEY_TOKEN_CACHE_SECONDS}, 10 s by default).
     */
    public ClientRepository clients() {
        return once(CachedClientRepository.class, () -> new CachedClientRepository(
                new DynamoDbClientRepository(dynamoDb(), table(), auditTable()), tokenPathCache()));
    }

    /**
     * Resources, audience claims and grants; {@code findByAudience} and {@code grants} (the token path's reads)
     * through the container's token-path cache ({@code LATCHKEY_TOKEN_CACHE_SECONDS}, 10 s by default).
     */
    public ResourceRepository resources() {
        return once(CachedResourceRepository.class, () -> new CachedResourceRepository(
                new DynamoDbResourceRepository(dynamoDb(), table(), auditTable()), tokenPathCache(), tokenPathCache()));
    }

    /** A new token-path cache of at most 10,000 records ({@link RecordCache}; TTL 0 keeps nothing). */
    private <K, V> RecordCache<K, V> tokenPathCache() {
        return new RecordCache<>(config().limits().tokenCacheTtl(), 10_000, clock());
    }

    /** Teams and team memberships. */
    public DynamoDbTeamRepository teams() {
        return once(DynamoDbTeamRepository.class, () -> new DynamoDbTeamRepository(dynamoDb(), table(), auditTable()));
    }

    /** Passkeys. */
    public DynamoDbPasskeyRepository passkeys() {
        return once(DynamoDbPasskeyRepository.class,
                () -> new DynamoDbPasskeyRepository(dynamoDb(), table(), auditTable()));
    }

    /** WebAuthn challenges. */
    public DynamoDbPasskeyChallenges passkeyChallenges() {
        return once(DynamoDbPasskeyChallenges.class, () -> new DynamoDbPasskeyChallenges(dynamoDb(), table()));
    }

    // Passwords and accounts.

    /**
     * Minimum length and the nbvcxz strength estimate ({@link #passwordStrength()}): login's password route normalizes
     * with this policy but never estimates.
     */
    public PasswordPolicy passwordPolicy() {
        return once(PasswordPolicy.class, () -> new PasswordPolicy(config().passwordMinLength(), passwordStrength()));
    }

    /**
     * The nbvcxz strength estimate, whose dictionaries load at the first estimate or at {@link #warmUp()}
     * ({@link LazyPasswordStrength}), not when it is wired.
     */
    public LazyPasswordStrength passwordStrength() {
        return once(LazyPasswordStrength.class, () -> {
            LazyPasswordStrength strength = new LazyPasswordStrength(NbvcxzPasswordStrength::new);
            deferred(strength::prepare);
            return strength;
        });
    }

    /**
     * Argon2id with the configured parameters for new hashes ({@code LATCHKEY_ARGON2_*}, never below OWASP's
     * minimum); imported bcrypt, scrypt and PBKDF2 hashes verify and are rehashed at the next login
     * ({@link PhcPasswordHasher}).
     */
    public PasswordHasher passwordHasher() {
        return once(PasswordHasher.class, () -> {
            Limits.PasswordHashing cost = config().limits().passwordHashing();
            Argon2Parameters owasp = Argon2Parameters.owasp();
            Argon2idPasswordHasher argon2 = new Argon2idPasswordHasher(new Argon2Parameters(cost.memoryKiB(),
                    cost.iterations(), cost.parallelism(), owasp.saltLength(), owasp.hashLength()), runtime.random());
            deferred(argon2::warmUp);
            return new PhcPasswordHasher(argon2);
        });
    }

    /** Email-verification tokens in the table. */
    public DynamoDbVerificationTokens verificationTokens() {
        return once(DynamoDbVerificationTokens.class, () -> new DynamoDbVerificationTokens(dynamoDb(), table()));
    }

    /** Sends the verification mail (the runtime's mailer, read now). */
    public SendVerificationEmail sendVerificationEmail() {
        return once(SendVerificationEmail.class, () -> new SendVerificationEmail(verificationTokens(),
                runtime.mailer(), runtime.random(), clock(), config().requireIssuer(),
                SendVerificationEmail.DEFAULT_TTL));
    }

    /** {@code POST /v1/auth/register}. */
    public RegisterUser registerUser() {
        return once(RegisterUser.class, () -> new RegisterUser(users(), passwordPolicy(), passwordHasher(),
                sendVerificationEmail(), rateLimiter(), config().limits().registerPerIp(), runtime.ids(), clock(),
                new SignUpAttemptNotice(runtime.mailer(), config().requireIssuer()),
                config().limits().signUpMailsPerAddress()));
    }

    /** {@code POST /v1/auth/email/verify}. */
    public VerifyEmail verifyEmail() {
        return once(VerifyEmail.class, () -> new VerifyEmail(verificationTokens(), users(), audit(),
                runtime.ids(), clock()));
    }

    /** {@code POST /v1/auth/email/resend}. */
    public ResendVerification resendVerification() {
        return once(ResendVerification.class, () -> new ResendVerification(users(), sendVerificationEmail(),
                rateLimiter(), config().limits().resendPerIp(),
                config().limits().resendPerAddress()));
    }

    // The session stack: one per root, shared by password login, passkey login and the refresh grant.

    /** Session and access-token lifetimes ({@code LATCHKEY_ACCESS_TOKEN_LIFETIME_SECONDS}, {@code …SESSION_*}). */
    public SessionPolicy sessionPolicy() {
        return once(SessionPolicy.class, () -> config().limits().session());
    }

    /** Refresh tokens hashed under the {@code refresh-token} pepper. */
    public RefreshTokenCrypto refreshTokenCrypto() {
        return once(RefreshTokenCrypto.class, () -> new RefreshTokenCrypto(peppers(), runtime.random()));
    }

    /** Signs a session's access tokens with the container's current key; the issuer read at the first token. */
    public SessionTokens sessionTokens() {
        return once(SessionTokens.class, () -> new SessionTokens(currentKeys(), issuer(), sessionPolicy(), clock(),
                runtime.random(), config().accessTokenType(), config().firstPartyClientId()));
    }

    /** Starts a session after a login. */
    public StartSession startSession() {
        return once(StartSession.class, () -> new StartSession(sessions(), refreshTokenCrypto(), sessionTokens(),
                sessionPolicy(), audit(), runtime.ids(), clock(), runtime.random()));
    }

    /**
     * The authentication of every management route: an access token for the issuer's own audience, of a live
     * session ({@link LiveAccessTokens}), so no route can forget the check.
     *
     * @throws dev.latchkey.core.config.ConfigException without {@code LATCHKEY_ISSUER}
     */
    public BearerAuthentication bearer() {
        return once(BearerAuthentication.class, () -> {
            String issuer = config().requireIssuer().toString();
            return new BearerAuthentication(new AccessTokenVerifier(currentKeys(), issuer, Set.of(issuer), clock()),
                    new LiveAccessTokens(sessions(), clock()));
        });
    }

    // Login.

    /** Failed-login counters and the per-IP limit. */
    public LoginThrottle loginThrottle() {
        return once(LoginThrottle.class, () -> {
            ThrottlePolicy policy = config().limits().loginThrottle();
            return new LoginThrottle(new DynamoDbLoginAttempts(dynamoDb(), table(), policy.memory(), clock()),
                    rateLimiter(), policy, config().limits().loginPerIp(), clock());
        });
    }

    /** Password-reset tokens in the table. */
    public DynamoDbPasswordResetTokens passwordResetTokens() {
        return once(DynamoDbPasswordResetTokens.class, () -> new DynamoDbPasswordResetTokens(dynamoDb(), table()));
    }

    /** {@code POST /v1/auth/login/password}. */
    public PasswordLogin passwordLogin() {
        return once(PasswordLogin.class, () -> new PasswordLogin(users(), passwordPolicy(), passwordHasher(),
                loginThrottle(), startSession(), mfaLoginGate(), audit(), runtime.ids(), clock()));
    }

    /** {@code POST /v1/auth/logout}. */
    public EndSession endSession() {
        return once(EndSession.class, () -> new EndSession(sessions(), refreshTokenCrypto(), audit(), runtime.ids(),
                clock()));
    }

    /** {@code DELETE /v1/users/me/sessions/{sessionId}}. */
    public EndSessionById endSessionById() {
        return once(EndSessionById.class, () -> new EndSessionById(sessions(), refreshTokenCrypto(), audit(),
                runtime.ids(), clock()));
    }

    /** {@code GET /v1/users/me}. */
    public ShowCurrentUser showCurrentUser() {
        return once(ShowCurrentUser.class, () -> new ShowCurrentUser(users()));
    }

    /** {@code POST /v1/users/me/password}. */
    public ChangePassword changePassword() {
        return once(ChangePassword.class, () -> new ChangePassword(users(), passwordPolicy(), passwordHasher(),
                loginThrottle(), sessions(), endSessionById(), audit(), runtime.ids(), clock()));
    }

    /** {@code POST /v1/auth/password/forgot} (the runtime's mailer, read now). */
    public ForgotPassword forgotPassword() {
        return once(ForgotPassword.class, () -> new ForgotPassword(users(), passwordResetTokens(), runtime.mailer(),
                rateLimiter(), config().limits().forgotPerIp(), config().limits().forgotPerAddress(),
                config().requireIssuer(), audit(), runtime.ids(), runtime.random(), clock()));
    }

    /** {@code POST /v1/auth/password/reset}. */
    public ResetPassword resetPassword() {
        return once(ResetPassword.class, () -> new ResetPassword(passwordResetTokens(), users(), passwordPolicy(),
                passwordHasher(), loginThrottle(), new EndAllSessions(sessions(), refreshTokenCrypto(), audit(),
                        runtime.ids(), clock()), managePasskeys(), audit(), runtime.ids(), clock()));
    }

    /** {@code GET /v1/users/me/sessions}. */
    public ListSessions listSessions() {
        return once(ListSessions.class, () -> new ListSessions(sessions(), clock()));
    }

    // Second factors (docs/mfa.md).

    /** TOTP factors, pending enrolments and recovery codes in the table. */
    public DynamoDbMfaRepository mfaRepository() {
        return once(DynamoDbMfaRepository.class, () -> new DynamoDbMfaRepository(dynamoDb(), table()));
    }

    /** Pending second login steps ({@code mfa_token}) in the table. */
    public DynamoDbMfaLoginTokens mfaLoginTokens() {
        return once(DynamoDbMfaLoginTokens.class, () -> new DynamoDbMfaLoginTokens(dynamoDb(), table()));
    }

    /** TOTP secrets, sealed by the runtime's key vault. */
    public TotpSecrets totpSecrets() {
        return once(TotpSecrets.class, () -> new TotpSecrets(runtime.keyVault(), runtime.random()));
    }

    /** QR codes (qrcodegen: only the login function's zip carries it). */
    public QrCodes qrCodes() {
        return once(QrCodes.class, QrcodegenSvg::new);
    }

    /** Password login's second-step gate. */
    public MfaLoginGate mfaLoginGate() {
        return once(MfaLoginGate.class, () -> new MfaLoginGate(mfaRepository(), mfaLoginTokens(), runtime.random(),
                clock()));
    }

    /** Checks a TOTP or recovery code (the runtime's mailer, read now). */
    public SecondFactorVerifier secondFactorVerifier() {
        return once(SecondFactorVerifier.class, () -> new SecondFactorVerifier(mfaRepository(), totpSecrets(),
                mfaThrottle(), runtime.mailer(), audit(), runtime.ids(), clock()));
    }

    /**
     * The second factor's throttle: the password login's per-IP window and streak store, with
     * {@link SecondFactorVerifier#THROTTLE_POLICY}.
     */
    public LoginThrottle mfaThrottle() {
        return once(MfaThrottle.class, () -> new MfaThrottle(new LoginThrottle(new DynamoDbLoginAttempts(dynamoDb(),
                table(), SecondFactorVerifier.THROTTLE_POLICY.memory(), clock()), rateLimiter(),
                SecondFactorVerifier.THROTTLE_POLICY, LoginThrottle.defaultPerIp(), clock()))).throttle();
    }

    /** The key of {@link #mfaThrottle()} in {@link #once}: a second {@link LoginThrottle} of this root. */
    private record MfaThrottle(LoginThrottle throttle) {
    }

    /** {@code POST /v1/users/me/mfa/totp} and {@code …/totp/confirm}. */
    public TotpEnrolment totpEnrolment() {
        return once(TotpEnrolment.class, () -> new TotpEnrolment(users(), mfaRepository(), totpSecrets(),
                secondFactorVerifier(), stepUp(), mfaThrottle(), qrCodes(), config().mfaIssuerName(),
                runtime.random(), audit(), runtime.ids(), clock()));
    }

    /** {@code POST /v1/auth/login/mfa}. */
    public MfaLogin mfaLogin() {
        return once(MfaLogin.class, () -> new MfaLogin(mfaLoginTokens(), users(), secondFactorVerifier(),
                startSession(), audit(), runtime.ids(), clock()));
    }

    /** {@code GET}/{@code DELETE /v1/users/me/mfa}, recovery codes, an administrator's reset. */
    public ManageMfa manageMfa() {
        return once(ManageMfa.class, () -> new ManageMfa(users(), mfaRepository(), totpSecrets(), stepUp(),
                runtime.mailer(), runtime.random(), audit(), runtime.ids(), clock()));
    }

    /** {@code DELETE /v1/orgs/{orgId}/members/{userId}/mfa}: an administrator resets a member's second factor. */
    public ResetMemberMfa resetMemberMfa() {
        return once(ResetMemberMfa.class, () -> new ResetMemberMfa(memberships(), stepUp(), manageMfa()));
    }

    /** The RFC 9470 step-up of sensitive operations: recent sign-in, with a second factor when the user has one. */
    public StepUp stepUp() {
        return once(StepUp.class, () -> new StepUp(mfaRepository(), new RecentAuthentication(clock())));
    }

    // Passkeys.

    /**
     * The relying party and ceremony rules ({@code LATCHKEY_WEBAUTHN_*}, defaulting to the issuer).
     *
     * @throws dev.latchkey.core.config.ConfigException without {@code LATCHKEY_ISSUER} or with a bad WebAuthn setting
     */
    public PasskeyPolicy passkeyPolicy() {
        return once(PasskeyPolicy.class, () -> config().passkeyPolicy());
    }

    /** {@code POST /v1/auth/passkeys/register/options}. */
    public StartPasskeyRegistration startPasskeyRegistration() {
        return once(StartPasskeyRegistration.class, () -> new StartPasskeyRegistration(users(), passkeys(),
                passkeyChallenges(), passkeyPolicy(), config().passkeyRegistration(), runtime.random(), clock()));
    }

    /** {@code POST /v1/auth/passkeys/register/verify}. */
    public FinishPasskeyRegistration finishPasskeyRegistration() {
        return once(FinishPasskeyRegistration.class, () -> new FinishPasskeyRegistration(users(), passkeys(),
                passkeyChallenges(), passkeyPolicy(), new DecoyCredentials(peppers()), config().passkeyRegistration(),
                rateLimiter(), passkeyMailer(), passkeyReviewUrl(), audit(), runtime.ids(), clock()));
    }

    /** The passkey notices' mailer, looked up at the first notice (like the invitations'): not needed to start. */
    private Mailer passkeyMailer() {
        return message -> runtime.mailer().send(message);
    }

    /** Where passkey notices point the user: the list of their passkeys. */
    private URI passkeyReviewUrl() {
        return URI.create(config().requireIssuer().toString().replaceAll("/+$", "") + "/v1/users/me/passkeys");
    }

    /** {@code POST /v1/auth/passkeys/login/options}. */
    public StartPasskeyLogin startPasskeyLogin() {
        return once(StartPasskeyLogin.class, () -> new StartPasskeyLogin(users(), passkeys(), passkeyChallenges(),
                peppers(), rateLimiter(), config().limits().passkeyOptionsPerIp(), passkeyPolicy(), runtime.random(),
                clock()));
    }

    /** {@code POST /v1/auth/passkeys/login/verify}. */
    public FinishPasskeyLogin finishPasskeyLogin() {
        return once(FinishPasskeyLogin.class, () -> new FinishPasskeyLogin(users(), passkeys(), passkeyChallenges(),
                startSession(), rateLimiter(), config().limits().passkeyVerifyPerIp(), passkeyPolicy(), passkeyMailer(),
                passkeyReviewUrl(), audit(), runtime.ids(), clock()));
    }

    /** {@code GET /v1/users/me/passkeys}, {@code PATCH}/{@code DELETE …/{passkeyId}}. */
    public ManagePasskeys managePasskeys() {
        return once(ManagePasskeys.class, () -> new ManagePasskeys(users(), passkeys(),
                config().passkeyRegistration().recentAuthentication(), runtime.ids(), clock()));
    }

    // API keys.

    /** HMAC-SHA-256 under the {@code api-key} pepper. */
    public ApiKeyHasher apiKeyHasher() {
        return once(ApiKeyHasher.class, () -> new ApiKeyHasher(peppers()));
    }

    /**
     * The container's cache of keys read for verification ({@code LATCHKEY_API_KEY_CACHE_SECONDS}, at most
     * {@value #API_KEY_CACHE_MAX_ENTRIES} keys): one per root, so a key revoked through the api-keys routes is
     * dropped from the cache the token exchange reads where both share a container.
     */
    public ApiKeyCache apiKeyCache() {
        return once(ApiKeyCache.class, () -> new ApiKeyCache(config().apiKeyCacheTtl(), API_KEY_CACHE_MAX_ENTRIES,
                clock()));
    }

    /** Counts successful verifications, one write per key at most every {@link ApiKeyUsage#DEFAULT_INTERVAL}. */
    public ApiKeyUsage apiKeyUsage() {
        return once(ApiKeyUsage.class, () -> new ApiKeyUsage(apiKeys(), clock(), ApiKeyUsage.DEFAULT_INTERVAL));
    }

    /** Verifies presented keys: {@code POST /v1/api-keys/verify}, the organization routes, the token exchange. */
    public VerifyApiKey verifyApiKey() {
        return once(VerifyApiKey.class, () -> new VerifyApiKey(apiKeys(), apiKeyHasher(), rateLimiter(),
                apiKeyUsage(), apiKeyCache(), clock(), auditLog(), runtime.ids(), verificationAnalytics()));
    }

    /** The daily verification counts in the table (docs/api-keys.md "Verification analytics"). */
    public DynamoDbVerificationAnalytics verificationCounts() {
        return once(DynamoDbVerificationAnalytics.class, () -> new DynamoDbVerificationAnalytics(dynamoDb(), table(),
                clock()));
    }

    /**
     * This container's verification counts, added up in memory and flushed at most every
     * {@link VerificationAnalytics#DEFAULT_INTERVAL} (no request per verify), and at shutdown where there is one.
     */
    public VerificationAnalytics verificationAnalytics() {
        return once(VerificationAnalytics.class, () -> new VerificationAnalytics(verificationCounts(), clock(),
                VerificationAnalytics.DEFAULT_INTERVAL));
    }

    /** The per-key and per-organization verification analytics routes. */
    public ShowVerificationAnalytics showVerificationAnalytics() {
        return once(ShowVerificationAnalytics.class, () -> new ShowVerificationAnalytics(apiKeys(),
                verificationCounts(), verificationAnalytics(), clock()));
    }

    /** Create, list, show, revoke, roll, delete and count an organization's keys. */
    public ManageApiKeys manageApiKeys() {
        return once(ManageApiKeys.class, () -> new ManageApiKeys(apiKeys(), apiKeyHasher(), apiKeyCache(),
                runtime.ids(), runtime.random(), clock(), stepUp()));
    }

    /** What a presented key is, for introspection and revocation (no rate limit, no usage count). */
    public InspectApiKey inspectApiKey() {
        return once(InspectApiKey.class, () -> new InspectApiKey(apiKeys(), apiKeyHasher(), clock()));
    }

    // Organizations and their access model.

    /** Who calls an organization route: a user's access token or an API key. */
    public CallerAuthentication callerAuthentication() {
        return once(CallerAuthentication.class, () -> new CallerAuthentication(bearer(), verifyApiKey()));
    }

    /** May the caller use a permission in an organization (the role read at each request). */
    public Authorizer authorizer() {
        return once(Authorizer.class, () -> new Authorizer(memberships(), organizationMfaPolicy(), audit(),
                runtime.ids(), clock()));
    }

    /**
     * An organization's {@code require_mfa} (issue 14 item 5): the one check, asked by the {@link #authorizer()} and
     * the grant model ({@link #tokenAudiences()}); whether a refused user has a factor comes from the MFA items.
     */
    public OrganizationMfaPolicy organizationMfaPolicy() {
        return once(OrganizationMfaPolicy.class, () -> new OrganizationMfaPolicy(
                userId -> mfaRepository().findTotp(userId).isPresent()));
    }

    /** Create, list, show, update (name, {@code require_mfa}), delete organizations. */
    public ManageOrganizations manageOrganizations() {
        return once(ManageOrganizations.class, () -> new ManageOrganizations(organizations(), rateLimiter(),
                ManageOrganizations.DEFAULT_CREATE_LIMIT, runtime.ids(), clock(), stepUp(), organizationMfaPolicy()));
    }

    /** List members, change roles, remove, leave. */
    public ManageMembers manageMembers() {
        return once(ManageMembers.class, () -> new ManageMembers(organizations(), runtime.ids(), clock(), stepUp()));
    }

    /**
     * Invite, list, revoke, accept. The mailer is looked up at the first invitation, so the orgs function starts
     * without a mail configuration (only inviting then fails).
     */
    public Invitations invitations() {
        return once(Invitations.class, () -> {
            Mailer mailer = message -> runtime.mailer().send(message);
            return new Invitations(organizations(), users(), mailer, rateLimiter(), Invitations.DEFAULT_INVITE_LIMIT,
                    runtime.ids(), runtime.random(), clock(), config().requireIssuer(), stepUp());
        });
    }

    /** Create, list, show, rename and delete teams; add and remove their members. */
    public ManageTeams manageTeams() {
        return once(ManageTeams.class, () -> new ManageTeams(teams(), runtime.ids(), clock()));
    }

    /**
     * Create, list, show, update and delete resources.
     *
     * @throws dev.latchkey.core.config.ConfigException without {@code LATCHKEY_ISSUER} ({@link ReservedAudiences})
     */
    public ManageResources manageResources() {
        return once(ManageResources.class, () -> new ManageResources(resources(),
                ReservedAudiences.forIssuer(config().requireIssuer()), runtime.ids(), clock()));
    }

    /** List, set and remove grants on a resource. */
    public ManageGrants manageGrants() {
        return once(ManageGrants.class, () -> new ManageGrants(resources(), runtime.ids(), clock()));
    }

    /** Resolves a token request's audience to the resource and the caller's granted scopes (docs/resources.md). */
    public TokenAudiences tokenAudiences() {
        return once(GrantedScopes.class, () -> new GrantedScopes(resources(), memberships(), teams(),
                organizationMfaPolicy()));
    }

    /** Create, list, show, update and delete an organization's clients and their credentials. */
    public ManageClients manageClients() {
        return once(ManageClients.class, () -> new ManageClients(clients(), clientSecretHasher(), runtime.ids(),
                runtime.random(), clock()));
    }

    /** HMAC-SHA-256 under the {@code client-secret} pepper. */
    public ClientSecretHasher clientSecretHasher() {
        return once(ClientSecretHasher.class, () -> new ClientSecretHasher(peppers()));
    }

    // The OAuth endpoints (issuer read at the first token).

    /** The refresh-token grant (RFC 6749 §6). */
    public RefreshSession refreshSession() {
        return once(RefreshSession.class, () -> new RefreshSession(sessions(), userProfiles(), refreshTokenCrypto(),
                sessionTokens(), sessionPolicy(), tokenAudiences(), audit(), runtime.ids(), clock(),
                runtime.random()));
    }

    /** {@code POST /oauth/revoke} (RFC 7009). */
    public RevokeOAuthToken revokeOAuthToken() {
        return once(RevokeOAuthToken.class, () -> new RevokeOAuthToken(currentKeys(), issuer(), sessions(),
                new RevokeToken(sessions(), refreshTokenCrypto(), audit(), runtime.ids(), clock()), inspectApiKey(),
                manageApiKeys(), audit(), runtime.ids(), clock()));
    }

    /** The one token-issue step of the exchange and the client grants: current key, issuer, lifetime, typ. */
    public AccessTokenMint accessTokenMint() {
        return once(AccessTokenMint.class, () -> new AccessTokenMint(currentKeys(), issuer(),
                sessionPolicy().accessTokenLifetime(), config().accessTokenType(), clock(), runtime.random()));
    }

    /** The API-key token exchange (RFC 8693). */
    public ExchangeApiKey exchangeApiKey() {
        return once(ExchangeApiKey.class, () -> new ExchangeApiKey(verifyApiKey(), tokenAudiences(),
                accessTokenMint(), audit(), runtime.ids(), clock()));
    }

    /** Client authentication at the token endpoint: secrets and signed assertions (RFC 7523). */
    public ClientAuthentication clientAuthentication() {
        return once(ClientAuthentication.class, () -> new ClientAuthentication(clients(), clientSecretHasher(),
                new ClientAssertions(clock(), config().clientAssertionMaxLifetime()),
                new DynamoDbAssertionReplayStore(dynamoDb(), table(), clock()), issuer(), audit(), runtime.ids(),
                clock()));
    }

    /** A service client's access token (client_credentials, jwt-bearer). */
    public IssueClientToken issueClientToken() {
        return once(IssueClientToken.class, () -> new IssueClientToken(tokenAudiences(),
                AllowedResources.from(resources()), accessTokenMint(), audit(), runtime.ids(), clock()));
    }

    /** {@code POST /oauth/introspect} (RFC 7662). */
    public IntrospectToken introspectToken() {
        return once(IntrospectToken.class, () -> new IntrospectToken(currentKeys(), issuer(), sessions(),
                refreshTokenCrypto(), inspectApiKey(), clock()));
    }

    /**
     * The token, revocation and introspection endpoints' protocol: the standard grants over the use cases above (a
     * new grant goes here, through {@code OAuthProtocol}'s grant-list constructor).
     */
    public OAuthProtocol oauthProtocol() {
        return once(OAuthProtocol.class, () -> new OAuthProtocol(new OAuthClientAuthentication(clientAuthentication()),
                authenticateApplication(), revokeOAuthToken(), introspectToken(), authentication -> List.of(
                        new RefreshTokenGrant(refreshSession(), authenticateApplication(), refreshSignInTokens()),
                        new TokenExchangeGrant(exchangeApiKey()),
                        new ClientCredentialsGrant(authentication, issueClientToken()),
                        new JwtBearerGrant(authentication, issueClientToken()),
                        new AuthorizationCodeGrant(authenticateApplication(), redeemAuthorizationCode(),
                                issueSignInTokens()))));
    }

    // The OpenID Provider (issue 15): applications, authorization codes, ID tokens.

    /** Applications (OIDC relying parties) and their credentials. */
    public Applications applications() {
        return once(DynamoDbApplications.class, () -> new DynamoDbApplications(dynamoDb(), table(), auditTable()));
    }

    /** Register and manage an organization's applications. */
    public ManageApplications manageApplications() {
        return once(ManageApplications.class, () -> new ManageApplications(applications(), clientSecretHasher(),
                runtime.ids(), runtime.random(), clock()));
    }

    /** Authorization codes between the redirect and the token request. */
    public AuthorizationCodes authorizationCodes() {
        return once(DynamoDbAuthorizationCodes.class, () -> new DynamoDbAuthorizationCodes(dynamoDb(), table()));
    }

    /** The ID-token signers of the current keys (RS256, ES256). */
    public IdTokenMint idTokenMint() {
        return once(IdTokenMint.class, () -> new IdTokenMint(currentKeys()));
    }

    /** An application's authentication at the token endpoint (its registered method only). */
    public AuthenticateApplication authenticateApplication() {
        return once(AuthenticateApplication.class, () -> new AuthenticateApplication(applications(),
                clientSecretHasher(), new ClientAssertions(clock(), config().clientAssertionMaxLifetime()),
                new DynamoDbAssertionReplayStore(dynamoDb(), table(), clock()), issuer(), audit(), runtime.ids(),
                clock()));
    }

    /** The access and ID tokens of a redeemed code, and with {@code offline_access} a refresh token. */
    public IssueSignInTokens issueSignInTokens() {
        return once(IssueSignInTokens.class, () -> new IssueSignInTokens(users(), sessions(), accessTokenMint(),
                idTokenMint(), refreshFamilies(), audit(), runtime.ids(), clock()));
    }

    /** Refresh-token rotation and reuse detection, shared by sign-in sessions and applications. */
    public RefreshFamilies refreshFamilies() {
        return once(RefreshFamilies.class, () -> new RefreshFamilies(sessions(), refreshTokenCrypto(),
                sessionPolicy(), audit(), runtime.ids(), clock(), runtime.random()));
    }

    /** An application's refresh ({@code offline_access}, OIDC Core §12). */
    public RefreshSignInTokens refreshSignInTokens() {
        return once(RefreshSignInTokens.class, () -> new RefreshSignInTokens(refreshFamilies(), sessions(), users(),
                issueSignInTokens()));
    }

    /**
     * {@code GET/POST /oauth/userinfo}: access tokens of the userinfo audience only, verified by a verifier built at
     * the first request (it needs the issuer).
     */
    public UserInfo userInfo() {
        return once(UserInfo.class, () -> {
            AtomicReference<AccessTokenVerifier> verifier = new AtomicReference<>();
            Supplier<AccessTokenVerifier> onFirstUse = () -> verifier.updateAndGet(built -> built != null ? built
                    : new AccessTokenVerifier(currentKeys(), issuer().get(),
                            Set.of(IssueSignInTokens.userinfoAudience(issuer().get())), clock()));
            return new UserInfo(onFirstUse, new LiveAccessTokens(sessions(), clock()), users());
        });
    }

    /** The token request's code checks (single use; a replay revokes what the first redemption issued). */
    public RedeemAuthorizationCode redeemAuthorizationCode() {
        return once(RedeemAuthorizationCode.class, () -> new RedeemAuthorizationCode(authorizationCodes(),
                issueSignInTokens()::revoke, clock()));
    }

    // Health and keys.

    /** {@code GET /health}, {@code /health/ready}: the table and the key vault. */
    public CheckHealth checkHealth() {
        return once(CheckHealth.class, () -> new CheckHealth(runtime.table(), runtime.keyVault(),
                Optional.of(runtime.keyRing()), runtime.keyPolicy(), clock(), config().version(),
                config().tableName()));
    }

    /** One signing-key rotation pass (the schedule's, and the local server's at start and hourly). */
    public RotateSigningKeys rotateSigningKeys() {
        return once(RotateSigningKeys.class, () -> new RotateSigningKeys(runtime.keyRing(), runtime.keyVault(),
                keyPolicy(), audit(), runtime.ids(), clock(), runtime.random()));
    }

    // Operators: the admin CLI's parts (never behind a route).

    /** Deployment-wide reads (scans): is it empty, which organizations. */
    public DynamoDbDeploymentInventory deploymentInventory() {
        return once(DynamoDbDeploymentInventory.class, () -> new DynamoDbDeploymentInventory(dynamoDb(), table()));
    }

    /** {@code latchkey bootstrap}: the first owner and organization of an empty deployment. */
    public BootstrapDeployment bootstrapDeployment() {
        return once(BootstrapDeployment.class, () -> new BootstrapDeployment(deploymentInventory(), users(),
                passwordResetTokens(), runtime.ids(), runtime.random(), clock()));
    }

    /** Ends every session of a user ({@code latchkey sessions revoke}). */
    public EndAllSessions endAllSessions() {
        return once(EndAllSessions.class, () -> new EndAllSessions(sessions(), refreshTokenCrypto(), audit(),
                runtime.ids(), clock()));
    }

    /** {@code latchkey user disable|enable}. */
    public DisableUser disableUser() {
        return once(DisableUser.class, () -> new DisableUser(users(), endAllSessions(), audit(), runtime.ids(),
                clock()));
    }

    /** {@code latchkey export}. */
    public TableExport tableExport() {
        return once(TableExport.class, () -> new TableExport(deploymentInventory(), clock()));
    }

    /** {@code latchkey import}. */
    public TableImport tableImport() {
        return once(TableImport.class, () -> new TableImport(dynamoDb(), table(), users(), runtime.ids(), clock()));
    }

    // The OpenID Provider's browser side (issue 15, the signin function; docs/oidc.md).

    /**
     * The hosted pages' parts ({@link SsoWiring}): in a class of their own because {@code core.sso} is an optional
     * jar that only the signin function carries; the JVM loads that class, and with it {@code core.sso}, only when
     * this method runs.
     */
    public SsoWiring sso() {
        return once(SsoWiring.class, () -> new SsoWiring(this, runtime));
    }
}
