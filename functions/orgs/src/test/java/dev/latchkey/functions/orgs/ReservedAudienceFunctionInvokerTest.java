package dev.latchkey.functions.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.FunctionUnderTest;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audiences are Latchkey's to guard (issue 11 §2), through the real Lambda entry point on the emulated table: no
 * resource gets the issuer's URL, one under it or a route of Latchkey (the function's issuer is
 * {@value LambdaHarness#ISSUER}); a deleted resource's audience stays its organization's, even after the
 * organization is deleted, and the tombstone does not stop that delete.
 */
class ReservedAudienceFunctionInvokerTest {

    @TempDir
    static Path dataDir;

    private static FunctionUnderTest function;
    private static Accounts accounts;

    @BeforeAll
    static void start() {
        function = FunctionUnderTest.start(OrgsApplication.class.getName(), OrgsApplication.FUNCTION, dataDir);
        accounts = function.accounts();
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    private static LambdaHarness.Response call(Person person, String method, String path, String body) {
        return function.invoke(method, path, "", person.bearer(), body);
    }

    private static String resource(String audience) {
        return "{\"name\":\"API\",\"audience\":\"" + audience + "\",\"scopes\":[\"read\"]}";
    }

    @Test
    void createWhenTheAudienceIsLatchkeysOwnUrlThenBadRequestReservedAudience() {
        Person owner = accounts.person("ra-owner@example.com", true);
        String base = "/v1/orgs/" + owner.personalOrganizationId();
        for (String audience : List.of("http://localhost:3000", "http://LOCALHOST:3000/", "http://127.0.0.1:3000",
                "http://localhost:3000/v1/orgs/" + owner.personalOrganizationId(),
                "http://localhost:3000/.well-known/jwks.json", "http://localhost:3000/oauth/token",
                "http://localhost:3000/api/%2e%2e/v1/users/me", "http://localhost:3000//")) {
            var refused = call(owner, "POST", base + "/resources", resource(audience));
            assertThat(refused.status()).as(audience + " " + refused.body()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("VALIDATION_ERROR");
            assertThat(refused.errorField()).isEqualTo("audience");
            assertThat(refused.errorReason()).isEqualTo("RESERVED_AUDIENCE");
        }
        assertThat(call(owner, "GET", base + "/resources", null).bodyJson().path("resources").size()).isZero();
        // Another port of the same host is another origin, not Latchkey's.
        assertThat(call(owner, "POST", base + "/resources", resource("http://localhost:8080/api")).status())
                .isEqualTo(201);
    }

    @Test
    void updateWhenTheBodyNamesAnAudienceThenRefusedAndTheAudienceUnchanged() {
        Person owner = accounts.person("ra-update@example.com", true);
        String base = "/v1/orgs/" + owner.personalOrganizationId();
        var created = call(owner, "POST", base + "/resources", resource("https://ra-update.example.com"));
        String id = created.bodyJson().path("id").asString();

        var patched = call(owner, "PATCH", base + "/resources/" + id, "{\"audience\":\"http://localhost:3000\"}");

        assertThat(patched.status()).isEqualTo(400);
        assertThat(patched.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(call(owner, "GET", base + "/resources/" + id, null).bodyJson().path("audience").asString())
                .isEqualTo("https://ra-update.example.com");
    }

    @Test
    void deleteWhenTheResourceIsGoneThenOnlyItsOrganizationRegistersTheAudienceEvenAfterTheOrganizationIsDeleted() {
        Person alice = accounts.person("ra-alice@example.com", true);
        Person mallory = accounts.person("ra-mallory@example.com", true);
        var org = call(alice, "POST", "/v1/orgs", "{\"name\":\"Short-lived\"}");
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        String base = "/v1/orgs/" + org.bodyJson().path("id").asString();
        var created = call(alice, "POST", base + "/resources", resource("https://ra-kept.example.com"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.bodyJson().path("id").asString();
        assertThat(call(alice, "DELETE", base + "/resources/" + id, null).status()).isEqualTo(204);

        String malloryBase = "/v1/orgs/" + mallory.personalOrganizationId();
        var taken = call(mallory, "POST", malloryBase + "/resources", resource("https://RA-KEPT.example.com:443"));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.errorReason()).isEqualTo("AUDIENCE_TAKEN");

        var again = call(alice, "POST", base + "/resources", resource("https://ra-kept.example.com"));
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(call(alice, "DELETE", base + "/resources/" + again.bodyJson().path("id").asString(), null)
                .status()).isEqualTo(204);

        var orgDeleted = call(alice, "DELETE", base, null);
        assertThat(orgDeleted.status()).as(orgDeleted.body()).isEqualTo(204);
        var stillTaken = call(mallory, "POST", malloryBase + "/resources", resource("https://ra-kept.example.com"));
        assertThat(stillTaken.status()).isEqualTo(409);
        assertThat(stillTaken.errorReason()).isEqualTo("AUDIENCE_TAKEN");
    }
}
