package dev.latchkey.functions.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Headers;
import dev.latchkey.core.http.HttpApplication;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.json.Json;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.session.TokenResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OAuth endpoints in-process on the core fakes: strict form parsing and RFC 6749 §5.2 errors. */
class TokenEndpointsTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    private final SessionFixture f = new SessionFixture();
    private final HttpApplication app = new HttpApplication(
            TokenEndpoints.routes(f.refresh, f.revoke, new InMemoryRateLimiter(f.clock)), 65_536);

    private HttpResponse post(String path, String contentType, String body) {
        return app.handle(HttpRequest.builder("POST", path).headers(Headers.ofPairs("content-type", contentType))
                .body(body.getBytes(StandardCharsets.UTF_8)).sourceIp("203.0.113.10").build());
    }

    private static String error(HttpResponse response) {
        return Json.mapper().readTree(response.body()).path("error").asString();
    }

    @Test
    @DisplayName("[10.4.5] grant_type=refresh_token answers a rotated token response, no-store")
    void refreshGrantAnswersTokenResponse() {
        TokenResponse login = f.login();
        HttpResponse response = post("/oauth/token", FORM + "; charset=UTF-8",
                "grant_type=refresh_token&refresh_token=" + login.refreshToken() + "&client_id=ignored");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("cache-control", "no-store").containsEntry("pragma", "no-cache");
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.path("refresh_token").asString()).isNotEqualTo(login.refreshToken());
        assertThat(body.path("session_id").asString()).isEqualTo(login.sessionId());
    }

    @Test
    @DisplayName("[10.4.4] grant_type=password, token exchange, client_credentials: unsupported_grant_type")
    void unsupportedGrantsAnswerUnsupportedGrantType() {
        for (String grant : new String[] {"password", "client_credentials",
            "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange", "authorization_code", "x"}) {
            HttpResponse response = post("/oauth/token", FORM, "grant_type=" + grant + "&username=a&password=b");
            assertThat(response.status()).as(grant).isEqualTo(400);
            assertThat(error(response)).as(grant).isEqualTo("unsupported_grant_type");
        }
    }

    @Test
    @DisplayName("[16.5.1] RFC 6749 §3.2: malformed, repeated or missing parameters → invalid_request")
    void malformedRequestsAnswerInvalidRequest() {
        String token = f.login().refreshToken();
        String[] bodies = {
            "refresh_token=" + token,
            "grant_type=&refresh_token=" + token,
            "grant_type=refresh_token",
            "grant_type=refresh_token&grant_type=refresh_token&refresh_token=" + token,
            "grant_type=refresh_token&refresh_token=" + token + "&refresh_token=" + token,
            "grant_type=refresh%ZZtoken",
            "grant_type=refresh_token%",
            "grant_type=%C3%28",
            "grant_type=refresh_token%00",
            "grant_type=\u00e9",
        };
        for (String body : bodies) {
            HttpResponse response = post("/oauth/token", FORM, body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(error(response)).as(body).isEqualTo("invalid_request");
            assertThat(response.bodyText()).as("never echoes a value").doesNotContain(token);
        }
        for (String type : new String[] {"application/json", "text/plain", FORM + "; charset=latin1", ""}) {
            HttpResponse response = post("/oauth/token", type, "grant_type=refresh_token&refresh_token=" + token);
            assertThat(response.status()).as(type).isEqualTo(400);
            assertThat(error(response)).as(type).isEqualTo("invalid_request");
        }
        assertThat(error(post("/oauth/token", FORM, "grant_type=refresh_token&scope=admin&refresh_token=" + token)))
                .isEqualTo("invalid_scope");
    }

    @Test
    @DisplayName("[10.4.5] every refused refresh token gets the same invalid_grant body")
    void refusedRefreshTokensAllAnswerTheSameInvalidGrant() {
        TokenResponse login = f.login();
        f.refresh(login.refreshToken());
        f.clock.advance(f.policy.reuseGrace().plusSeconds(1));
        HttpResponse reused = post("/oauth/token", FORM, "grant_type=refresh_token&refresh_token="
                + login.refreshToken());
        HttpResponse garbage = post("/oauth/token", FORM, "grant_type=refresh_token&refresh_token=nope");
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.bodyText()).isEqualTo(garbage.bodyText())
                .isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":"
                        + "\"The refresh token is invalid, expired or revoked.\"}");
        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
    }

    @Test
    @DisplayName("RFC 7009: revoke answers 200 with no body for any token; a refresh token ends its session")
    void revokeAnswersOkAndEndsTheSession() {
        TokenResponse login = f.login();
        for (String body : new String[] {"token=unknown", "token=" + login.accessToken() + "&token_type_hint=x",
            "token=" + login.refreshToken() + "&token_type_hint=refresh_token"}) {
            HttpResponse response = post("/oauth/revoke", FORM, body);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
        }
        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(error(post("/oauth/revoke", FORM, "token_type_hint=refresh_token"))).isEqualTo("invalid_request");
    }

    @Test
    @DisplayName("[16.5.3] the store down: 503 temporarily_unavailable, no stack trace")
    void storeDownAnswersTemporarilyUnavailable() {
        HttpApplication broken = new HttpApplication(TokenEndpoints.routes(f.refresh, f.revoke, (bucket, limit) -> {
            throw new dev.latchkey.core.store.StoreUnavailableException(new RuntimeException("boom"));
        }), 65_536);
        HttpResponse response = broken.handle(HttpRequest.builder("POST", "/oauth/token")
                .headers(Headers.ofPairs("content-type", FORM)).body("grant_type=password".getBytes()).build());
        assertThat(response.status()).isEqualTo(503);
        assertThat(error(response)).isEqualTo("temporarily_unavailable");
        assertThat(response.bodyText()).doesNotContain("boom", "Exception");
    }
}
