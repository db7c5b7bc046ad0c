package dev.latchkey.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.resource.ResourceAccess;
import dev.latchkey.core.resource.ResourceFixture;
import dev.latchkey.core.token.AccessTokenType;
import dev.latchkey.core.token.Base64Url;
import dev.latchkey.core.token.NimbusVerifiers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 12 §1: the header type and {@code client_id} of user access tokens (password and passkey login and both
 * refreshes mint through {@link SessionTokens}), and what an unmodified Nimbus {@code DefaultJWTProcessor} — the
 * verifier under Spring Security's resource server — makes of them in each mode.
 */
class SessionTokensTest {

    private static final String AUDIENCE = "https://api.example.com";

    private final SessionFixture f = new SessionFixture();
    private final ResourceFixture r = new ResourceFixture();

    private SessionTokens tokens(Clock clock, AccessTokenType type, String clientId) {
        return new SessionTokens(f.keys, () -> SessionFixture.ISSUER, f.policy, clock, f.random, type, clientId);
    }

    private Session session() {
        return f.session(f.login().sessionId());
    }

    private ResourceAccess resourceAccess() {
        Resource resource = r.resources.create(r.owner, "API", AUDIENCE, List.of("read", "write"),
                ResourceFixture.ORIGIN);
        return new ResourceAccess(resource, List.of("read"));
    }

    private static JsonNode part(String token, int index) {
        byte[] bytes = Base64Url.decode(token.split("\\.")[index]).orElseThrow();
        return Json.mapper().readTree(new String(bytes, StandardCharsets.UTF_8));
    }

    private DefaultJWTProcessor<SecurityContext> nimbus() throws Exception {
        return NimbusVerifiers.defaults(NimbusVerifiers.jwks(f.keys.jwks().body()));
    }

    /** A strict RFC 9068 validator: typ at+jwt, exact iss and aud, every §2.2 claim and auth_time. */
    private DefaultJWTProcessor<SecurityContext> strictRfc9068(String audience) throws Exception {
        return NimbusVerifiers.strictRfc9068(NimbusVerifiers.jwks(f.keys.jwks().body()), SessionFixture.ISSUER,
                audience, f.clock, "auth_time");
    }

    @Test
    @DisplayName("default mode: typ JWT, client_id latchkey, every RFC 9068 §2.2 claim, own token and resource token")
    void accessTokenWhenDefaultModeThenTypJwtAndFirstPartyClientId() {
        Session session = session();

        for (String token : List.of(f.tokens.accessToken(session),
                f.tokens.accessToken(session, Optional.of(resourceAccess())))) {
            assertThat(part(token, 0).get("typ").asString()).isEqualTo("JWT");
            JsonNode payload = part(token, 1);
            assertThat(payload.propertyNames()).containsAll(NimbusVerifiers.RFC9068_CLAIMS).contains("auth_time");
            assertThat(payload.get("client_id").asString()).isEqualTo("latchkey");
        }
    }

    @Test
    @DisplayName("default mode: Nimbus DefaultJWTProcessor with its defaults (Spring Boot's) accepts the tokens")
    void accessTokenWhenDefaultModeThenNimbusDefaultProcessorAccepts() throws Exception {
        SessionTokens live = tokens(Clock.systemUTC(), AccessTokenType.JWT, "latchkey");
        Session session = session();

        JWTClaimsSet own = nimbus().process(live.accessToken(session), null);
        JWTClaimsSet forResource = nimbus().process(live.accessToken(session, Optional.of(resourceAccess())), null);

        assertThat(own.getAudience()).containsExactly(SessionFixture.ISSUER);
        assertThat(own.getStringClaim("client_id")).isEqualTo("latchkey");
        assertThat(forResource.getAudience()).containsExactly(AUDIENCE);
        assertThat(forResource.getStringClaim("client_id")).isEqualTo("latchkey");
    }

    @Test
    @DisplayName("at+jwt mode: a strict RFC 9068 processor (typ at+jwt, all §2.2 claims) accepts both tokens")
    void accessTokenWhenAtJwtModeThenStrictRfc9068ProcessorAccepts() throws Exception {
        SessionTokens typed = tokens(f.clock, AccessTokenType.AT_JWT, "web-console");
        Session session = session();

        String own = typed.accessToken(session);
        String forResource = typed.accessToken(session, Optional.of(resourceAccess()));

        assertThat(part(own, 0).get("typ").asString()).isEqualTo("at+jwt");
        assertThat(strictRfc9068(SessionFixture.ISSUER).process(own, null).getStringClaim("client_id"))
                .isEqualTo("web-console");
        assertThat(strictRfc9068(AUDIENCE).process(forResource, null).getStringClaim("client_id"))
                .isEqualTo("web-console");
    }

    /** Why JWT is the default: unconfigured Nimbus (and Spring Boot 3.5/4.0 on it) refuses typ at+jwt. */
    @Test
    void accessTokenWhenAtJwtModeThenNimbusDefaultsRefuse() throws Exception {
        SessionTokens typed = tokens(Clock.systemUTC(), AccessTokenType.AT_JWT, "latchkey");
        String token = typed.accessToken(session());
        DefaultJWTProcessor<SecurityContext> defaults = nimbus();

        assertThatThrownBy(() -> defaults.process(token, null)).isInstanceOf(BadJOSEException.class)
                .hasMessageContaining("typ");
    }

    @Test
    @DisplayName("Latchkey's verifier accepts both modes: switching LATCHKEY_ACCESS_TOKEN_TYPE breaks no token")
    void verifyWhenEitherModeThenOwnVerifierAccepts() {
        Session session = session();
        String before = tokens(f.clock, AccessTokenType.JWT, "latchkey").accessToken(session);
        String after = tokens(f.clock, AccessTokenType.AT_JWT, "latchkey").accessToken(session);

        assertThat(f.verifier().verify(before).claims().clientId()).contains("latchkey");
        assertThat(f.verifier().verify(after).claims().clientId()).contains("latchkey");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cli_01JXAMPLE0000000000000000", "key_x", "a b", "-latchkey", "latchkey/",
        "x12345678901234567890123456789012345678901234567890123456789012345"})
    void constructorWhenFirstPartyClientIdInvalidThenRejected(String clientId) {
        assertThatIllegalArgumentException().isThrownBy(() -> tokens(f.clock, AccessTokenType.JWT, clientId));
        assertThat(SessionTokens.firstPartyClientIdProblem(clientId)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"latchkey", "web-console", "app.example.com", "A1~b"})
    void firstPartyClientIdProblemWhenValidThenNone(String clientId) {
        assertThat(SessionTokens.firstPartyClientIdProblem(clientId)).isEmpty();
    }
}
