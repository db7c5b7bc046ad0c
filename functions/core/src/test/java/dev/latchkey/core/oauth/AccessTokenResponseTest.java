package dev.latchkey.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The token responses without a refresh token: the exact bytes the function answered before they moved to core. */
class AccessTokenResponseTest {

    private static String json(AccessTokenResponse response) {
        return new String(Json.write(response), StandardCharsets.UTF_8);
    }

    @Test
    void clientTokenWhenScopedThenAccessTokenTypeExpiryScopeInOrder() {
        assertThat(json(AccessTokenResponse.bearer("t", Optional.empty(), 900, List.of("read", "write"))))
                .isEqualTo("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":900,"
                        + "\"scope\":\"read write\"}");
    }

    @Test
    void exchangedTokenWhenNoScopeThenIssuedTokenTypeAndNoScope() {
        assertThat(json(AccessTokenResponse.bearer("t", Optional.of("urn:ietf:params:oauth:token-type:access_token"),
                60, List.of())))
                .isEqualTo("{\"access_token\":\"t\",\"issued_token_type\":"
                        + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"Bearer\","
                        + "\"expires_in\":60}");
    }

    @Test
    void toStringWhenPrintedThenNoToken() {
        assertThat(AccessTokenResponse.bearer("secret-token", Optional.empty(), 1, List.of()).toString())
                .doesNotContain("secret-token");
    }
}
