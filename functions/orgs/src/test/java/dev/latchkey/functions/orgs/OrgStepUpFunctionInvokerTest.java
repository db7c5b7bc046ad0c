package dev.latchkey.functions.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
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
import tools.jackson.databind.JsonNode;

/**
 * Step-up for deleting an organization and for making a member owner, by a role change or an invitation (issue 14
 * item 6, RFC 9470; docs/mfa.md "Step-up"), through the real Lambda entry points: the orgs function, and the login
 * function beside it on the same table for a real password + TOTP sign-in. An owner with an authenticator whose
 * sign-in did not use it, or used it more than ten minutes ago, gets the 401 challenge and nothing changes (read
 * back); the same request after a fresh multi-factor sign-in succeeds.
 */
class OrgStepUpFunctionInvokerTest {

    /** The challenge {@code StepUpRequiredException} sends to a user with a second factor, byte for byte. */
    static final String MULTI_FACTOR_CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A more recent authentication is required.\", "
            + "acr_values=\"http://schemas.openid.net/pape/policies/2007/06/multi-factor\", max_age=\"600\"";

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static Accounts accounts;
    private static LoginFunction login;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, dataDir);
        accounts = function.accounts();
        login = LoginFunction.beside(function);
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    private static LambdaHarness.Response call(String method, String path, Person caller, Object body) {
        return function.invoke(method, path, "", caller.bearer(), body);
    }

    private static String newOrganization(Person owner, String name) {
        var created = call("POST", "/v1/orgs", owner, Map.of("name", name));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.bodyJson().path("id").asString();
    }

    private static String roleOf(Person reader, String organizationId, String userId) {
        var members = call("GET", "/v1/orgs/" + organizationId + "/members", reader, null);
        assertThat(members.status()).as(members.body()).isEqualTo(200);
        return members.bodyJson().path("members").valueStream()
                .filter(m -> m.path("user_id").asString().equals(userId)).findFirst()
                .map(m -> m.path("role").asString()).orElseThrow();
    }

    private static void assertStepUpRequired(LambdaHarness.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.header("www-authenticate")).isEqualTo(MULTI_FACTOR_CHALLENGE);
        assertThat(response.errorCode()).isEqualTo("AUTHENTICATION_FAILED");
        assertThat(response.errorReason()).isEqualTo("INSUFFICIENT_USER_AUTHENTICATION");
        assertThat(response.bodyJson().path("error").path("details").path("max_age").asLong()).isEqualTo(600);
    }

    /** An owner with an authenticator: signed up and in through login with the password only, then enrolled. */
    private record Owner(Person passwordOnly, String email, byte[] secret) {
    }

    private static Owner ownerWithTotp(String name) {
        String email = Accounts.email(name);
        Person owner = login.signUp(email);
        byte[] secret = accounts.enrolTotp(owner);
        assertThat(accounts.claims(owner).amr()).containsExactly("pwd");
        return new Owner(owner, email, secret);
    }

    private static Person elevenMinutesOld(Person person) {
        return accounts.signIn(person, List.of("pwd", "otp", "mfa"), Instant.now().minus(Duration.ofMinutes(11)));
    }

    @Test
    @DisplayName("make a member owner: password-only or 11-minute-old MFA sign-in → 401 challenge, role unchanged; "
            + "fresh password + TOTP sign-in through login → 200, owner")
    void changeRoleToOwnerWhenOwnerHasTotpThenStepUpThroughFunctionInvoker() {
        Owner owner = ownerWithTotp("stepup.role.owner");
        String id = newOrganization(owner.passwordOnly(), "Step-up Roles");
        Person member = accounts.person("stepup.role.member");
        accounts.join(member, id, Role.ADMIN);
        String path = "/v1/orgs/" + id + "/members/" + member.userId();

        assertStepUpRequired(call("PATCH", path, owner.passwordOnly(), Map.of("role", "owner")));
        assertStepUpRequired(call("PATCH", path, elevenMinutesOld(owner.passwordOnly()), Map.of("role", "owner")));
        assertThat(roleOf(owner.passwordOnly(), id, member.userId())).as("nothing changed").isEqualTo("admin");
        var notOwner = call("PATCH", path, owner.passwordOnly(), Map.of("role", "member"));
        assertThat(notOwner.status()).as("no step-up for a role below owner: " + notOwner.body()).isEqualTo(200);

        Person fresh = login.signInWithCode(owner.passwordOnly(), owner.email(), owner.secret());
        assertThat(accounts.claims(fresh).amr()).containsExactly("pwd", "otp", "mfa");
        var promoted = call("PATCH", path, fresh, Map.of("role", "owner"));

        assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
        assertThat(promoted.bodyJson().path("role").asString()).isEqualTo("owner");
        assertThat(roleOf(owner.passwordOnly(), id, member.userId())).isEqualTo("owner");
        assertThat(function.auditEvents(id)).filteredOn(e -> e.action().equals("member.role_changed"))
                .extracting(e -> e.details().get("new_role")).as("newest first").containsExactly("owner", "member");
    }

    @Test
    @DisplayName("delete an organization: password-only or 11-minute-old MFA sign-in → 401 challenge, still there; "
            + "fresh password + TOTP sign-in through login → 204, gone")
    void deleteOrganizationWhenOwnerHasTotpThenStepUpThroughFunctionInvoker() {
        Owner owner = ownerWithTotp("stepup.delete.owner");
        String id = newOrganization(owner.passwordOnly(), "Step-up Delete");

        assertStepUpRequired(call("DELETE", "/v1/orgs/" + id, owner.passwordOnly(), null));
        assertStepUpRequired(call("DELETE", "/v1/orgs/" + id, elevenMinutesOld(owner.passwordOnly()), null));
        var still = call("GET", "/v1/orgs/" + id, owner.passwordOnly(), null);
        assertThat(still.status()).as("nothing deleted: " + still.body()).isEqualTo(200);
        assertThat(still.bodyJson().path("name").asString()).isEqualTo("Step-up Delete");

        Person fresh = login.signInWithCode(owner.passwordOnly(), owner.email(), owner.secret());
        var deleted = call("DELETE", "/v1/orgs/" + id, fresh, null);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(call("GET", "/v1/orgs/" + id, fresh, null).status()).isEqualTo(404);
        JsonNode mine = call("GET", "/v1/orgs", fresh, null).bodyJson();
        assertThat(mine.path("organizations").findValuesAsString("id")).doesNotContain(id);
        assertThat(function.auditEvents(id)).extracting(AuditEvent::action).contains("org.deleted");
    }

    @Test
    @DisplayName("invite an owner (the accepted invitation makes one): password-only or 11-minute-old MFA sign-in → "
            + "401 challenge, no invitation; fresh password + TOTP sign-in through login → 201")
    void inviteOwnerWhenOwnerHasTotpThenStepUpThroughFunctionInvoker() {
        Owner owner = ownerWithTotp("stepup.invite.owner");
        String id = newOrganization(owner.passwordOnly(), "Step-up Invitations");
        String path = "/v1/orgs/" + id + "/invitations";
        String invitee = Accounts.email("stepup.invitee");

        assertStepUpRequired(call("POST", path, owner.passwordOnly(), Map.of("email", invitee, "role", "owner")));
        assertStepUpRequired(call("POST", path, elevenMinutesOld(owner.passwordOnly()), Map.of("email", invitee,
                "role", "owner")));
        var none = call("GET", path, owner.passwordOnly(), null);
        assertThat(none.status()).as(none.body()).isEqualTo(200);
        assertThat(none.bodyJson().path("invitations")).as("nothing invited").isEmpty();

        Person fresh = login.signInWithCode(owner.passwordOnly(), owner.email(), owner.secret());
        var invited = call("POST", path, fresh, Map.of("email", invitee, "role", "owner"));

        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        assertThat(invited.bodyJson().path("role").asString()).isEqualTo("owner");
        assertThat(call("GET", path, fresh, null).bodyJson().path("invitations").findValuesAsString("email"))
                .containsExactly(invitee);
    }
}
