package dev.latchkey.infrastructure.testing;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.mfa.Totp;
import dev.latchkey.infrastructure.account.Argon2idPasswordHasher;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real login function ({@code FunctionInvoker}) started beside another function on the same emulated table, so a
 * test of that function can sign a person in the way a client does: the password step and the second step with a
 * TOTP code ({@code POST /v1/auth/login/password}, {@code POST /v1/auth/login/mfa}), and use the access token login
 * issued. The module that uses it needs {@code latchkey-login} at test scope.
 */
public final class LoginFunction {

    /** The login function's {@code MAIN_CLASS}. */
    public static final String MAIN_CLASS = "dev.latchkey.functions.login.LoginApplication";

    /** The login function's definition. */
    public static final String DEFINITION = "login";

    /** Every account's password here. */
    public static final String PASSWORD = "Marmalade-Comet-Lantern-93";

    private final LambdaHarness lambda;
    private final DynamoDbUserRepository users;
    private final SortableIdGenerator ids;
    private final Clock clock;
    private final Map<String, Long> lastSteps = new ConcurrentHashMap<>();

    private LoginFunction(FunctionUnderTest beside) {
        this.clock = Clock.systemUTC();
        this.ids = new SortableIdGenerator(clock, new SecureRandom());
        this.users = new DynamoDbUserRepository(beside.table().client(), EmulatedTable.TABLE, beside.auditLog());
        this.lambda = LambdaHarness.start(MAIN_CLASS, DEFINITION, beside.variables());
    }

    /** Starts the login function on the table (and with the variables) of {@code beside}, which is started. */
    public static LoginFunction beside(FunctionUnderTest beside) {
        return new LoginFunction(beside);
    }

    /**
     * An account as register makes it, with {@link #PASSWORD}, signed in through the password route (so its access
     * token carries {@code amr ["pwd"]} and an {@code auth_time} of now).
     */
    public Person signUp(String email) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Test Person",
                Argon2idPasswordHasher.owasp(new SecureRandom()).hash(PASSWORD), true, now, orgId);
        users.create(new NewAccount(user, new PersonalOrganization(orgId, "Test Person's organization", now, userId),
                AuditEvent.builder(ids, clock).occurredAt(now).organizationId(orgId).actor(Actor.user(userId))
                        .action("account.registered").target("user", userId).requestId("test").build()));
        LambdaHarness.Response login = passwordLogin(email);
        String access = login.bodyJson().path("access_token").asString();
        if (login.status() != 200 || access.isEmpty()) {
            throw new IllegalStateException("password login answered " + login.status() + " " + login.body());
        }
        return new Person(userId, orgId, access);
    }

    /** {@code POST /v1/auth/login/password} with {@link #PASSWORD}. */
    public LambdaHarness.Response passwordLogin(String email) {
        return invoke("POST", "/v1/auth/login/password", Map.of("email", email, "password", PASSWORD));
    }

    /** {@code POST /v1/auth/login/mfa} with a TOTP code. */
    public LambdaHarness.Response mfaLogin(String mfaToken, String code) {
        return invoke("POST", "/v1/auth/login/mfa", Map.of("mfa_token", mfaToken, "code", code));
    }

    /**
     * Signs a person with a TOTP authenticator in through both steps: password ({@code mfa_required}), then the
     * code of the authenticator at this time step (or the next one when this step's code was used here already: each
     * code is accepted once, and the next step's code is within the ±1 window).
     *
     * @param secret the authenticator's secret, as the app holds it
     * @return the person with the new session's access token ({@code amr ["pwd","otp","mfa"]}, {@code auth_time} now)
     */
    public Person signInWithCode(Person person, String email, byte[] secret) {
        LambdaHarness.Response first = passwordLogin(email);
        if (first.status() != 200 || !first.bodyJson().path("mfa_required").asBoolean()) {
            throw new IllegalStateException("password step answered " + first.status() + " " + first.body());
        }
        long step = lastSteps.merge(person.userId(), Totp.step(clock.instant()),
                (last, now) -> Math.max(last + 1, now));
        String code = Totp.code(secret, step, Totp.Algorithm.SHA1, Totp.DIGITS);
        LambdaHarness.Response second = mfaLogin(first.bodyJson().path("mfa_token").asString(), code);
        if (second.status() != 200) {
            throw new IllegalStateException("code step answered " + second.status() + " " + second.body());
        }
        return new Person(person.userId(), person.personalOrganizationId(),
                second.bodyJson().path("access_token").asString());
    }

    /** Invokes the login function. */
    public LambdaHarness.Response invoke(String method, String path, Object body) {
        return lambda.invoke(HttpEvents.event(method, path, "", Map.of(), body));
    }
}
