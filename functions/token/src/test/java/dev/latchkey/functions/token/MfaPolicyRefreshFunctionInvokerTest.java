package dev.latchkey.functions.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.HttpEvents;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Resource tokens of an organization that requires two-factor sign-in (issue 14 item 5; docs/mfa.md "Organization
 * policy"), through {@code FunctionInvoker}: a refresh with {@code resource} from a password-only session answers 403
 * {@code mfa_required} (enrol, or sign in again with the factor) and leaves the refresh token usable; the same
 * session still refreshes its management token; a multi-factor session gets the resource token; the refusal is
 * audited ({@code session.refresh_failed}, reason {@code mfa_required}).
 */
class MfaPolicyRefreshFunctionInvokerTest {

    private static final String API = "https://mfa-policy.example.com";
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-setup");

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static LatchkeyRuntime runtime;
    private static StartSession sessions;
    private static Accounts accounts;
    private static String orgId;
    private static Person member;

    @BeforeAll
    static void start() throws IOException {
        table = EmulatedTable.start();
        accounts = Accounts.in(table);
        Map<String, String> variables = new LinkedHashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", Files.createTempDirectory("latchkey-mfa-policy").toString());
        lambda = LambdaHarness.start(TokenApplication.class.getName(), TokenApplication.FUNCTION, variables);
        runtime = LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(variables, "test"), variables);
        CompositionRoot root = new CompositionRoot(runtime);
        sessions = new StartSession(new DynamoDbSessionRepository(runtime.dynamoDb(), EmulatedTable.TABLE),
                new RefreshTokenCrypto(new DynamoDbPeppers(runtime.dynamoDb(), EmulatedTable.TABLE,
                        runtime.keyVault(), runtime.random(), runtime.clock()), runtime.random()),
                new SessionTokens(runtime.currentKeys(), () -> LambdaHarness.ISSUER, SessionPolicy.defaults(),
                        runtime.clock(), runtime.random()),
                SessionPolicy.defaults(), runtime.auditLog(), runtime.ids(), runtime.clock(), runtime.random());

        Person ownerPerson = accounts.person("policy.owner");
        orgId = root.manageOrganizations().create(ownerPerson.userId(), "Acme", ORIGIN).id();
        OrgAccess owner = new OrgAccess(orgId, new Caller.User(ownerPerson.userId(),
                runtime.ids().next(IdPrefix.SESSION), List.of("pwd", "otp", "mfa"),
                Optional.of(runtime.clock().instant())), Role.OWNER.permissions());
        member = accounts.person("policy.member");
        accounts.join(member, orgId, Role.MEMBER);
        var resource = root.manageResources().create(owner, "API", API, List.of("read"), ORIGIN);
        root.manageGrants().set(owner, resource.resourceId(), member.userId(), List.of("read"), ORIGIN);
        root.manageOrganizations().update(owner, Optional.empty(), Optional.of(true), ORIGIN);
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    private static TokenResponse login(List<String> amr) {
        return sessions.start(new StartSessionCommand(new UserProfile(member.userId(), "m@example.com", "Member"),
                member.personalOrganizationId(), amr, "203.0.113.10", "req-login"));
    }

    private static LambdaHarness.Response refresh(String refreshToken, Optional<String> resource) {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(HttpEvents.event("POST", "/oauth/token", "", Map.of(),
                null));
        String body = "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(refreshToken,
                StandardCharsets.UTF_8) + resource.map(r -> "&resource=" + URLEncoder.encode(r,
                StandardCharsets.UTF_8)).orElse("");
        ((ObjectNode) event.path("headers")).put("content-type", "application/x-www-form-urlencoded");
        event.put("body", body);
        return lambda.invoke(event.toString());
    }

    @Test
    void refreshWithResourceOfAnOrganizationRequiringMfaWhenPasswordOnlySessionThen403MfaRequired() {
        TokenResponse password = login(List.of("pwd"));

        var refused = refresh(password.refreshToken(), Optional.of(API));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.bodyJson().path("error").asString()).isEqualTo("mfa_required");
        assertThat(refused.bodyJson().path("error_description").asString()).contains("/v1/users/me/mfa/totp");

        var management = refresh(password.refreshToken(), Optional.empty());
        assertThat(management.status()).as("the session itself still refreshes: " + management.body())
                .isEqualTo(200);

        accounts.enrolTotp(member);
        var notUsed = refresh(management.bodyJson().path("refresh_token").asString(), Optional.of(API));
        assertThat(notUsed.status()).isEqualTo(403);
        assertThat(notUsed.bodyJson().path("error_description").asString()).contains("sign in again");

        var granted = refresh(login(List.of("pwd", "otp", "mfa")).refreshToken(), Optional.of(API));
        assertThat(granted.status()).as(granted.body()).isEqualTo(200);
        assertThat(granted.bodyJson().path("scope").asString()).isEqualTo("read");

        List<AuditEvent> failures = runtime.auditLog().find(member.personalOrganizationId(),
                AuditQuery.builder().action("session.refresh_failed").limit(10).build()).events();
        assertThat(failures).extracting(e -> e.details().get("reason")).containsOnly("mfa_required").hasSize(2);
        assertThat(failures).extracting(e -> e.details().get("mfa_enrolled")).containsExactlyInAnyOrder("true",
                "false");
    }
}
