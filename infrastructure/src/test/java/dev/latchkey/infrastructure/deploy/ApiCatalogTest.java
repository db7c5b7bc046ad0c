package dev.latchkey.infrastructure.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.ApiRoutes;
import dev.latchkey.core.http.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployment catalog against core's one route declaration: each route served by exactly one function. */
class ApiCatalogTest {

    @Test
    void functionsWhenRoutesCollectedThenEachApiRouteServedExactlyOnce() {
        List<Route> served = new ArrayList<>();
        ApiCatalog.functions().forEach(f -> served.addAll(f.routes()));

        assertThat(served).containsExactlyInAnyOrderElementsOf(ApiRoutes.all()).doesNotHaveDuplicates();
    }

    @Test
    void matchWhenRouteOfAnAreaThenTheFunctionServingItAndThePathVariables() {
        var match = ApiCatalog.match("DELETE", "/v1/orgs/org_1/clients/cli_2/keys/k_3").orElseThrow();

        assertThat(match.function().name()).isEqualTo("orgs");
        assertThat(match.route().key()).isEqualTo("DELETE /v1/orgs/{orgId}/clients/{clientId}/keys/{keyId}");
        assertThat(match.pathParameters()).isEqualTo(Map.of("orgId", "org_1", "clientId", "cli_2", "keyId", "k_3"));
    }

    @Test
    void matchWhenLiteralAndVariableBothMatchThenLiteralWins() {
        assertThat(ApiCatalog.match("GET", "/v1/orgs/org_1/api-keys/stats").orElseThrow().route().key())
                .isEqualTo("GET /v1/orgs/{orgId}/api-keys/stats");
        assertThat(ApiCatalog.match("GET", "/nope")).isEmpty();
        assertThat(ApiCatalog.defaultRouteFunction().name()).isEqualTo("health");
    }
}
