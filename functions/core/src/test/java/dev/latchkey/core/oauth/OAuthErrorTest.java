package dev.latchkey.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Json;
import dev.latchkey.core.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one OAuth error: codes, statuses, headers and the exact RFC 6749 §5.2 body bytes. */
class OAuthErrorTest {

    @Test
    void codesWhenListedThenRegisteredValuesAndStatuses() {
        assertThat(OAuthError.Code.INVALID_CLIENT.status()).isEqualTo(401);
        assertThat(OAuthError.Code.SLOW_DOWN.status()).isEqualTo(429);
        assertThat(OAuthError.Code.TEMPORARILY_UNAVAILABLE.status()).isEqualTo(503);
        assertThat(OAuthError.Code.SERVER_ERROR.status()).isEqualTo(500);
        for (OAuthError.Code code : List.of(OAuthError.Code.INVALID_REQUEST, OAuthError.Code.INVALID_GRANT,
                OAuthError.Code.UNAUTHORIZED_CLIENT, OAuthError.Code.UNSUPPORTED_GRANT_TYPE,
                OAuthError.Code.INVALID_SCOPE, OAuthError.Code.INVALID_TARGET)) {
            assertThat(code.status()).as(code.value()).isEqualTo(400);
            assertThat(OAuthError.Code.of(code.value())).contains(code);
        }
        assertThat(OAuthError.Code.of("access_denied")).isEmpty();
    }

    @Test
    void bodyWhenWrittenThenErrorThenDescriptionExactly() {
        assertThat(new String(Json.write(OAuthError.invalidClient(false, "Client authentication failed.").body()),
                StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed.\"}");
    }

    @Test
    void invalidClientWhenBasicThenChallengeElseNone() {
        assertThat(OAuthError.invalidClient(true, "x").headers())
                .isEqualTo(Map.of("www-authenticate", "Basic realm=\"latchkey\""));
        assertThat(OAuthError.invalidClient(false, "x").headers()).isEmpty();
        assertThat(OAuthError.tokenOfAnotherClient(true).status()).isEqualTo(401);
    }

    @Test
    void slowDownAndUnavailableWhenBuiltThenCarryRetryHeaders() {
        assertThat(OAuthError.slowDown(Map.of("retry-after", "7")).headers()).containsEntry("retry-after", "7");
        assertThat(OAuthError.temporarilyUnavailable().headers()).isEqualTo(Map.of("retry-after", "1"));
    }

    @Test
    void unexpectedWhenStoreDownThenTemporarilyUnavailableElseNoMessageLeaks() {
        OAuthError down = OAuthError.unexpected(new StoreUnavailableException(new RuntimeException("boom")));
        assertThat(down.code()).isEqualTo(OAuthError.Code.TEMPORARILY_UNAVAILABLE);
        assertThat(down.description()).doesNotContain("boom");
        OAuthError other = OAuthError.unexpected(dev.latchkey.core.session.SessionException.notFound());
        assertThat(other.body()).isEqualTo(Map.of("error", "invalid_request",
                "error_description", "The request cannot be served."));
    }

    @Test
    void invalidAssertionWhenDisclosureThenItElseFixedText() {
        assertThat(OAuthError.invalidAssertion(Optional.of("The assertion has expired.")).description())
                .isEqualTo("The assertion has expired.");
        assertThat(OAuthError.invalidAssertion(Optional.empty()).description())
                .isEqualTo("The assertion is invalid, expired or already used.");
    }

    @Test
    void toStringWhenPrintedThenNoDescription() {
        assertThat(OAuthError.invalidRequest("Missing parameter token.").toString())
                .isEqualTo("OAuthError[invalid_request, 400]");
    }
}
