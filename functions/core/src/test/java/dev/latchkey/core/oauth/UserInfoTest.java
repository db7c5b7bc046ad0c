package dev.latchkey.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.application.IssueSignInTokens;
import dev.latchkey.core.http.Headers;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.token.AccessTokenVerifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The userinfo endpoint (OIDC Core §5.3) on in-memory fakes, with its RFC 6750 §3 refusals. */
class UserInfoTest {

    private final SignInFixture s = new SignInFixture();
    private final UserInfo userInfo = new UserInfo(() -> new AccessTokenVerifier(s.f.keys, SessionFixture.ISSUER,
            Set.of(IssueSignInTokens.userinfoAudience(SessionFixture.ISSUER)), s.f.clock), s.f.live, s.users);

    private String accessToken(List<String> scope) {
        String code = s.code(s.publicApp, scope, List.of("pwd"));
        return ((AuthorizationCodeResponse) s.protocol.token(s.publicRequest(s.publicApp, code))).accessToken();
    }

    private static HttpRequest get(Map<String, String> headers) {
        return HttpRequest.builder("GET", "/oauth/userinfo").headers(headers(headers)).requestId("r").build();
    }

    private static HttpRequest post(Map<String, String> headers, String body) {
        return HttpRequest.builder("POST", "/oauth/userinfo").headers(headers(headers))
                .body(body.getBytes(StandardCharsets.UTF_8)).requestId("r").build();
    }

    private static Headers headers(Map<String, String> values) {
        return Headers.ofPairs(values.entrySet().stream().flatMap(e -> Stream.of(e.getKey(),
                e.getValue())).toArray(String[]::new));
    }

    private BearerError refused(HttpRequest request) {
        return catchThrowableOfType(BearerError.class, () -> userInfo.handle(request));
    }

    @Test
    void getWhenBearerTokenWithOpenidEmailProfileThenSubAndTheReleasedClaims() {
        String token = accessToken(List.of("openid", "email", "profile"));

        Map<String, Object> claims = userInfo.handle(get(Map.of("authorization", "Bearer " + token)));

        assertThat(claims).containsEntry("sub", s.user.id()).containsEntry("email", "Grace@example.com")
                .containsEntry("email_verified", true).containsEntry("name", "Grace Hopper");
    }

    @Test
    void postWhenTokenInTheFormBodyThenOnlyTheScopesClaims() {
        String token = accessToken(List.of("openid"));

        Map<String, Object> claims = userInfo.handle(post(Map.of("content-type",
                "application/x-www-form-urlencoded"), "access_token=" + token));

        assertThat(claims).containsOnlyKeys("sub");
    }

    @Test
    void getWhenNoTokenThenBareChallengeWithoutErrorCode() {
        BearerError e = refused(get(Map.of()));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.headers()).containsEntry("www-authenticate", "Bearer realm=\"latchkey\"");
        assertThat(e.body()).doesNotContainKey("error");
    }

    @Test
    void getWhenManagementTokenOrGarbageThenInvalidToken() {
        BearerError management = refused(get(Map.of("authorization", "Bearer " + s.login.accessToken())));
        BearerError garbage = refused(get(Map.of("authorization", "Bearer not.a.token")));

        assertThat(management.status()).isEqualTo(401);
        assertThat(management.body()).containsEntry("error", "invalid_token");
        assertThat(management.headers().get("www-authenticate")).contains("error=\"invalid_token\"");
        assertThat(garbage.body()).containsEntry("error", "invalid_token");
    }

    @Test
    void getWhenTheSignInSessionEndedThenInvalidToken() {
        String token = accessToken(List.of("openid"));
        s.f.sessions.revoke(s.login.sessionId(), s.f.clock.instant(), SessionEndReason.LOGOUT);

        assertThat(refused(get(Map.of("authorization", "Bearer " + token))).body())
                .containsEntry("error", "invalid_token");
    }

    @Test
    void postWhenTokenInHeaderAndBodyThenInvalidRequest() {
        String token = accessToken(List.of("openid"));

        BearerError e = refused(post(Map.of("authorization", "Bearer " + token, "content-type",
                "application/x-www-form-urlencoded"), "access_token=" + token));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.body()).containsEntry("error", "invalid_request");
    }
}
