package dev.latchkey.functions.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.apikey.ApiKeyFixture;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.apikey.ExchangeApiKey;
import dev.latchkey.core.http.Headers;
import dev.latchkey.core.http.HttpApplication;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.json.Json;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OAuth endpoints in-process on the core fakes: strict form parsing and RFC 6749 §5.2 errors. */
class TokenEndpointsTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    private static final String EXCHANGE = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
            + "&subject_token_type=urn%3Alatchkey%3Aparams%3Aoauth%3Atoken-type%3Aapi_key";

    private final SessionFixture f = new SessionFixture();
    private final ApiKeyFixture k = new ApiKeyFixture();
    private final ExchangeApiKey exchange = new ExchangeApiKey(k.verify, f.keys, () -> SessionFixture.ISSUER,
            f.policy.accessTokenLifetime(), k.audit, k.ids, k.clock, k.random);
    private final HttpApplication app = new HttpApplication(
            TokenEndpoints.routes(f.refresh, f.revoke, exchange, new InMemoryRateLimiter(f.clock)), 65_536);

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
    @DisplayName("[10.4.4] grant_type=password, client_credentials, others: unsupported_grant_type")
    void unsupportedGrantsAnswerUnsupportedGrantType() {
        for (String grant : new String[] {"password", "client_credentials", "authorization_code", "x"}) {
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
        HttpApplication broken = new HttpApplication(TokenEndpoints.routes(f.refresh, f.revoke, exchange,
                (bucket, limit) -> {
            throw new dev.latchkey.core.store.StoreUnavailableException(new RuntimeException("boom"));
        }), 65_536);
        HttpResponse response = broken.handle(HttpRequest.builder("POST", "/oauth/token")
                .headers(Headers.ofPairs("content-type", FORM)).body("grant_type=password".getBytes()).build());
        assertThat(response.status()).isEqualTo(503);
        assertThat(error(response)).isEqualTo("temporarily_unavailable");
        assertThat(response.bodyText()).doesNotContain("boom", "Exception");
    }

    private HttpResponse exchange(String key, String extra) {
        return post("/oauth/token", FORM, EXCHANGE + "&subject_token=" + key + extra);
    }

    @Test
    @DisplayName("RFC 8693: an API key becomes a short-lived access token with its permissions, verifiable by JWKS")
    void exchangeAnswersAnAccessTokenForTheKey() {
        CreatedApiKey created = k.create(ApiKeyFixture.command().permissions("read_models", "run_inference"));

        HttpResponse response = exchange(created.token().value(), "");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("cache-control", "no-store").containsEntry("pragma", "no-cache");
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.path("issued_token_type").asString())
                .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(body.path("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asLong()).isEqualTo(900);
        assertThat(body.path("scope").asString()).isEqualTo("read_models run_inference");
        assertThat(body.has("refresh_token")).isFalse();
        AccessTokenClaims claims = new AccessTokenVerifier(f.keys, SessionFixture.ISSUER,
                Set.of(SessionFixture.ISSUER), f.clock).verify(body.path("access_token").asString()).claims();
        assertThat(claims.subject()).isEqualTo(created.key().id());
        assertThat(claims.clientId()).contains(created.key().id());
        assertThat(claims.org()).contains(k.organizationId);
        assertThat(claims.scope()).containsExactly("read_models", "run_inference");
        assertThat(claims.sessionId()).isEmpty();
        assertThat(response.bodyText()).doesNotContain(created.token().value());
    }

    @Test
    @DisplayName("RFC 8693: audience sets aud; scope narrows to a subset of the key's permissions, never beyond")
    void exchangeHonoursAudienceAndNarrowsScope() {
        CreatedApiKey created = k.create(ApiKeyFixture.command().permissions("read_models", "run_inference"));

        HttpResponse narrowed = exchange(created.token().value(),
                "&audience=https%3A%2F%2Fapi.example.com&scope=read_models");
        assertThat(narrowed.status()).isEqualTo(200);
        AccessTokenClaims claims = new AccessTokenVerifier(f.keys, SessionFixture.ISSUER,
                Set.of("https://api.example.com"), f.clock)
                .verify(Json.mapper().readTree(narrowed.body()).path("access_token").asString()).claims();
        assertThat(claims.audience()).containsExactly("https://api.example.com");
        assertThat(claims.scope()).containsExactly("read_models");

        assertThat(error(exchange(created.token().value(), "&scope=read_models+delete_models")))
                .isEqualTo("invalid_scope");
        assertThat(error(exchange(created.token().value(), "&scope=READ"))).isEqualTo("invalid_scope");
        for (String audience : new String[] {"api.example.com", "ftp%3A%2F%2Fx.example",
            "https%3A%2F%2Fa.example%23f"}) {
            assertThat(error(exchange(created.token().value(), "&audience=" + audience))).as(audience)
                    .isEqualTo("invalid_target");
        }
        assertThat(error(exchange(created.token().value(), "&resource=https%3A%2F%2Fapi.example.com")))
                .isEqualTo("invalid_target");
    }

    @Test
    @DisplayName("RFC 8693 §2.1: bad subject_token_type, actor_token, other requested type → invalid_request")
    void exchangeRefusesMalformedRequests() {
        String key = k.create().token().value();
        String grant = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange";
        String[] bodies = {
            grant + "&subject_token=" + key,
            grant + "&subject_token=" + key + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt",
            EXCHANGE,
            EXCHANGE + "&subject_token=" + key + "&actor_token=x&actor_token_type=y",
            EXCHANGE + "&subject_token=" + key
                    + "&requested_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token",
        };
        for (String body : bodies) {
            HttpResponse response = post("/oauth/token", FORM, body);
            assertThat(error(response)).as(body.replace(key, "<key>")).isEqualTo("invalid_request");
            assertThat(response.bodyText()).doesNotContain(key);
        }
    }

    @Test
    @DisplayName("[11.5.1] RFC 8693 §2.2.2: revoked, expired, made-up and mistyped keys: one invalid_request")
    void exchangeRefusesInvalidKeysAlike() {
        CreatedApiKey revoked = k.create();
        k.manage.revoke(k.owner, revoked.key().id(), java.util.Optional.empty(), ApiKeyFixture.ORIGIN);
        CreatedApiKey expiring = k.create(ApiKeyFixture.command().expiresInDays(1));
        k.clock.advance(java.time.Duration.ofDays(1));
        String real = k.create().token().value();
        String typo = real.substring(0, 40) + (real.charAt(40) == 'a' ? 'b' : 'a') + real.substring(41);

        String expected = "{\"error\":\"invalid_request\",\"error_description\":"
                + "\"The API key is invalid, expired or revoked.\"}";
        for (String key : new String[] {revoked.token().value(), expiring.token().value(), k.unknownKey().value(),
            typo, "lk_nonsense"}) {
            HttpResponse response = exchange(key, "");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).isEqualTo(expected);
        }
        assertThat(k.audit.events("api_key.exchange_failed")).hasSize(2);
    }

    @Test
    @DisplayName("a key over its own rate limit: 429 slow_down with Retry-After and the rate-limit headers")
    void exchangeOfRateLimitedKeyAnswersSlowDown() {
        String key = k.create(ApiKeyFixture.command().rateLimit(1, 60)).token().value();
        assertThat(exchange(key, "").status()).isEqualTo(200);

        HttpResponse limited = exchange(key, "");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(error(limited)).isEqualTo("slow_down");
        assertThat(limited.headers()).containsKeys("retry-after", "ratelimit-limit", "x-ratelimit-remaining");
    }
}
