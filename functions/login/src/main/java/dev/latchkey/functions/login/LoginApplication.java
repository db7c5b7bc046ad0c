package dev.latchkey.functions.login;

import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.login.ChangePassword;
import dev.latchkey.core.login.ForgotPassword;
import dev.latchkey.core.login.LoginThrottle;
import dev.latchkey.core.login.PasswordLogin;
import dev.latchkey.core.login.ResetPassword;
import dev.latchkey.core.login.ShowCurrentUser;
import dev.latchkey.core.login.ThrottlePolicy;
import dev.latchkey.core.session.EndAllSessions;
import dev.latchkey.core.session.EndSession;
import dev.latchkey.core.session.EndSessionById;
import dev.latchkey.core.session.ListSessions;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionRepository;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.infrastructure.account.Argon2idPasswordHasher;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.account.NbvcxzPasswordStrength;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.login.DynamoDbLoginAttempts;
import dev.latchkey.infrastructure.login.DynamoDbPasswordResetTokens;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.login.Bearers;
import java.net.URI;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The login function's {@code MAIN_CLASS}: password login, logout, {@code /v1/users/me}, password change,
 * forgot and reset, and the caller's own sessions (API.md "login"), wired from the runtime at init —
 * the Argon2id hasher and the nbvcxz dictionaries included. No priming route: every route writes (a
 * rate-limit counter at least) or needs a token.
 *
 * <p>Needs {@code LATCHKEY_ISSUER} at init (the access-token verifier's issuer and audience, the reset
 * mail's URL): without it the function fails with a {@code ConfigException} naming the variable.
 */
public final class LoginApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "login";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(LoginApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    protected Router routes(LatchkeyRuntime runtime) {
        String table = runtime.config().tableName();
        URI issuer = runtime.config().requireIssuer();
        DynamoDbAuditLog auditLog = runtime.auditLog();
        DynamoDbUserRepository users = new DynamoDbUserRepository(runtime.dynamoDb(), table, auditLog);
        PasswordPolicy passwords = new PasswordPolicy(runtime.config().passwordMinLength(),
                new NbvcxzPasswordStrength());
        PasswordHasher hasher = Argon2idPasswordHasher.owasp(runtime.random());
        ThrottlePolicy throttlePolicy = ThrottlePolicy.defaults();
        LoginThrottle throttle = new LoginThrottle(
                new DynamoDbLoginAttempts(runtime.dynamoDb(), table, throttlePolicy.memory(), runtime.clock()),
                runtime.rateLimiter(), throttlePolicy, LoginThrottle.defaultPerIp(), runtime.clock());

        SessionPolicy sessionPolicy = SessionPolicy.defaults();
        SessionRepository sessions = new DynamoDbSessionRepository(runtime.dynamoDb(), table);
        RefreshTokenCrypto crypto = new RefreshTokenCrypto(
                new DynamoDbPeppers(runtime.dynamoDb(), table, runtime.keyVault(), runtime.random(), runtime.clock()),
                runtime.random());
        SessionTokens tokens = new SessionTokens(runtime.currentKeys(), issuer::toString, sessionPolicy,
                runtime.clock(), runtime.random(), runtime.config().accessTokenType(),
                runtime.config().firstPartyClientId());
        StartSession start = new StartSession(sessions, crypto, tokens, sessionPolicy, auditLog, runtime.ids(),
                runtime.clock(), runtime.random());
        EndSessionById endById = new EndSessionById(sessions, crypto, auditLog, runtime.ids(), runtime.clock());

        var useCases = new LoginEndpoints.UseCases(
                new PasswordLogin(users, passwords, hasher, throttle, start, auditLog, runtime.ids(), runtime.clock()),
                new EndSession(sessions, crypto, auditLog, runtime.ids(), runtime.clock()),
                Bearers.of(runtime),
                new ShowCurrentUser(users),
                new ChangePassword(users, passwords, hasher, throttle, sessions, endById, auditLog, runtime.ids(),
                        runtime.clock()),
                new ForgotPassword(users, new DynamoDbPasswordResetTokens(runtime.dynamoDb(), table), runtime.mailer(),
                        runtime.rateLimiter(), ForgotPassword.DEFAULT_IP_LIMIT, ForgotPassword.DEFAULT_EMAIL_LIMIT,
                        issuer, auditLog, runtime.ids(), runtime.random(), runtime.clock()),
                new ResetPassword(new DynamoDbPasswordResetTokens(runtime.dynamoDb(), table), users, passwords, hasher,
                        throttle, new EndAllSessions(sessions, crypto, auditLog, runtime.ids(), runtime.clock()),
                        auditLog, runtime.ids(), runtime.clock()),
                new ListSessions(sessions, runtime.clock()),
                endById);
        return LoginEndpoints.routes(useCases);
    }
}
