package dev.latchkey.functions.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.apikey.ApiKeyFixture;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.apikey.ExchangeApiKey;
import dev.latchkey.core.apikey.VerificationFailure;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.audit.Target;
import dev.latchkey.core.client.AllowedResources;
import dev.latchkey.core.client.AssertionSigner;
import dev.latchkey.core.client.ClientAuthentication;
import dev.latchkey.core.client.ClientSecretHasher;
import dev.latchkey.core.client.IssueClientToken;
import dev.latchkey.core.http.Headers;
import dev.latchkey.core.http.HttpApplication;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.introspect.IntrospectToken;
import dev.latchkey.core.keys.AccessTokenMint;
import dev.latchkey.core.metadata.AuthorizationServerMetadata;
import dev.latchkey.core.oauth.OAuthFixture;
import dev.latchkey.core.oauth.OAuthProtocol;
import dev.latchkey.core.oauth.OAuthRateLimit;
import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.resource.GrantedScopes;
import dev.latchkey.core.resource.InMemoryResourceRepository;
import dev.latchkey.core.revocation.RevokeOAuthToken;
import dev.latchkey.core.session.RefreshSession;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenType;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.InvalidTokenException;
import dev.latchkey.core.token.NimbusVerifiers;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OAuth endpoints in-process on the core fakes: strict form parsing and RFC 6749 §5.2 errors. */
class TokenEndpointsTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    private static final String EXCHANGE = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
            + "&subject_token_type=urn%3Alatchkey%3Aparams%3Aoauth%3Atoken-type%3Aapi_key";

    private final OAuthFixture o = new OAuthFixture();
    private final SessionFixture f = o.f;
    private final ApiKeyFixture k = o.k;
    private static final String API = OAuthFixture.API;
    private static final String CLIENT = OAuthFixture.CLIENT;

    private final InMemoryResourceRepository resources = o.resources;
    private final GrantedScopes audiences = o.audiences;
    private final ClientSecretHasher hasher = o.hasher;
    private final InMemoryAuditLog clientAudit = o.clientAudit;
    private final ClientAuthentication authentication = o.authentication;
    private final IntrospectToken introspect = o.introspect;
    private final RevokeOAuthToken revoke = o.revoke;
    private final OAuthProtocol services = o.protocol;
    private final HttpApplication app = new HttpApplication(
            TokenEndpoints.routes(services, new InMemoryRateLimiter(f.clock)), 65_536);
    private final String secret = o.secret;
    private final KeyPair ed = o.ed;
    private final KeyPair ec = o.ec;

    private HttpResponse post(String path, String body, String... headers) {
        String[] pairs = new String[headers.length + 2];
        pairs[0] = "content-type";
        pairs[1] = FORM;
        System.arraycopy(headers, 0, pairs, 2, headers.length);
        return app.handle(HttpRequest.builder("POST", path).headers(Headers.ofPairs(pairs))
                .body(body.getBytes(StandardCharsets.UTF_8)).sourceIp("203.0.113.10").build());
    }

    private String basic(String id, String value) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + value).getBytes(StandardCharsets.UTF_8));
    }

    private AccessTokenClaims apiClaims(HttpResponse response) {
        return apiClaims(Json.mapper().readTree(response.body()).path("access_token").asString());
    }

    private AccessTokenClaims apiClaims(String token) {
        return new AccessTokenVerifier(f.keys, SessionFixture.ISSUER, Set.of(API), f.clock).verify(token).claims();
    }

    @Test
    @DisplayName("RFC 6749 §4.4: client_credentials with Basic → a token for its one resource with its granted scopes")
    void clientCredentialsWithBasicSecretAnswersResourceToken() {
        HttpResponse response = post("/oauth/token", "grant_type=client_credentials",
                "authorization", basic(CLIENT, secret));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("cache-control", "no-store");
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.path("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.path("scope").asString()).isEqualTo("read write");
        AccessTokenClaims claims = apiClaims(response);
        assertThat(claims.subject()).isEqualTo(CLIENT);
        assertThat(claims.clientId()).contains(CLIENT);
        assertThat(claims.org()).contains(k.organizationId);
        assertThat(claims.scope()).containsExactly("read", "write");
        assertThat(clientAudit.events("token.client_credentials")).hasSize(1);
    }

    @Test
    @DisplayName("client_secret_post and private_key_jwt; resource and scope narrow; more scope → invalid_scope")
    void clientCredentialsWithPostAndAssertion() {
        HttpResponse post = post("/oauth/token", "grant_type=client_credentials&client_id=" + CLIENT
                + "&client_secret=" + secret + "&resource=https%3A%2F%2Fapi.example.com&scope=read");
        assertThat(post.status()).isEqualTo(200);
        assertThat(apiClaims(post).scope()).containsExactly("read");

        String assertion = AssertionSigner.sign(ed, "ed-1", CLIENT, SessionFixture.ISSUER + "/oauth/token",
                f.clock.instant());
        HttpResponse jwt = post("/oauth/token", "grant_type=client_credentials&client_assertion_type="
                + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + assertion
                + "&audience=https%3A%2F%2Fapi.example.com");
        assertThat(jwt.status()).isEqualTo(200);
        assertThat(apiClaims(jwt).audience()).containsExactly(API);

        assertThat(error(post("/oauth/token", "grant_type=client_credentials&scope=read_models",
                "authorization", basic(CLIENT, secret)))).isEqualTo("invalid_scope");
        assertThat(error(post("/oauth/token", "grant_type=client_credentials&resource=https%3A%2F%2Fother.example",
                "authorization", basic(CLIENT, secret)))).isEqualTo("invalid_target");
    }

    @Test
    @DisplayName("RFC 6749 §5.2: every client-authentication failure → the same 401 invalid_client; Basic challenge")
    void clientAuthenticationFailuresAnswerInvalidClient() {
        HttpResponse wrong = post("/oauth/token", "grant_type=client_credentials", "authorization",
                basic(CLIENT, secret + "x"));
        HttpResponse unknown = post("/oauth/token", "grant_type=client_credentials", "authorization",
                basic("cli_01JD3ZK8W6Q4V8S2M9N7T5R3P9", secret));
        HttpResponse none = post("/oauth/token", "grant_type=client_credentials&client_id=" + CLIENT);
        HttpResponse garbage = post("/oauth/token", "grant_type=client_credentials", "authorization", "Basic !!");
        for (HttpResponse response : List.of(wrong, unknown, garbage)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.headers()).containsEntry("www-authenticate", "Basic realm=\"latchkey\"");
            assertThat(response.bodyText()).isEqualTo(none.bodyText());
        }
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers()).doesNotContainKey("www-authenticate");
        assertThat(none.bodyText()).isEqualTo("{\"error\":\"invalid_client\",\"error_description\":"
                + "\"Client authentication failed.\"}");
        assertThat(wrong.bodyText()).doesNotContain(secret);
        HttpResponse two = post("/oauth/token", "grant_type=client_credentials&client_id=" + CLIENT
                + "&client_secret=" + secret, "authorization", basic(CLIENT, secret));
        assertThat(two.status()).isEqualTo(400);
        assertThat(error(two)).isEqualTo("invalid_request");
    }

    @Test
    @DisplayName("RFC 7523 §2.1: jwt-bearer → the same token; a replayed or malformed assertion → invalid_grant")
    void jwtBearerGrant() {
        String assertion = AssertionSigner.sign(ed, "ed-1", CLIENT, SessionFixture.ISSUER, f.clock.instant());
        String body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion;

        HttpResponse response = post("/oauth/token", body);
        assertThat(response.status()).isEqualTo(200);
        assertThat(apiClaims(response).subject()).isEqualTo(CLIENT);
        assertThat(clientAudit.events("token.jwt_bearer")).hasSize(1);
        assertThat(error(post("/oauth/token", body))).isEqualTo("invalid_grant");
        assertThat(error(post("/oauth/token", body.replace(assertion, "a.b.c")))).isEqualTo("invalid_grant");
    }

    @Test
    @DisplayName("introspection has its own per-IP limit (6,000 a minute): it never starves the token endpoint")
    void introspectionHasItsOwnLimit() {
        for (int i = 0; i < OAuthRateLimit.TOKEN_PER_MINUTE + 5; i++) {
            assertThat(post("/oauth/introspect", "token=x", "authorization", basic(CLIENT, secret)).status())
                    .as("introspection " + i).isEqualTo(200);
        }
        HttpResponse token = post("/oauth/token", "grant_type=client_credentials", "authorization",
                basic(CLIENT, secret));
        assertThat(token.status()).as("the token endpoint's own budget is untouched").isEqualTo(200);

        HttpResponse last = null;
        for (int i = OAuthRateLimit.TOKEN_PER_MINUTE + 5; i <= OAuthRateLimit.INTROSPECT_PER_MINUTE; i++) {
            last = post("/oauth/introspect", "token=x", "authorization", basic(CLIENT, secret));
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(Json.mapper().readTree(last.body()).path("error").asString()).isEqualTo("slow_down");
        assertThat(last.headers().get("ratelimit-limit")).isEqualTo("6000");
    }

    @Test
    @DisplayName("RFC 7662: introspection needs client auth; active for the org's API key, inactive for the rest")
    void introspection() {
        CreatedApiKey key = k.create();
        assertThat(post("/oauth/introspect", "token=" + key.token().value()).status()).isEqualTo(401);

        HttpResponse active = post("/oauth/introspect", "token=" + key.token().value(), "authorization",
                basic(CLIENT, secret));
        assertThat(active.status()).isEqualTo(200);
        assertThat(active.headers()).containsEntry("cache-control", "no-store");
        JsonNode body = Json.mapper().readTree(active.body());
        assertThat(body.path("active").asBoolean()).isTrue();
        assertThat(body.path("sub").asString()).isEqualTo(key.key().id());
        assertThat(body.path("org").asString()).isEqualTo(k.organizationId);
        for (String token : List.of("nope", "lk_nonsense", f.login().refreshToken(), "a.b.c")) {
            HttpResponse inactive = post("/oauth/introspect", "token=" + token + "&token_type_hint=access_token",
                    "authorization", basic(CLIENT, secret));
            assertThat(inactive.status()).isEqualTo(200);
            assertThat(inactive.bodyText()).isEqualTo("{\"active\":false}");
        }
    }

    private HttpResponse postAs(String path, String contentType, String body) {
        return app.handle(HttpRequest.builder("POST", path).headers(Headers.ofPairs("content-type", contentType))
                .body(body.getBytes(StandardCharsets.UTF_8)).sourceIp("203.0.113.10").build());
    }

    private static String error(HttpResponse response) {
        return Json.mapper().readTree(response.body()).path("error").asString();
    }

    @Test
    @DisplayName("issue 12 §1: LATCHKEY_ACCESS_TOKEN_TYPE=at+jwt → every grant's token passes a strict RFC 9068 check")
    void everyGrantWhenAtJwtModeThenStrictRfc9068ValidatorAccepts() throws Exception {
        SessionTokens typedTokens = new SessionTokens(f.keys, () -> SessionFixture.ISSUER, f.policy, f.clock,
                f.random, AccessTokenType.AT_JWT, "console");
        RefreshSession typedRefresh = new RefreshSession(f.sessions, f.users, f.crypto, typedTokens, f.policy,
                audiences, f.audit, f.ids, f.clock, f.random);
        ExchangeApiKey typedExchange = new ExchangeApiKey(k.verify, audiences, new AccessTokenMint(f.keys,
                () -> SessionFixture.ISSUER, f.policy.accessTokenLifetime(), AccessTokenType.AT_JWT, k.clock,
                k.random), k.audit, k.ids, k.clock);
        IssueClientToken typedClientTokens = new IssueClientToken(audiences, AllowedResources.from(resources),
                new AccessTokenMint(f.keys, () -> SessionFixture.ISSUER, f.policy.accessTokenLifetime(),
                        AccessTokenType.AT_JWT, f.clock, k.random), clientAudit, k.ids, f.clock);
        HttpApplication typed = new HttpApplication(TokenEndpoints.routes(new OAuthProtocol(typedRefresh, revoke,
                typedExchange, authentication, typedClientTokens, introspect), new InMemoryRateLimiter(f.clock)),
                65_536);
        java.util.function.BiFunction<String, String, JsonNode> token = (body, authorization) -> {
            HttpRequest.Builder request = HttpRequest.builder("POST", "/oauth/token")
                    .headers(authorization == null ? Headers.ofPairs("content-type", FORM)
                            : Headers.ofPairs("content-type", FORM, "authorization", authorization))
                    .body(body.getBytes(StandardCharsets.UTF_8)).sourceIp("203.0.113.10");
            HttpResponse response = typed.handle(request.build());
            assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
            return Json.mapper().readTree(response.body());
        };
        String refresh = "grant_type=refresh_token&refresh_token=";
        TokenResponse login = f.login();
        String assertion = AssertionSigner.sign(ed, "ed-1", CLIENT, SessionFixture.ISSUER, f.clock.instant());

        String clientCredentials = token.apply("grant_type=client_credentials", basic(CLIENT, secret))
                .path("access_token").asString();
        String jwtBearer = token.apply("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="
                + assertion, null).path("access_token").asString();
        CreatedApiKey key = k.create();
        String exchanged = token.apply(EXCHANGE + "&subject_token=" + key.token().value(), null)
                .path("access_token").asString();
        JsonNode first = token.apply(refresh + login.refreshToken(), null);
        String own = first.path("access_token").asString();
        String forResource = token.apply(refresh + first.path("refresh_token").asString()
                + "&resource=https%3A%2F%2Fapi.example.com", null).path("access_token").asString();

        JWKSet jwks = NimbusVerifiers.jwks(f.keys.jwks().body());
        for (String value : List.of(clientCredentials, jwtBearer, exchanged, own, forResource)) {
            assertThat(SignedJWT.parse(value).getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        }
        assertThat(NimbusVerifiers.strictRfc9068(jwks, SessionFixture.ISSUER, API, f.clock).process(clientCredentials,
                null).getStringClaim("client_id")).isEqualTo(CLIENT);
        assertThat(NimbusVerifiers.strictRfc9068(jwks, SessionFixture.ISSUER, API, f.clock).process(jwtBearer, null)
                .getStringClaim("client_id")).isEqualTo(CLIENT);
        assertThat(NimbusVerifiers.strictRfc9068(jwks, SessionFixture.ISSUER, SessionFixture.ISSUER, k.clock)
                .process(exchanged, null).getStringClaim("client_id")).isEqualTo(key.key().id());
        assertThat(NimbusVerifiers.strictRfc9068(jwks, SessionFixture.ISSUER, SessionFixture.ISSUER, f.clock,
                "auth_time").process(own, null).getStringClaim("client_id")).isEqualTo("console");
        assertThat(NimbusVerifiers.strictRfc9068(jwks, SessionFixture.ISSUER, API, f.clock, "auth_time")
                .process(forResource, null).getStringClaim("client_id")).isEqualTo("console");
    }

    /** A client assertion for {@code private_key_jwt}, signed with the client's Ed25519 or P-256 key. */
    private String assertionParameters(KeyPair pair, String kid, String audience) {
        return "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                + "&client_assertion=" + AssertionSigner.sign(pair, kid, CLIENT, audience, f.clock.instant());
    }

    @Test
    @DisplayName("issue 12 §2: every grant type and client authentication method the metadata advertises is accepted")
    void metadataWhenAdvertisedGrantsAndAuthMethodsThenEachIsAccepted() {
        AuthorizationServerMetadata metadata = AuthorizationServerMetadata.of(SessionFixture.ISSUER);
        String tokenUrl = metadata.tokenEndpoint();
        java.util.Map<String, String> grants = new java.util.LinkedHashMap<>();
        grants.put("refresh_token", "grant_type=refresh_token&refresh_token=" + f.login().refreshToken());
        grants.put("client_credentials", "grant_type=client_credentials&client_id=" + CLIENT + "&client_secret="
                + secret);
        grants.put("urn:ietf:params:oauth:grant-type:jwt-bearer", "grant_type=urn%3Aietf%3Aparams%3Aoauth"
                + "%3Agrant-type%3Ajwt-bearer&assertion=" + AssertionSigner.sign(ed, "ed-1", CLIENT, tokenUrl,
                f.clock.instant()));
        grants.put("urn:ietf:params:oauth:grant-type:token-exchange", EXCHANGE + "&subject_token="
                + k.create().token().value());
        // authorization_code needs an application and a code: SignInFunctionInvokerTest redeems one through the
        // token function's real wiring (this test's protocol is the standard grants over in-memory fakes).
        assertThat(metadata.grantTypesSupported()).first().isEqualTo("authorization_code");
        assertThat(metadata.grantTypesSupported().subList(1, metadata.grantTypesSupported().size()))
                .containsExactlyElementsOf(grants.keySet());
        grants.forEach((grant, body) -> assertThat(post("/oauth/token", body).status()).as(grant).isEqualTo(200));

        java.util.Map<String, java.util.function.Function<String, HttpResponse>> methods =
                new java.util.LinkedHashMap<>();
        methods.put("client_secret_basic", body -> post(path(metadataUrl(body)), rest(body), "authorization",
                basic(CLIENT, secret)));
        methods.put("client_secret_post", body -> post(path(metadataUrl(body)), rest(body) + "&client_id=" + CLIENT
                + "&client_secret=" + secret));
        methods.put("private_key_jwt", body -> post(path(metadataUrl(body)), rest(body) + "&"
                + assertionParameters(ed, "ed-1", metadata.issuer())));
        String cc = "grant_type=client_credentials";
        assertThat(metadata.tokenEndpointAuthMethodsSupported()).containsExactly("none", "client_secret_basic",
                "client_secret_post", "private_key_jwt");
        assertThat(post("/oauth/token", "grant_type=refresh_token&refresh_token=" + f.login().refreshToken())
                .status()).as("none: the refresh grant").isEqualTo(200);
        for (String method : metadata.tokenEndpointAuthMethodsSupported().subList(1, 4)) {
            assertThat(methods.get(method).apply(tokenUrl + " " + cc).status()).as("token " + method).isEqualTo(200);
        }
        assertThat(metadata.introspectionEndpointAuthMethodsSupported()).containsExactly("client_secret_basic",
                "client_secret_post", "private_key_jwt");
        for (String method : metadata.introspectionEndpointAuthMethodsSupported()) {
            HttpResponse response = methods.get(method).apply(metadata.introspectionEndpoint() + " token=x");
            assertThat(response.status()).as("introspection " + method).isEqualTo(200);
        }
        assertThat(metadata.revocationEndpointAuthMethodsSupported()).containsExactly("none", "client_secret_basic",
                "client_secret_post", "private_key_jwt");
        assertThat(post(path(metadata.revocationEndpoint()), "token=x").status()).as("revocation none")
                .isEqualTo(200);
        for (String method : metadata.revocationEndpointAuthMethodsSupported().subList(1, 4)) {
            HttpResponse response = methods.get(method).apply(metadata.revocationEndpoint() + " token=x");
            assertThat(response.status()).as("revocation " + method).isEqualTo(200);
        }
        assertThat(metadata.tokenEndpointAuthSigningAlgValuesSupported()).containsExactly("EdDSA", "Ed25519", "ES256")
                .isEqualTo(metadata.introspectionEndpointAuthSigningAlgValuesSupported())
                .isEqualTo(metadata.revocationEndpointAuthSigningAlgValuesSupported());
        assertThat(post("/oauth/token", cc + "&" + assertionParameters(ed, "ed-1", tokenUrl)).status()).as("EdDSA")
                .isEqualTo(200);
        String ed25519 = AssertionSigner.sign(ed, java.util.Map.of("alg", "Ed25519", "kid", "ed-1"),
                AssertionSigner.claims(CLIENT, tokenUrl, f.clock.instant()));
        assertThat(post("/oauth/token", cc + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3A"
                + "client-assertion-type%3Ajwt-bearer&client_assertion=" + ed25519).status()).as("Ed25519 (RFC 9864)")
                .isEqualTo(200);
        assertThat(post("/oauth/token", cc + "&" + assertionParameters(ec, "ec-1", tokenUrl)).status()).as("ES256")
                .isEqualTo(200);
    }

    /** "url body" → url. */
    private static String metadataUrl(String urlAndBody) {
        return urlAndBody.substring(0, urlAndBody.indexOf(' '));
    }

    /** "url body" → body. */
    private static String rest(String urlAndBody) {
        return urlAndBody.substring(urlAndBody.indexOf(' ') + 1);
    }

    /** An advertised URL → the path routed here. */
    private static String path(String url) {
        assertThat(url).startsWith(SessionFixture.ISSUER);
        return url.substring(SessionFixture.ISSUER.length());
    }

    @Test
    @DisplayName("[10.4.5] grant_type=refresh_token answers a rotated token response, no-store")
    void refreshGrantAnswersTokenResponse() {
        TokenResponse login = f.login();
        HttpResponse response = postAs("/oauth/token", FORM + "; charset=UTF-8",
                "grant_type=refresh_token&refresh_token=" + login.refreshToken() + "&client_id=ignored");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("cache-control", "no-store").containsEntry("pragma", "no-cache");
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.path("refresh_token").asString()).isNotEqualTo(login.refreshToken());
        assertThat(body.path("session_id").asString()).isEqualTo(login.sessionId());
    }

    @Test
    @DisplayName("RFC 8707: refresh with resource → the user's granted scopes, scope in the response; refusals unspent")
    void refreshGrantWithResourceAnswersResourceToken() {
        TokenResponse login = f.login();
        String token = login.refreshToken();
        String refresh = "grant_type=refresh_token&refresh_token=";
        String resource = "&resource=https%3A%2F%2Fapi.example.com";

        assertThat(error(postAs("/oauth/token", FORM, refresh + token + resource
                + "&audience=https%3A%2F%2Fother.example"))).isEqualTo("invalid_target");
        assertThat(error(postAs("/oauth/token", FORM, refresh + token + "&resource=https%3A%2F%2Fother.example")))
                .isEqualTo("invalid_target");
        assertThat(error(postAs("/oauth/token", FORM, refresh + token + resource + "&scope=read+write")))
                .isEqualTo("invalid_scope");
        assertThat(error(postAs("/oauth/token", FORM, refresh + token + resource + "&scope=read++read_models")))
                .isEqualTo("invalid_scope");
        assertThat(f.session(login.sessionId()).generation()).as("no refusal spent the token").isEqualTo(1);

        HttpResponse response = postAs("/oauth/token", FORM, refresh + token + resource
                + "&audience=https%3A%2F%2Fapi.example.com&scope=read_models");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("cache-control", "no-store");
        JsonNode body = Json.mapper().readTree(response.body());
        assertThat(body.path("scope").asString()).isEqualTo("read_models");
        assertThat(body.path("session_id").asString()).isEqualTo(login.sessionId());
        assertThat(body.path("refresh_token").asString()).isNotEqualTo(token);
        AccessTokenClaims claims = apiClaims(response);
        assertThat(claims.scope()).containsExactly("read_models");
        assertThat(claims.org()).contains(k.organizationId);
        assertThat(claims.sessionId()).contains(login.sessionId());

        HttpResponse all = postAs("/oauth/token", FORM, refresh + body.path("refresh_token").asString() + resource);
        assertThat(Json.mapper().readTree(all.body()).path("scope").asString()).isEqualTo("read read_models");
        HttpResponse plain = postAs("/oauth/token", FORM, refresh
                + Json.mapper().readTree(all.body()).path("refresh_token").asString());
        assertThat(Json.mapper().readTree(plain.body()).has("scope")).isFalse();
    }

    @Test
    @DisplayName("[10.4.4] grant_type=password and others: unsupported_grant_type")
    void unsupportedGrantsAnswerUnsupportedGrantType() {
        for (String grant : new String[] {"password", "authorization_code", "x"}) {
            HttpResponse response = postAs("/oauth/token", FORM, "grant_type=" + grant + "&username=a&password=b");
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
            HttpResponse response = postAs("/oauth/token", FORM, body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(error(response)).as(body).isEqualTo("invalid_request");
            assertThat(response.bodyText()).as("never echoes a value").doesNotContain(token);
        }
        for (String type : new String[] {"application/json", "text/plain", FORM + "; charset=latin1", ""}) {
            HttpResponse response = postAs("/oauth/token", type, "grant_type=refresh_token&refresh_token=" + token);
            assertThat(response.status()).as(type).isEqualTo(400);
            assertThat(error(response)).as(type).isEqualTo("invalid_request");
        }
        assertThat(error(postAs("/oauth/token", FORM, "grant_type=refresh_token&scope=admin&refresh_token=" + token)))
                .isEqualTo("invalid_scope");
    }

    @Test
    @DisplayName("[10.4.5] every refused refresh token gets the same invalid_grant body")
    void refusedRefreshTokensAllAnswerTheSameInvalidGrant() {
        TokenResponse login = f.login();
        f.refresh(login.refreshToken());
        f.clock.advance(f.policy.reuseGrace().plusSeconds(1));
        HttpResponse reused = postAs("/oauth/token", FORM, "grant_type=refresh_token&refresh_token="
                + login.refreshToken());
        HttpResponse garbage = postAs("/oauth/token", FORM, "grant_type=refresh_token&refresh_token=nope");
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
            HttpResponse response = postAs("/oauth/revoke", FORM, body);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
        }
        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.REVOKED);
        assertThat(error(postAs("/oauth/revoke", FORM, "token_type_hint=refresh_token"))).isEqualTo("invalid_request");
    }

    private static String field(HttpResponse response, String name) {
        return Json.mapper().readTree(response.body()).path(name).asString();
    }

    private boolean active(String token) {
        HttpResponse response = post("/oauth/introspect", "token=" + token, "authorization", basic(CLIENT, secret));
        return Json.mapper().readTree(response.body()).path("active").asBoolean();
    }

    @Test
    @DisplayName("Issue 11 §5 RFC 7009: an access token is really revoked: jti denied until exp + leeway, "
            + "introspection inactive, management routes refuse it, its session lives on, audited")
    void revokeWhenAccessTokenThenDeniedEverywhereAndAudited() {
        TokenResponse login = f.login();
        String resourceToken = field(post("/oauth/token", "grant_type=refresh_token&refresh_token="
                + login.refreshToken() + "&resource=https%3A%2F%2Fapi.example.com"), "access_token");
        AccessTokenClaims claims = apiClaims(resourceToken);
        assertThat(active(resourceToken)).isTrue();

        HttpResponse revoked = postAs("/oauth/revoke", FORM, "token=" + resourceToken);

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body()).isEmpty();
        assertThat(f.sessions.denied()).containsEntry(claims.jwtId(),
                claims.expiresAt().plus(AccessTokenVerifier.MAX_LEEWAY));
        assertThat(active(resourceToken)).as("introspection honors the deny-list").isFalse();
        assertThat(f.session(login.sessionId()).status()).as("revoking an access token does not end its session")
                .isEqualTo(SessionStatus.ACTIVE);
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals(RevokeOAuthToken.ACCESS_TOKEN_REVOKED))
                .singleElement().satisfies(e -> {
                    assertThat(e.actor()).isEqualTo(Actor.user(f.user.id()));
                    assertThat(e.organizationId()).contains(k.organizationId);
                    assertThat(e.target()).contains(new Target("access_token", claims.jwtId()));
                    assertThat(e.outcome()).isEqualTo(Outcome.SUCCESS);
                });

        TokenResponse other = f.login();
        assertThat(f.bearer().authenticate(Optional.of(other.accessToken())).sessionId())
                .isEqualTo(other.sessionId());
        assertThat(postAs("/oauth/revoke", FORM, "token=" + other.accessToken()).status()).isEqualTo(200);
        assertThatThrownBy(() -> f.bearer().authenticate(Optional.of(other.accessToken())))
                .as("Latchkey's own routes refuse a revoked management token")
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED));
        assertThat(postAs("/oauth/revoke", FORM, "token=" + other.accessToken()).status())
                .as("revoking it again is 200 and adds no second event").isEqualTo(200);
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals(RevokeOAuthToken.ACCESS_TOKEN_REVOKED))
                .hasSize(2);
    }

    @Test
    @DisplayName("Issue 11 §5: an API key sent to /oauth/revoke is revoked as the revoke route does, audited")
    void revokeWhenApiKeyThenKeyRevokedAndAudited() {
        CreatedApiKey created = k.create();
        assertThat(k.verify(created.token()).valid()).isTrue();

        HttpResponse response = postAs("/oauth/revoke", FORM, "token=" + created.token().value());

        assertThat(response.status()).isEqualTo(200);
        assertThat(k.verify(created.token()).failure()).contains(VerificationFailure.REVOKED);
        assertThat(k.repository.find(created.key().id()).orElseThrow().revocation()).hasValueSatisfying(r -> {
            assertThat(r.revokedBy()).isEqualTo(created.key().id());
            assertThat(r.reason()).contains(RevokeOAuthToken.API_KEY_REASON);
        });
        assertThat(k.audit.events()).filteredOn(e -> e.action().equals("api_key.revoked")).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo(Actor.apiKey(created.key().id())));
        assertThat(postAs("/oauth/revoke", FORM, "token=" + k.unknownKey().value()).status())
                .as("an unknown key: nothing to revoke, still 200 (RFC 7009 §2.2)").isEqualTo(200);
    }

    @Test
    @DisplayName("Issue 12 §4 RFC 7009 §2.1: a client's own token is revoked only by that client, authenticated; "
            + "wrong credentials → 401 invalid_client")
    void revokeWhenClientTokenThenOnlyItsClientAuthenticated() {
        String token = field(post("/oauth/token", "grant_type=client_credentials", "authorization",
                basic(CLIENT, secret)), "access_token");
        String jti = apiClaims(token).jwtId();

        HttpResponse anonymous = postAs("/oauth/revoke", FORM, "token=" + token);
        HttpResponse wrong = post("/oauth/revoke", "token=" + token, "authorization", basic(CLIENT, "wrong-secret"));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(error(anonymous)).isEqualTo("invalid_client");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(error(wrong)).isEqualTo("invalid_client");
        assertThat(wrong.headers()).containsEntry("www-authenticate", "Basic realm=\"latchkey\"");
        assertThat(f.sessions.denied()).doesNotContainKey(jti);

        HttpResponse own = post("/oauth/revoke", "token=" + token, "authorization", basic(CLIENT, secret));

        assertThat(own.status()).isEqualTo(200);
        assertThat(f.sessions.denied()).containsKey(jti);
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals(RevokeOAuthToken.ACCESS_TOKEN_REVOKED))
                .singleElement().satisfies(e -> assertThat(e.actor()).isEqualTo(Actor.client(CLIENT)));
    }

    @Test
    @DisplayName("RFC 7009 §2.1: a user's tokens were not issued to a service client: with its credentials → 401, "
            + "nothing revoked, audited; an unknown token with credentials → 200")
    void revokeWhenUserTokenSentWithClientCredentialsThenInvalidClient() {
        TokenResponse login = f.login();

        HttpResponse refresh = post("/oauth/revoke", "token=" + login.refreshToken(), "authorization",
                basic(CLIENT, secret));
        HttpResponse access = post("/oauth/revoke", "token=" + login.accessToken() + "&client_id=" + CLIENT
                + "&client_secret=" + secret);

        assertThat(refresh.status()).isEqualTo(401);
        assertThat(error(refresh)).isEqualTo("invalid_client");
        assertThat(access.status()).isEqualTo(401);
        assertThat(f.session(login.sessionId()).status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(f.sessions.denied()).isEmpty();
        assertThat(f.audit.events()).filteredOn(e -> e.action().equals(RevokeOAuthToken.REVOCATION_REFUSED))
                .hasSize(2).allSatisfy(e -> {
                    assertThat(e.actor()).isEqualTo(Actor.client(CLIENT));
                    assertThat(e.outcome()).isEqualTo(Outcome.FAILURE);
                });
        assertThat(post("/oauth/revoke", "token=unknown", "authorization", basic(CLIENT, secret)).status())
                .isEqualTo(200);
    }

    @Test
    @DisplayName("[16.5.3] the store down: 503 temporarily_unavailable, no stack trace")
    void storeDownAnswersTemporarilyUnavailable() {
        HttpApplication broken = new HttpApplication(TokenEndpoints.routes(services, (bucket, limit) -> {
            throw new dev.latchkey.core.store.StoreUnavailableException(new RuntimeException("boom"));
        }), 65_536);
        HttpResponse response = broken.handle(HttpRequest.builder("POST", "/oauth/token")
                .headers(Headers.ofPairs("content-type", FORM)).body("grant_type=password".getBytes()).build());
        assertThat(response.status()).isEqualTo(503);
        assertThat(error(response)).isEqualTo("temporarily_unavailable");
        assertThat(response.bodyText()).doesNotContain("boom", "Exception");
    }

    private HttpResponse exchange(String key, String extra) {
        return postAs("/oauth/token", FORM, EXCHANGE + "&subject_token=" + key + extra);
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
    @DisplayName("RFC 8693/8707: audience or resource of the key's org sets aud; scope narrows, never beyond")
    void exchangeHonoursAudienceAndNarrowsScope() {
        CreatedApiKey created = k.create(ApiKeyFixture.command().permissions("read_models", "run_inference"));

        HttpResponse narrowed = exchange(created.token().value(),
                "&audience=https%3A%2F%2Fapi.example.com&scope=read_models");
        assertThat(narrowed.status()).isEqualTo(200);
        AccessTokenClaims claims = apiClaims(narrowed);
        assertThat(claims.audience()).containsExactly("https://api.example.com");
        assertThat(claims.scope()).containsExactly("read_models");
        assertThat(apiClaims(exchange(created.token().value(), "&resource=https%3A%2F%2Fapi.example.com")).scope())
                .as("RFC 8707 resource works too: the key's permissions the resource defines")
                .containsExactly("read_models");

        assertThat(error(exchange(created.token().value(), "&scope=read_models+delete_models")))
                .isEqualTo("invalid_scope");
        assertThat(error(exchange(created.token().value(), "&scope=READ"))).isEqualTo("invalid_scope");
        for (String audience : new String[] {"api.example.com", "ftp%3A%2F%2Fx.example",
            "https%3A%2F%2Fa.example%23f"}) {
            assertThat(error(exchange(created.token().value(), "&audience=" + audience))).as(audience)
                    .isEqualTo("invalid_target");
        }
        assertThat(error(exchange(created.token().value(), "&audience=https%3A%2F%2Fapi.example.com%2Fother")))
                .as("no such resource").isEqualTo("invalid_target");
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
            HttpResponse response = postAs("/oauth/token", FORM, body);
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
