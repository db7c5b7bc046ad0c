package dev.latchkey.core.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.access.ApiKeyAuthenticator;
import dev.latchkey.core.apikey.ApiKeyFixture;
import dev.latchkey.core.apikey.ApiKeyToken;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.http.Headers;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.token.InvalidTokenException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CallerAuthentication}: which credential a request carries (API.md routes marked "(key)"), and that a
 * key in a query string is refused before it is used even once (SECURITY.md [14.2.1]).
 */
class CallerAuthenticationTest {

    private final SessionFixture sessions = new SessionFixture();
    private final String keyId = sessions.ids.next(IdPrefix.API_KEY);
    private final String validKey = ApiKeyToken.generate(keyId, sessions.random).value();
    private final Caller.ApiKey keyCaller = new Caller.ApiKey(keyId, sessions.organizationId, Set.of("read_models"));
    private final RecordingAuthenticator apiKeys = new RecordingAuthenticator();
    private final CallerAuthentication authentication = new CallerAuthentication(
            sessions.bearer(), apiKeys);

    /** Accepts {@link #validKey} only and records every key it is given (as a length, never the key). */
    private final class RecordingAuthenticator implements ApiKeyAuthenticator {

        private final List<String> presented = new ArrayList<>();

        @Override
        public Caller.ApiKey authenticate(String presentedKey) {
            presented.add(presentedKey);
            if (validKey.equals(presentedKey)) {
                return keyCaller;
            }
            throw AccessException.authenticationFailed();
        }

        int calls() {
            return presented.size();
        }

        boolean sawOnly(String key) {
            return presented.stream().allMatch(key::equals);
        }
    }

    private static HttpRequest request(Map<String, List<String>> query, String... headers) {
        return HttpRequest.builder("GET", "/v1/orgs/org_x/api-keys").query(query).headers(Headers.ofPairs(headers))
                .build();
    }

    private static HttpRequest request(String... headers) {
        return request(Map.of(), headers);
    }

    @Test
    @DisplayName("X-API-Key: the key's caller (surrounding spaces stripped)")
    void authenticateWhenXApiKeyHeaderThenApiKeyCaller() {
        assertThat(authentication.authenticate(request("X-API-Key", validKey))).isEqualTo(keyCaller);
        assertThat(authentication.authenticate(request("x-api-key", "  " + validKey + " "))).isEqualTo(keyCaller);
        assertThat(apiKeys.calls()).isEqualTo(2);
        assertThat(apiKeys.sawOnly(validKey)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "bearer ", "BEARER ", "BeArEr ", "Bearer   "})
    @DisplayName("Authorization: Bearer lk_…, with the scheme in any case")
    void authenticateWhenBearerApiKeyThenApiKeyCaller(String scheme) {
        assertThat(authentication.authenticate(request("Authorization", scheme + validKey))).isEqualTo(keyCaller);
        assertThat(apiKeys.sawOnly(validKey)).isTrue();
    }

    @Test
    @DisplayName("a user's access token is a User caller, and the key authenticator is not asked")
    void authenticateWhenUserAccessTokenThenUserCaller() {
        TokenResponse login = sessions.login();

        Caller caller = authentication.authenticate(request("Authorization", "Bearer " + login.accessToken()));

        assertThat(caller).isInstanceOfSatisfying(Caller.User.class, user -> {
            assertThat(user.userId()).isEqualTo(sessions.user.id());
            assertThat(user.sessionId()).isEqualTo(login.sessionId());
            assertThat(user.authTime()).as("auth_time carried for the step-up").isPresent();
            assertThat(user.amr()).isNotEmpty();
        });
        assertThat(caller.actor().id()).isEqualTo(sessions.user.id());
        assertThat(apiKeys.calls()).isZero();
    }

    @Test
    @DisplayName("an invalid access token is 401 invalid_token")
    void authenticateWhenBadAccessTokenThenInvalidToken() {
        assertThatThrownBy(() -> authentication.authenticate(request("Authorization", "Bearer not.a.jwt")))
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
        assertThat(apiKeys.calls()).isZero();
    }

    @Test
    @DisplayName("an invalid key is 401 from the key authenticator, with www-authenticate")
    void authenticateWhenInvalidKeyThen401() {
        String wrong = ApiKeyToken.generate(keyId, sessions.random).value();

        assertUnauthenticated(request("X-API-Key", wrong));
        assertUnauthenticated(request("Authorization", "Bearer " + wrong));
        assertThat(apiKeys.calls()).isEqualTo(2);
    }

    @Test
    @DisplayName("both headers at once are 400 TWO_CREDENTIALS, and neither is used")
    void authenticateWhenBothHeadersThen400() {
        TokenResponse login = sessions.login();
        for (String authorization : List.of("Bearer " + validKey, "Bearer " + login.accessToken(), "Basic eDp5")) {
            assertThatThrownBy(() -> authentication.authenticate(request("X-API-Key", validKey, "Authorization",
                    authorization))).isInstanceOfSatisfying(AccessException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                        assertThat(e.code().status()).isEqualTo(400);
                        assertThat(e.details()).containsEntry("reason", "TWO_CREDENTIALS");
                    });
        }
        assertThat(apiKeys.calls()).isZero();
    }

    @Test
    @DisplayName("no credential, another scheme or an empty bearer is 401 with www-authenticate: Bearer")
    void authenticateWhenNoCredentialThen401() {
        assertUnauthenticated(request());
        assertUnauthenticated(request("Authorization", "Basic dXNlcjpwYXNz"));
        assertUnauthenticated(request("Authorization", "Bearer"));
        assertUnauthenticated(request("Authorization", "Bearer "));
        assertUnauthenticated(request("Authorization", "Bearer    "));
        assertUnauthenticated(request("Authorization", "Bearerlk_" + validKey.substring(3)));
        assertUnauthenticated(request("Authorization", validKey));
        assertThat(apiKeys.calls()).isZero();
    }

    @Test
    @DisplayName("[14.2.1] ?api_key=… is 400 even when the header is valid, and the key is never used")
    void authenticateWhenKeyInQueryThen400AndKeyNeverUsed() {
        assertCredentialInQuery(request(Map.of("api_key", List.of(validKey)), "X-API-Key", validKey));
        assertCredentialInQuery(request(Map.of("api_key", List.of(validKey)), "Authorization", "Bearer " + validKey));
        assertCredentialInQuery(request(Map.of("api_key", List.of(validKey))));
        assertThat(apiKeys.calls()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"api_key", "API_KEY", "apikey", "key", "access_token", "token", "x-api-key", "X-Api-Key"})
    @DisplayName("[14.2.1] a query parameter named like a credential is 400 whatever its value")
    void authenticateWhenCredentialNamedQueryParameterThen400(String name) {
        assertCredentialInQuery(request(Map.of(name, List.of("anything")), "X-API-Key", validKey));
        assertCredentialInQuery(request(Map.of(name, List.of()), "X-API-Key", validKey));
        assertThat(apiKeys.calls()).isZero();
    }

    @Test
    @DisplayName("[14.2.1] any query value starting lk_ is 400, under any name and in any position")
    void authenticateWhenKeyShapedQueryValueThen400() {
        assertCredentialInQuery(request(Map.of("q", List.of(validKey)), "X-API-Key", validKey));
        assertCredentialInQuery(request(Map.of("filter", List.of("x", "lk_whatever")), "X-API-Key", validKey));
        assertCredentialInQuery(request(Map.of("limit", List.of("10"), "cursor", List.of("lk_")),
                "Authorization", "Bearer " + validKey));
        assertThat(apiKeys.calls()).isZero();
    }

    @Test
    @DisplayName("ordinary query parameters are fine")
    void authenticateWhenOrdinaryQueryThenAuthenticated() {
        HttpRequest request = request(Map.of("limit", List.of("10"), "include_revoked", List.of("true"),
                "permission", List.of("read_models")), "X-API-Key", validKey);

        assertThat(authentication.authenticate(request)).isEqualTo(keyCaller);
    }

    @Test
    @DisplayName("with the real VerifyApiKey: a key in the query string is refused without a single read")
    void authenticateWhenRealVerifierAndKeyInQueryThenNoRead() {
        ApiKeyFixture keys = new ApiKeyFixture();
        CreatedApiKey created = keys.create(ApiKeyFixture.command().permissions("read_models"));
        CallerAuthentication real = new CallerAuthentication(sessions.bearer(),
                keys.verify);
        String value = created.token().value();

        assertCredentialInQuery(real, request(Map.of("api_key", List.of(value)), "X-API-Key", value));
        assertThat(keys.repository.finds()).isZero();

        Caller caller = real.authenticate(request("Authorization", "Bearer " + value));
        assertThat(caller).isEqualTo(new Caller.ApiKey(created.key().id(), keys.organizationId, Set.of("read_models")));
        assertThat(keys.repository.finds()).isEqualTo(1);
    }

    @Test
    @DisplayName("no error of this class carries the presented key")
    void authenticateWhenRefusedThenErrorsHoldNoKey() {
        List<HttpRequest> refused = List.of(request(Map.of("api_key", List.of(validKey))),
                request("X-API-Key", validKey, "Authorization", "Bearer " + validKey),
                request("Authorization", "Basic " + validKey));
        for (HttpRequest request : refused) {
            LatchkeyException e = (LatchkeyException) catchThrowable(
                    () -> authentication.authenticate(request));
            assertThat(String.valueOf(e.getMessage()).contains(validKey)).isFalse();
            assertThat(e.details().toString().contains(validKey)).isFalse();
            assertThat(e.headers().toString().contains(validKey)).isFalse();
        }
    }

    private void assertUnauthenticated(HttpRequest request) {
        assertThatThrownBy(() -> authentication.authenticate(request)).isInstanceOfSatisfying(LatchkeyException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                    assertThat(e.headers()).containsKey("www-authenticate");
                    assertThat(e.headers().get("www-authenticate")).startsWith("Bearer");
                });
    }

    private void assertCredentialInQuery(HttpRequest request) {
        assertCredentialInQuery(authentication, request);
    }

    private static void assertCredentialInQuery(CallerAuthentication authentication, HttpRequest request) {
        assertThatThrownBy(() -> authentication.authenticate(request)).isInstanceOfSatisfying(AccessException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).containsEntry("field", "query")
                            .containsEntry("reason", "CREDENTIAL_IN_QUERY");
                });
    }
}
