package dev.latchkey.functions.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.mfa.MfaMail;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.infrastructure.mail.FileOutboxMailer;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.Events;
import dev.latchkey.infrastructure.testing.FunctionUnderTest;
import dev.latchkey.infrastructure.testing.HttpEvents;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two-factor sign-in as an organization's policy, through {@code FunctionInvoker} (issue 14 items 5 and 7; docs/mfa.md
 * "Organization policy", "Administrator reset"): {@code PATCH /v1/orgs/{orgId}} {@code {require_mfa}}, the answers of
 * the organization's routes to members with and without a second factor, and
 * {@code DELETE /v1/orgs/{orgId}/members/{userId}/mfa}; the {@code mfa-*} events of {@code events/orgs}.
 */
class OrgMfaFunctionInvokerTest {

    private static final List<String> MULTI_FACTOR = List.of("pwd", "otp", "mfa");

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static Accounts accounts;
    private static FileOutboxMailer outbox;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, dataDir);
        accounts = function.accounts();
        outbox = new FileOutboxMailer(dataDir.resolve("outbox"), Clock.systemUTC(), new SecureRandom());
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    private static LambdaHarness.Response call(String method, String path, Map<String, String> headers, Object body) {
        return function.invoke(method, path, "", headers, body);
    }

    private static String newOrganization(Person owner) {
        var created = call("POST", "/v1/orgs", owner.bearer(), Map.of("name", "Policy Inc"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.bodyJson().path("require_mfa").asBoolean()).isFalse();
        return created.bodyJson().path("id").asString();
    }

    @Test
    void everyMfaEventAnswers401WithoutACredentialThroughFunctionInvoker() throws IOException {
        List<Path> files = Events.of("orgs").stream().filter(p -> p.getFileName().toString().startsWith("mfa-"))
                .toList();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("mfa-policy-without-credential.json", "mfa-reset-without-credential.json");
        for (Path file : files) {
            String text = Files.readString(file);
            JsonNode event = Json.mapper().readTree(text);
            assertThat(ApiCatalog.match(event.path("requestContext").path("http").path("method").asString(),
                    event.path("rawPath").asString())).as(file.toString()).hasValueSatisfying(m -> {
                        assertThat(m.route().key()).isEqualTo(event.path("routeKey").asString());
                        assertThat(m.function().name()).isEqualTo(OrgsApplication.FUNCTION);
                    });
            var response = function.invoke(text);
            assertThat(response.status()).as(file + " " + response.body()).isEqualTo(401);
            assertThat(response.errorCode()).isEqualTo("AUTHENTICATION_FAILED");
        }
    }

    @Test
    @DisplayName("require_mfa: owner turns it on with a multi-factor sign-in; a member without a factor gets 403 "
            + "MFA_REQUIRED with the enrol link, one with an unused factor the RFC 9470 challenge, a multi-factor "
            + "sign-in and an API key pass; turning it off needs a step-up")
    void requireMfaPolicyThroughFunctionInvoker() {
        Person owner = accounts.person("policy.owner");
        String id = newOrganization(owner);
        Person member = accounts.person("policy.member");
        accounts.join(member, id, Role.ADMIN);
        String key = accounts.apiKey(id, Set.of(Permissions.ORG_READ));

        var refused = call("PATCH", "/v1/orgs/" + id, owner.bearer(), Map.of("require_mfa", true));
        assertThat(refused.status()).as("the owner has no second factor: " + refused.body()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("MFA_REQUIRED");

        accounts.enrolTotp(owner);
        var notUsed = call("PATCH", "/v1/orgs/" + id, owner.bearer(), Map.of("require_mfa", true));
        assertThat(notUsed.status()).as(notUsed.body()).isEqualTo(401);
        assertThat(notUsed.header("www-authenticate")).contains("insufficient_user_authentication")
                .contains("acr_values=");

        Person ownerMfa = accounts.signIn(owner, MULTI_FACTOR);
        var on = call("PATCH", "/v1/orgs/" + id, ownerMfa.bearer(), Map.of("require_mfa", true));
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        assertThat(on.bodyJson().path("require_mfa").asBoolean()).isTrue();
        assertThat(on.bodyJson().path("name").asString()).isEqualTo("Policy Inc");

        var noFactor = call("GET", "/v1/orgs/" + id, member.bearer(), null);
        assertThat(noFactor.status()).as(noFactor.body()).isEqualTo(403);
        assertThat(noFactor.errorCode()).isEqualTo("MFA_REQUIRED");
        JsonNode details = noFactor.bodyJson().path("error").path("details");
        assertThat(details.path("reason").asString()).isEqualTo("MFA_NOT_ENROLLED");
        assertThat(details.path("enrol").asString()).isEqualTo("/v1/users/me/mfa/totp");
        assertThat(call("GET", "/v1/orgs/" + id + "/members", member.bearer(), null).status())
                .as("every route of the organization").isEqualTo(403);
        var listed = call("GET", "/v1/orgs", member.bearer(), null);
        assertThat(listed.status()).as("signing in and listing still work").isEqualTo(200);
        assertThat(listed.bodyJson().path("organizations").findValues("require_mfa")).extracting(JsonNode::asBoolean)
                .contains(true);

        accounts.enrolTotp(member);
        var unused = call("GET", "/v1/orgs/" + id, member.bearer(), null);
        assertThat(unused.status()).as(unused.body()).isEqualTo(401);
        assertThat(unused.errorReason()).isEqualTo("INSUFFICIENT_USER_AUTHENTICATION");
        assertThat(unused.header("www-authenticate")).startsWith("Bearer error=\"insufficient_user_authentication\"")
                .contains("multi-factor").doesNotContain("max_age");

        assertThat(call("GET", "/v1/orgs/" + id, accounts.signIn(member, MULTI_FACTOR).bearer(), null).status())
                .isEqualTo(200);
        assertThat(call("GET", "/v1/orgs/" + id, accounts.signIn(member, List.of("hwk", "user", "mfa")).bearer(),
                null).status()).as("a passkey with user verification").isEqualTo(200);
        assertThat(call("GET", "/v1/orgs/" + id, HttpEvents.apiKey(key), null).status()).as("an API key")
                .isEqualTo(200);

        var off = call("PATCH", "/v1/orgs/" + id, ownerMfa.bearer(), Map.of("require_mfa", false));
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(call("GET", "/v1/orgs/" + id, member.bearer(), null).status()).isEqualTo(200);

        List<AuditEvent> trail = function.auditEvents(id);
        assertThat(trail).filteredOn(e -> e.action().equals("org.mfa_policy_changed"))
                .extracting(e -> e.details().get("require_mfa")).as("newest first").containsExactly("false", "true");
        assertThat(trail).filteredOn(e -> e.action().equals("authorization.denied"))
                .extracting(e -> e.details().get("reason")).contains("MFA_NOT_ENROLLED", "MFA_NOT_USED");
    }

    @Test
    @DisplayName("admin reset: step-up, member of this organization only, never an owner by an admin, audited, "
            + "mailed")
    void adminResetThroughFunctionInvoker() {
        Person owner = accounts.person("reset.owner");
        String id = newOrganization(owner);
        Person admin = accounts.person("reset.admin");
        accounts.join(admin, id, Role.ADMIN);
        Person member = accounts.person("reset.member");
        accounts.join(member, id, Role.MEMBER);
        Person stranger = accounts.person("reset.stranger");
        accounts.enrolTotp(member);
        accounts.enrolTotp(owner);
        accounts.enrolTotp(stranger);
        accounts.enrolTotp(admin);
        Person adminMfa = accounts.signIn(admin, MULTI_FACTOR);

        var stepUp = call("DELETE", "/v1/orgs/" + id + "/members/" + member.userId() + "/mfa", admin.bearer(), null);
        assertThat(stepUp.status()).as("the admin has a factor but signed in without it: " + stepUp.body())
                .isEqualTo(401);
        assertThat(stepUp.header("www-authenticate")).contains("insufficient_user_authentication")
                .contains("max_age=\"600\"");
        var byMember = call("DELETE", "/v1/orgs/" + id + "/members/" + owner.userId() + "/mfa",
                accounts.signIn(member, MULTI_FACTOR).bearer(), null);
        assertThat(byMember.status()).as("a member lacks member:remove").isEqualTo(403);
        assertThat(byMember.errorCode()).isEqualTo("PERMISSION_DENIED");
        var outsider = call("DELETE", "/v1/orgs/" + id + "/members/" + stranger.userId() + "/mfa", adminMfa.bearer(),
                null);
        assertThat(outsider.status()).as("never outside the organization").isEqualTo(404);
        assertThat(accounts.hasTotp(stranger)).isTrue();
        var ownerTarget = call("DELETE", "/v1/orgs/" + id + "/members/" + owner.userId() + "/mfa", adminMfa.bearer(),
                null);
        assertThat(ownerTarget.status()).isEqualTo(403);
        assertThat(ownerTarget.errorReason()).isEqualTo("ROLE_NOT_GRANTABLE");
        assertThat(accounts.hasTotp(owner)).isTrue();
        var byKey = call("DELETE", "/v1/orgs/" + id + "/members/" + member.userId() + "/mfa",
                HttpEvents.apiKey(accounts.apiKey(id, Role.OWNER.permissions())), null);
        assertThat(byKey.status()).isEqualTo(403);
        assertThat(byKey.errorReason()).isEqualTo("USER_REQUIRED");

        var reset = call("DELETE", "/v1/orgs/" + id + "/members/" + member.userId() + "/mfa", adminMfa.bearer(),
                null);
        assertThat(reset.status()).as(reset.body()).isEqualTo(204);
        assertThat(accounts.hasTotp(member)).isFalse();
        assertThat(function.auditEvents(id)).filteredOn(e -> e.action().equals("mfa.reset")).singleElement()
                .satisfies(e -> {
                    assertThat(e.actor().id()).isEqualTo(admin.userId());
                    assertThat(e.target()).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(member.userId()));
                });
        assertThat(outbox.latest(MfaMail.MFA_REMOVED)).hasValueSatisfying(mail -> {
            assertThat(mail.text()).contains("administrator");
            assertThat(mail.message().to()).contains("reset.member");
        });
        assertThat(call("DELETE", "/v1/orgs/" + id + "/members/" + member.userId() + "/mfa", adminMfa.bearer(),
                null).status()).as("nothing left to reset").isEqualTo(404);
    }
}
