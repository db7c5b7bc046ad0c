package dev.latchkey.functions.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.FunctionUnderTest;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.testing.LoginFunction;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step-up for an API key with a {@code *:manage} permission (issue 14 item 6, RFC 9470; docs/mfa.md "Step-up"),
 * through the real Lambda entry points: the api-keys function, and the login function beside it on the same table
 * for a real password + TOTP sign-in. A user with an authenticator whose sign-in did not use it, or used it more than
 * ten minutes ago, gets the 401 challenge and no key; the same request after a fresh multi-factor sign-in makes it.
 */
class ApiKeysStepUpFunctionInvokerTest {

    /** The challenge {@code StepUpRequiredException} sends to a user with a second factor, byte for byte. */
    static final String MULTI_FACTOR_CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A more recent authentication is required.\", "
            + "acr_values=\"http://schemas.openid.net/pape/policies/2007/06/multi-factor\", max_age=\"600\"";

    private static final Map<String, Integer> NO_GRACE = Map.of("previous_expires_in_seconds", 0);

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static Accounts accounts;
    private static LoginFunction login;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(ApiKeysApplication.class.getName(), ApiKeysApplication.FUNCTION, dataDir);
        accounts = function.accounts();
        login = LoginFunction.beside(function);
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    private static LambdaHarness.Response create(Person caller, String organizationId, String name,
            List<String> permissions) {
        return function.invoke("POST", "/v1/orgs/" + organizationId + "/api-keys", "", caller.bearer(),
                Map.of("name", name, "permissions", permissions));
    }

    private static List<String> keyNames(Person caller, String organizationId) {
        var listed = function.invoke("GET", "/v1/orgs/" + organizationId + "/api-keys", "", caller.bearer(), null);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        return listed.bodyJson().path("api_keys").valueStream().map(k -> k.path("name").asString()).toList();
    }

    private static boolean verify(String key) {
        var verified = function.invoke("POST", "/v1/api-keys/verify", "", Map.of(), Map.of("key", key));
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        return verified.bodyJson().path("valid").asBoolean();
    }

    private static void assertStepUpRequired(LambdaHarness.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.header("www-authenticate")).isEqualTo(MULTI_FACTOR_CHALLENGE);
        assertThat(response.errorCode()).isEqualTo("AUTHENTICATION_FAILED");
        assertThat(response.errorReason()).isEqualTo("INSUFFICIENT_USER_AUTHENTICATION");
        assertThat(response.bodyJson().path("error").path("details").path("max_age").asLong()).isEqualTo(600);
    }

    @Test
    @DisplayName("*:manage key: password-only or 11-minute-old MFA sign-in → 401 challenge, no key (no roll); "
            + "fresh password + TOTP sign-in through login → 201")
    void createManageKeyWhenUserHasTotpThenStepUpThroughFunctionInvoker() {
        String email = Accounts.email("stepup.keys");
        Person owner = login.signUp(email);
        String org = owner.personalOrganizationId();
        byte[] secret = accounts.enrolTotp(owner);
        assertThat(accounts.claims(owner).amr()).as("the session began with the password only").containsExactly("pwd");

        assertStepUpRequired(create(owner, org, "ops-manage", List.of(Permissions.RESOURCE_MANAGE)));
        Person stale = accounts.signIn(owner, List.of("pwd", "otp", "mfa"),
                Instant.now().minus(Duration.ofMinutes(11)));
        assertStepUpRequired(create(stale, org, "ops-manage", List.of(Permissions.RESOURCE_MANAGE)));
        assertThat(keyNames(owner, org)).as("nothing was created").doesNotContain("ops-manage");
        var plain = create(owner, org, "reader", List.of(Permissions.RESOURCE_READ));
        assertThat(plain.status()).as("no step-up without a *:manage permission: " + plain.body()).isEqualTo(201);

        Person fresh = login.signInWithCode(owner, email, secret);
        assertThat(accounts.claims(fresh).amr()).containsExactly("pwd", "otp", "mfa");
        var created = create(fresh, org, "ops-manage", List.of(Permissions.RESOURCE_MANAGE));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.bodyJson().path("permissions").valueStream().map(p -> p.asString()))
                .containsExactly(Permissions.RESOURCE_MANAGE);
        assertThat(keyNames(owner, org)).containsExactlyInAnyOrder("reader", "ops-manage");
        String keyId = created.bodyJson().path("id").asString();
        String keySecret = created.bodyJson().path("key").asString();

        // A new secret of that key is a new *:manage credential: rolling it takes the same step-up.
        String roll = "/v1/orgs/" + org + "/api-keys/" + keyId + "/roll";
        assertStepUpRequired(function.invoke("POST", roll, "", owner.bearer(), NO_GRACE));
        assertStepUpRequired(function.invoke("POST", roll, "", stale.bearer(), NO_GRACE));
        assertThat(verify(keySecret)).as("the secret did not change").isTrue();
        var rolled = function.invoke("POST", roll, "", fresh.bearer(), NO_GRACE);
        assertThat(rolled.status()).as(rolled.body()).isEqualTo(201);
        assertThat(verify(keySecret)).as("rolled without grace: the old secret stops").isFalse();
        assertThat(verify(rolled.bodyJson().path("key").asString())).isTrue();
        assertThat(function.auditEvents(org)).filteredOn(e -> e.action().equals("api_key.created"))
                .extracting(AuditEvent::actor).extracting(a -> a.id()).containsOnly(owner.userId()).hasSize(2);
    }
}
