package dev.latchkey.functions.register;

import dev.latchkey.core.account.PasswordPolicy;
import dev.latchkey.core.account.RegisterUser;
import dev.latchkey.core.account.ResendVerification;
import dev.latchkey.core.account.SendVerificationEmail;
import dev.latchkey.core.account.SignUpAttemptNotice;
import dev.latchkey.core.account.VerifyEmail;
import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.account.Argon2idPasswordHasher;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.account.DynamoDbVerificationTokens;
import dev.latchkey.infrastructure.account.NbvcxzPasswordStrength;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The register function's {@code MAIN_CLASS}: sign-up, email verification and resend (API.md
 * "register"), wired from the runtime at init — before a SnapStart snapshot — including the slow parts:
 * the Argon2id hasher and the nbvcxz dictionaries. No priming route: every route writes.
 *
 * <p>Needs {@code LATCHKEY_ISSUER} (the verification mail names {@code <issuer>/v1/auth/email/verify}):
 * without it the function fails at init with a {@code ConfigException} naming the variable.
 */
public final class RegisterApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "register";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(RegisterApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    protected Router routes(LatchkeyRuntime runtime) {
        String table = runtime.config().tableName();
        DynamoDbAuditLog auditLog = runtime.auditLog();
        DynamoDbUserRepository users = new DynamoDbUserRepository(runtime.dynamoDb(), table, auditLog);
        DynamoDbVerificationTokens tokens = new DynamoDbVerificationTokens(runtime.dynamoDb(), table);
        SendVerificationEmail verification = new SendVerificationEmail(tokens, runtime.mailer(), runtime.random(),
                runtime.clock(), runtime.config().requireIssuer(), SendVerificationEmail.DEFAULT_TTL);
        PasswordPolicy passwords = new PasswordPolicy(runtime.config().passwordMinLength(),
                new NbvcxzPasswordStrength());
        RegisterUser register = new RegisterUser(users, passwords,
                Argon2idPasswordHasher.owasp(runtime.random()), verification, runtime.rateLimiter(),
                RegisterUser.DEFAULT_IP_LIMIT, runtime.ids(), runtime.clock(),
                new SignUpAttemptNotice(runtime.mailer(), runtime.config().requireIssuer()),
                RegisterUser.DEFAULT_NOTICE_LIMIT);
        VerifyEmail verify = new VerifyEmail(tokens, users, auditLog, runtime.ids(), runtime.clock());
        ResendVerification resend = new ResendVerification(users, verification, runtime.rateLimiter(),
                ResendVerification.DEFAULT_IP_LIMIT, ResendVerification.DEFAULT_EMAIL_LIMIT);
        return RegisterEndpoints.routes(register, verify, resend, runtime.config().registrationDisclosure());
    }
}
