package dev.latchkey.functions.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.apikey.CreateApiKeyCommand;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.client.AssertionSigner;
import dev.latchkey.core.client.ClientKeyFixture;
import dev.latchkey.core.client.CreateClientCommand;
import dev.latchkey.core.client.CreatedClient;
import dev.latchkey.core.client.CreatedClientSecret;
import dev.latchkey.core.client.NewClientKey;
import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.session.StartSession;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.team.Team;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.testing.Accounts.Person;
import dev.latchkey.infrastructure.testing.Accounts;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.HttpEvents;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The service-client grants, the refresh grant with a resource and introspection through the real Lambda entry
 * ({@code FunctionInvoker}) on the emulated table: an organization with a resource {@code https://api.example.com}
 * ({@code read write}), a team, grants, and a client with an Ed25519 key and a secret, all made through the use
 * cases the orgs function runs. Every issued token is checked by an independent verifier (Nimbus) against the JWKS
 * the jwks function serves.
 */
class ClientTokenFlowsFunctionInvokerTest {

    private static final String ISSUER = LambdaHarness.ISSUER;
    private static final String API = "https://api.example.com";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-setup");
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static final AtomicInteger EMAILS = new AtomicInteger();

    private static EmulatedTable table;
    private static LambdaHarness lambda;
    private static LatchkeyRuntime runtime;
    private static CompositionRoot root;
    private static Accounts accounts;
    private static StartSession sessions;

    private static String orgId;
    private static OrgAccess owner;
    private static Person member;
    private static Person outsider;
    private static Resource resource;
    private static String clientId;
    private static String secret;
    private static KeyPair ed25519;
    private static KeyPair p256;
    private static final List<String> SECRETS = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        table = EmulatedTable.start();
        accounts = Accounts.in(table);
        Map<String, String> variables = new LinkedHashMap<>(LambdaHarness.localVariables(table));
        variables.put("LATCHKEY_DATA_DIR", Files.createTempDirectory("latchkey-token-flows").toString());
        // Strongly consistent token path (cache off): the test's own CompositionRoot is "another container", and a
        // revocation there must fail on the very next request. The cached path: ClientTokenRequestCountTest.
        variables.put("LATCHKEY_TOKEN_CACHE_SECONDS", "0");
        lambda = LambdaHarness.start(TokenApplication.class.getName(), TokenApplication.FUNCTION, variables);
        runtime = LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(variables, "test"), variables);
        root = new CompositionRoot(runtime);
        sessions = new StartSession(new DynamoDbSessionRepository(runtime.dynamoDb(), EmulatedTable.TABLE),
                new RefreshTokenCrypto(new DynamoDbPeppers(runtime.dynamoDb(), EmulatedTable.TABLE,
                        runtime.keyVault(), runtime.random(), runtime.clock()), runtime.random()),
                new SessionTokens(runtime.currentKeys(), () -> ISSUER, SessionPolicy.defaults(), runtime.clock(),
                        runtime.random()),
                SessionPolicy.defaults(), runtime.auditLog(), runtime.ids(), runtime.clock(), runtime.random());

        Person ownerPerson = person("owner");
        orgId = root.manageOrganizations().create(ownerPerson.userId(), "Acme", ORIGIN).id();
        owner = new OrgAccess(orgId, new Caller.User(ownerPerson.userId(), runtime.ids().next(IdPrefix.SESSION)),
                Role.OWNER.permissions());
        member = person("member");
        accounts.join(member, orgId, Role.MEMBER);
        outsider = person("outsider");

        resource = root.manageResources().create(owner, "API", API, List.of("read", "write"), ORIGIN);
        Team team = root.manageTeams().create(owner, "backend", ORIGIN);
        root.manageTeams().addMember(owner, team.teamId(), member.userId(), ORIGIN);
        root.manageGrants().set(owner, resource.resourceId(), member.userId(), List.of("write"), ORIGIN);
        root.manageGrants().set(owner, resource.resourceId(), team.teamId(), List.of("read"), ORIGIN);

        CreatedClient created = root.manageClients().create(owner, new CreateClientCommand("worker",
                List.of(resource.resourceId()), true), ORIGIN);
        clientId = created.client().clientId();
        secret = created.secret().orElseThrow().value();
        SECRETS.add(secret);
        ed25519 = ClientKeyFixture.ed25519();
        Map<String, Object> jwk = new LinkedHashMap<>(ClientKeyFixture.jwk(ed25519.getPublic()));
        jwk.put("kid", "ed-1");
        root.manageClients().addKey(owner, clientId, new NewClientKey(Optional.of(jwk), Optional.empty()), ORIGIN);
        p256 = ClientKeyFixture.p256();
        Map<String, Object> ecJwk = new LinkedHashMap<>(ClientKeyFixture.jwk(p256.getPublic()));
        ecJwk.put("kid", "ec-1");
        root.manageClients().addKey(owner, clientId, new NewClientKey(Optional.of(ecJwk), Optional.empty()), ORIGIN);
        root.manageGrants().set(owner, resource.resourceId(), clientId, List.of("read"), ORIGIN);
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        table.close();
    }

    // ------------------------------------------------------------------ fixtures and requests

    private static Person person(String name) {
        return accounts.person(name + "." + EMAILS.incrementAndGet() + "@example.com", true);
    }

    /** A POST of a form body, from its own source address (the OAuth routes limit each address to 60/min). */
    private static LambdaHarness.Response post(String path, Map<String, String> headers, String... pairs) {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(HttpEvents.event("POST", path, "", headers, null));
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        ((ObjectNode) event.path("headers")).put("content-type", FORM);
        event.put("body", body.toString());
        int address = ADDRESSES.incrementAndGet();
        ((ObjectNode) event.path("requestContext").path("http")).put("sourceIp",
                "198.51.100." + (100 + address % 100));
        return lambda.invoke(event.toString());
    }

    private static LambdaHarness.Response token(Map<String, String> headers, String... pairs) {
        return post("/oauth/token", headers, pairs);
    }

    private static Map<String, String> basic(String id, String value) {
        return Map.of("authorization", "Basic " + Base64.getEncoder().encodeToString(
                (id + ":" + value).getBytes(StandardCharsets.UTF_8)));
    }

    private static String assertion(String audience) {
        String value = AssertionSigner.sign(ed25519, "ed-1", clientId, audience, Instant.now());
        SECRETS.add(value);
        return value;
    }

    private static String error(LambdaHarness.Response response) {
        return response.bodyJson().path("error").asString();
    }

    private static String accessToken(LambdaHarness.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String value = response.bodyJson().path("access_token").asString();
        SECRETS.add(value);
        return value;
    }

    /**
     * Verifies like a resource server that knows only the JWKS: Nimbus's {@code DefaultJWTProcessor} with its
     * defaults (what Spring Security's resource server runs), ES256; every token is {@code typ JWT} (the default
     * {@code LATCHKEY_ACCESS_TOKEN_TYPE}) and names its {@code client_id} (RFC 9068 §2.2).
     */
    private static JWTClaimsSet verified(String accessToken) throws Exception {
        JWKSet jwks = JWKSet.parse(new String(runtime.currentKeys().jwks().body(), StandardCharsets.UTF_8));
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(jwks)));
        JWTClaimsSet claims = processor.process(accessToken, null);
        assertThat(SignedJWT.parse(accessToken).getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getStringClaim("client_id")).isNotBlank();
        return claims;
    }

    /** A session of the person (login as StartSession writes it), in the organization given. */
    private static TokenResponse login(Person person, String organizationId) {
        TokenResponse login = sessions.start(new StartSessionCommand(new UserProfile(person.userId(),
                "p@example.com", "Test Person"), organizationId, List.of("pwd"), "203.0.113.10", "req-login"));
        SECRETS.add(login.refreshToken());
        SECRETS.add(login.accessToken());
        return login;
    }

    private static List<AuditEvent> events(String action) {
        return runtime.auditLog().find(orgId, AuditQuery.builder().action(action).limit(100).build()).events();
    }

    private static LambdaHarness.Response introspect(String value) {
        return post("/oauth/introspect", basic(clientId, secret), "token", value);
    }

    // ------------------------------------------------------------------ client_credentials and jwt-bearer

    @Test
    @DisplayName("client_credentials with private_key_jwt → a token for the resource with only the client's grants; "
            + "the same assertion again → 401 invalid_client")
    void clientCredentialsWithPrivateKeyJwt() throws Exception {
        String assertion = assertion(ISSUER + "/oauth/token");
        var response = token(Map.of(), "grant_type", "client_credentials", "client_assertion_type", ASSERTION_TYPE,
                "client_assertion", assertion, "resource", API);

        JsonNode body = response.bodyJson();
        assertThat(body.path("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asInt()).isEqualTo(900);
        assertThat(body.path("scope").asString()).isEqualTo("read");
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(response.header("cache-control")).isEqualTo("no-store");
        JWTClaimsSet claims = verified(accessToken(response));
        assertThat(claims.getAudience()).containsExactly(API);
        assertThat(claims.getStringClaim("scope")).as("only the client's grants, not the resource's all")
                .isEqualTo("read");
        assertThat(claims.getStringClaim("org")).isEqualTo(orgId);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getSubject()).isEqualTo(clientId);
        assertThat(claims.getClaim("sid")).isNull();

        var replay = token(Map.of(), "grant_type", "client_credentials", "client_assertion_type", ASSERTION_TYPE,
                "client_assertion", assertion, "resource", API);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(error(replay)).isEqualTo("invalid_client");
        assertThat(events("client.authentication_failed")).anySatisfy(e -> {
            assertThat(e.details()).containsEntry("reason", "replayed").containsEntry("method", "private_key_jwt");
            assertThat(e.actor().id()).isEqualTo(clientId);
        });
    }

    @Test
    @DisplayName("client_secret_basic and client_secret_post; a revoked secret → 401; audited without the secret")
    void clientCredentialsWithSecrets() throws Exception {
        var basic = token(basic(clientId, secret), "grant_type", "client_credentials");
        assertThat(verified(accessToken(basic)).getAudience()).as("the single allowed resource").containsExactly(API);
        var post = token(Map.of(), "grant_type", "client_credentials", "client_id", clientId, "client_secret", secret,
                "audience", API, "scope", "read");
        assertThat(verified(accessToken(post)).getStringClaim("scope")).isEqualTo("read");
        assertThat(error(token(basic(clientId, secret), "grant_type", "client_credentials", "scope", "write")))
                .isEqualTo("invalid_scope");
        assertThat(error(token(basic(clientId, secret), "grant_type", "client_credentials", "resource",
                "https://unknown.example.com"))).isEqualTo("invalid_target");

        CreatedClientSecret second = root.manageClients().addSecret(owner, clientId, Optional.empty(), ORIGIN);
        SECRETS.add(second.value());
        assertThat(token(basic(clientId, second.value()), "grant_type", "client_credentials").status())
                .isEqualTo(200);
        root.manageClients().revokeSecret(owner, clientId, second.secret().secretId(), ORIGIN);
        var revoked = token(basic(clientId, second.value()), "grant_type", "client_credentials");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(error(revoked)).isEqualTo("invalid_client");
        assertThat(revoked.header("www-authenticate")).isEqualTo("Basic realm=\"latchkey\"");
        var wrong = token(Map.of(), "grant_type", "client_credentials", "client_id", clientId, "client_secret",
                secret + "x");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(token(basic(clientId, secret), "grant_type", "client_credentials").status())
                .as("the first secret still works").isEqualTo(200);

        // Successful issues are kept as per-minute summaries (IssuanceSummaries): their counts add up.
        List<AuditEvent> issued = events("token.client_credentials");
        assertThat(issued).allSatisfy(e -> {
            assertThat(e.actor().id()).isEqualTo(clientId);
            assertThat(e.details()).containsEntry("resource_id", resource.resourceId());
        });
        assertThat(issued.stream().mapToInt(e -> Integer.parseInt(e.details().getOrDefault("count", "1"))).sum())
                .isGreaterThanOrEqualTo(4);
        List<AuditEvent> failed = events("client.authentication_failed");
        assertThat(failed).extracting(e -> e.details().get("method")).contains("client_secret_basic",
                "client_secret_post");
        for (AuditEvent event : runtime.auditLog().find(orgId, AuditQuery.builder().limit(100).build()).events()) {
            assertThat(event.details().values().toString()).as(event.action()).doesNotContain(SECRETS);
        }
    }

    @Test
    @DisplayName("jwt-bearer: the assertion is the grant → the client's token, audited token.jwt_bearer")
    void jwtBearerGrant() throws Exception {
        var response = token(Map.of(), "grant_type", JWT_BEARER, "assertion", assertion(ISSUER), "resource", API);

        JWTClaimsSet claims = verified(accessToken(response));
        assertThat(claims.getSubject()).isEqualTo(clientId);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getStringClaim("scope")).isEqualTo("read");
        assertThat(events("token.jwt_bearer")).isNotEmpty();
        var malformed = token(Map.of(), "grant_type", JWT_BEARER, "assertion", "a.b.c");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(error(malformed)).isEqualTo("invalid_grant");
    }

    // ------------------------------------------------------------------ client assertions as libraries make them

    /**
     * A private_key_jwt request to the path with the assertion (and {@code client_id}, RFC 7523 §2.2, so that even an
     * unparseable assertion is audited in the client's organization); its answer.
     */
    private static LambdaHarness.Response withAssertion(String path, String assertion) {
        SECRETS.add(assertion);
        return "/oauth/token".equals(path)
                ? token(Map.of(), "grant_type", "client_credentials", "client_id", clientId, "client_assertion_type",
                        ASSERTION_TYPE, "client_assertion", assertion)
                : post(path, Map.of(), "token", "x", "client_id", clientId, "client_assertion_type", ASSERTION_TYPE,
                        "client_assertion", assertion);
    }

    private static String signed(Map<String, Object> header, Map<String, Object> claims) {
        return AssertionSigner.sign(ed25519, header, claims);
    }

    @Test
    @DisplayName("issue 12 §3: Nimbus JOSE builds an ES256 assertion as a library would (1 hour, aud = the "
            + "introspection endpoint) → accepted at /oauth/introspect")
    void nimbusBuiltAssertionWithOneHourLifetimeAndIntrospectionAudienceIsAcceptedAtIntrospection() throws Exception {
        Date now = new Date((System.currentTimeMillis() / 1000) * 1000);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
                .audience(ISSUER + "/oauth/introspect").issueTime(now).notBeforeTime(now)
                .expirationTime(new Date(now.getTime() + 3_600_000)).jwtID(java.util.UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID("ec-1").build(), claims);
        jwt.sign(new ECDSASigner((java.security.interfaces.ECPrivateKey) p256.getPrivate()));

        var response = withAssertion("/oauth/introspect", jwt.serialize());

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.bodyJson().path("active").asBoolean()).isFalse();
        var atToken = withAssertion("/oauth/token", jwt.serialize());
        assertThat(atToken.status()).as("aud names introspection, not the token endpoint").isEqualTo(401);
    }

    @Test
    @DisplayName("issue 12 §3: each assertion rule through FunctionInvoker: 401 invalid_client naming the rule "
            + "(lifetime, audience, algorithm, expired, not yet valid, replay), the audit event with the reason")
    void assertionRulesAreNamedInTheErrorDescriptionAndAudited() {
        long now = Instant.now().getEpochSecond();
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> assertions = new LinkedHashMap<>();

        Map<String, Object> twoHours = AssertionSigner.claims(clientId, ISSUER, Instant.now());
        twoHours.put("exp", now + 7200);
        assertions.put("lifetime_too_long", signed(AssertionSigner.header(ed25519, "ed-1"), twoHours));
        expected.put("lifetime_too_long", "lives longer");
        assertions.put("wrong_audience", signed(AssertionSigner.header(ed25519, "ed-1"),
                AssertionSigner.claims(clientId, ISSUER + "/oauth/revoke", Instant.now())));
        expected.put("wrong_audience", "aud must be");
        assertions.put("algorithm_not_allowed", AssertionSigner.unsigned(Map.of("alg", "HS256", "kid", "ed-1"),
                AssertionSigner.claims(clientId, ISSUER, Instant.now()), new byte[32]));
        expected.put("algorithm_not_allowed", "alg must be");
        assertions.put("expired", signed(AssertionSigner.header(ed25519, "ed-1"),
                AssertionSigner.claims(clientId, ISSUER, Instant.now().minusSeconds(120))));
        expected.put("expired", "has expired");
        assertions.put("not_yet_valid", signed(AssertionSigner.header(ed25519, "ed-1"),
                AssertionSigner.claims(clientId, ISSUER, Instant.now().plusSeconds(600))));
        expected.put("not_yet_valid", "not valid yet");

        assertions.forEach((reason, assertion) -> {
            var response = withAssertion("/oauth/introspect", assertion);
            assertThat(response.status()).as(reason).isEqualTo(401);
            assertThat(error(response)).as(reason).isEqualTo("invalid_client");
            assertThat(response.bodyJson().path("error_description").asString()).as(reason)
                    .contains(expected.get(reason));
            assertThat(events("client.authentication_failed")).as(reason)
                    .anySatisfy(e -> assertThat(e.details()).containsEntry("reason", reason));
        });

        String once = assertion(ISSUER + "/oauth/introspect");
        assertThat(withAssertion("/oauth/introspect", once).status()).isEqualTo(200);
        var replayed = withAssertion("/oauth/introspect", once);
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.bodyJson().path("error_description").asString()).contains("already used");
        assertThat(events("client.authentication_failed"))
                .anySatisfy(e -> assertThat(e.details()).containsEntry("reason", "replayed"));
    }

    @Test
    @DisplayName("issue 12 §3: unknown client and bad signature stay the one fixed description")
    void unknownClientAndBadSignatureKeepTheFixedDescription() {
        String unknown = AssertionSigner.sign(ed25519, "ed-1", "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P9", ISSUER,
                Instant.now());
        String forged = AssertionSigner.sign(ClientKeyFixture.ed25519(), "ed-1", clientId, ISSUER, Instant.now());

        for (String assertion : List.of(unknown, forged)) {
            var response = withAssertion("/oauth/token", assertion);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.bodyJson().path("error_description").asString())
                    .isEqualTo("Client authentication failed.");
        }
    }

    // ------------------------------------------------------------------ refresh with a resource

    @Test
    @DisplayName("RFC 8707 refresh: a member gets direct ∪ team scopes for the resource; scope narrows; more → "
            + "invalid_scope with the token unspent")
    void refreshWithResourceForMember() throws Exception {
        TokenResponse login = login(member, member.personalOrganizationId());

        var tooMuch = token(Map.of(), "grant_type", "refresh_token", "refresh_token", login.refreshToken(),
                "resource", API, "scope", "read admin");
        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(error(tooMuch)).isEqualTo("invalid_scope");

        var response = token(Map.of(), "grant_type", "refresh_token", "refresh_token", login.refreshToken(),
                "resource", API);
        JsonNode body = response.bodyJson();
        assertThat(body.path("scope").asString()).isEqualTo("read write");
        assertThat(body.path("session_id").asString()).isEqualTo(login.sessionId());
        String next = body.path("refresh_token").asString();
        SECRETS.add(next);
        JWTClaimsSet claims = verified(accessToken(response));
        assertThat(claims.getAudience()).containsExactly(API);
        assertThat(claims.getSubject()).isEqualTo(member.userId());
        assertThat(claims.getStringClaim("org")).as("the resource's organization").isEqualTo(orgId);
        assertThat(claims.getStringClaim("scope")).isEqualTo("read write");
        assertThat(claims.getStringClaim("sid")).isEqualTo(login.sessionId());
        assertThat(claims.getStringClaim("client_id")).as("the first-party client").isEqualTo("latchkey");
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(claims.getClaim("auth_time")).isNotNull();
        assertThat(introspect(accessToken(response)).bodyJson().path("active").asBoolean())
                .as("a member's resource token is of the client's organization").isTrue();

        var narrowed = token(Map.of(), "grant_type", "refresh_token", "refresh_token", next, "audience", API,
                "scope", "write");
        assertThat(narrowed.bodyJson().path("scope").asString()).isEqualTo("write");
        assertThat(verified(accessToken(narrowed)).getStringClaim("scope")).isEqualTo("write");
        SECRETS.add(narrowed.bodyJson().path("refresh_token").asString());
    }

    @Test
    @DisplayName("RFC 8707 refresh: a non-member → invalid_target and the refresh token still works")
    void refreshWithResourceForNonMember() throws Exception {
        TokenResponse login = login(outsider, outsider.personalOrganizationId());

        var refused = token(Map.of(), "grant_type", "refresh_token", "refresh_token", login.refreshToken(),
                "resource", API);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(error(refused)).isEqualTo("invalid_target");
        var mismatch = token(Map.of(), "grant_type", "refresh_token", "refresh_token", login.refreshToken(),
                "resource", API, "audience", "https://other.example.com");
        assertThat(error(mismatch)).isEqualTo("invalid_target");
        var scopeAlone = token(Map.of(), "grant_type", "refresh_token", "refresh_token", login.refreshToken(),
                "scope", "read");
        assertThat(error(scopeAlone)).isEqualTo("invalid_scope");

        var plain = token(Map.of(), "grant_type", "refresh_token", "refresh_token", login.refreshToken());
        JWTClaimsSet claims = verified(accessToken(plain));
        assertThat(claims.getAudience()).containsExactly(ISSUER);
        assertThat(claims.getStringClaim("client_id")).isEqualTo("latchkey");
        assertThat(plain.bodyJson().has("scope")).isFalse();
        SECRETS.add(plain.bodyJson().path("refresh_token").asString());
    }

    // ------------------------------------------------------------------ introspection

    @Test
    @DisplayName("RFC 7662: the client's organization's tokens are active; everything else exactly {active:false}")
    void introspection() throws Exception {
        String own = accessToken(token(basic(clientId, secret), "grant_type", "client_credentials"));
        JsonNode active = introspect(own).bodyJson();
        assertThat(active.path("active").asBoolean()).isTrue();
        assertThat(active.path("client_id").asString()).isEqualTo(clientId);
        assertThat(active.path("sub").asString()).isEqualTo(clientId);
        assertThat(active.path("org").asString()).isEqualTo(orgId);
        assertThat(active.path("aud").asString()).isEqualTo(API);
        assertThat(active.path("scope").asString()).isEqualTo("read");
        assertThat(active.path("token_type").asString()).isEqualTo("Bearer");
        assertThat(active.path("iss").asString()).isEqualTo(ISSUER);
        assertThat(active.path("exp").asLong()).isGreaterThan(Instant.now().getEpochSecond());

        String otherOrg = runtime.ids().next(IdPrefix.ORGANIZATION);
        String foreign = accounts.clientToken(runtime.ids().next(IdPrefix.CLIENT), otherOrg,
                "https://other.example.com", List.of("read"));
        assertThat(introspect(foreign).body()).isEqualTo("{\"active\":false}");

        TokenResponse inOrg = login(member, orgId);
        JsonNode refresh = introspect(inOrg.refreshToken()).bodyJson();
        assertThat(refresh.path("active").asBoolean()).isTrue();
        assertThat(refresh.path("token_type").asString()).isEqualTo("refresh_token");
        assertThat(refresh.path("sid").asString()).isEqualTo(inOrg.sessionId());
        assertThat(refresh.path("sub").asString()).isEqualTo(member.userId());
        assertThat(introspect(inOrg.accessToken()).bodyJson().path("active").asBoolean()).isTrue();
        TokenResponse elsewhere = login(member, member.personalOrganizationId());
        assertThat(introspect(elsewhere.refreshToken()).body()).isEqualTo("{\"active\":false}");
        assertThat(introspect(elsewhere.accessToken()).body()).isEqualTo("{\"active\":false}");

        CreatedApiKey key = root.manageApiKeys().create(owner, new CreateApiKeyCommand("worker", List.of("org:read"),
                Optional.empty(), Optional.empty(), Optional.of(RateLimit.perSeconds(5, 60))), ORIGIN);
        SECRETS.add(key.token().value());
        JsonNode keyAnswer = introspect(key.token().value()).bodyJson();
        assertThat(keyAnswer.path("active").asBoolean()).isTrue();
        assertThat(keyAnswer.path("token_type").asString()).isEqualTo("api_key");
        assertThat(keyAnswer.path("client_id").asString()).isEqualTo(key.key().id());
        assertThat(keyAnswer.path("scope").asString()).isEqualTo("org:read");
        assertThat(root.apiKeys().find(key.key().id()).orElseThrow().useCount()).as("not a use").isZero();
        assertThat(table.client().scanPaginator(s -> s.tableName(EmulatedTable.TABLE)).items().stream()
                .map(item -> item.get(LatchkeyTable.PK)).filter(pk -> pk != null)
                .map(AttributeValue::s).filter(pk -> pk.startsWith("RATE#apikey:" + key.key().id())).toList())
                .as("the key's rate limit is untouched").isEmpty();

        OrgAccess strangerOwner = new OrgAccess(person("stranger").personalOrganizationId(),
                new Caller.User(runtime.ids().next(IdPrefix.USER), runtime.ids().next(IdPrefix.SESSION)),
                Role.OWNER.permissions());
        CreatedApiKey strangerKey = root.manageApiKeys().create(strangerOwner, new CreateApiKeyCommand("other",
                List.of("org:read"), Optional.empty(), Optional.empty(), Optional.empty()), ORIGIN);
        SECRETS.add(strangerKey.token().value());
        assertThat(introspect(strangerKey.token().value()).body()).isEqualTo("{\"active\":false}");

        for (String garbage : List.of("garbage", "lkr_nope", "a.b.c", own + "x")) {
            var answer = introspect(garbage);
            assertThat(answer.status()).as(garbage).isEqualTo(200);
            assertThat(answer.body()).as(garbage).isEqualTo("{\"active\":false}");
        }

        var anonymous = post("/oauth/introspect", Map.of(), "token", own);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(error(anonymous)).isEqualTo("invalid_client");
        var wrongSecret = post("/oauth/introspect", basic(clientId, secret + "x"), "token", own);
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.body()).doesNotContain("active");
    }

    @Test
    @DisplayName("Issue 12 §4 RFC 7009 through FunctionInvoker: a client revokes its own token (private_key_jwt or a "
            + "secret); without its authentication 401 invalid_client; introspection then inactive; audited")
    void revocationOfAClientsOwnToken() throws Exception {
        String own = accessToken(token(basic(clientId, secret), "grant_type", "client_credentials"));
        assertThat(introspect(own).bodyJson().path("active").asBoolean()).isTrue();

        var anonymous = post("/oauth/revoke", Map.of(), "token", own);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(error(anonymous)).isEqualTo("invalid_client");
        var wrongSecret = post("/oauth/revoke", basic(clientId, secret + "x"), "token", own);
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.header("www-authenticate")).isEqualTo("Basic realm=\"latchkey\"");
        assertThat(introspect(own).bodyJson().path("active").asBoolean()).as("nothing revoked yet").isTrue();

        var revoked = post("/oauth/revoke", Map.of(), "token", own, "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion", assertion(ISSUER
                        + "/oauth/token"));
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.body()).isEmpty();
        assertThat(introspect(own).body()).isEqualTo("{\"active\":false}");
        assertThat(events("access_token.revoked")).anySatisfy(e -> {
            assertThat(e.actor().id()).isEqualTo(clientId);
            assertThat(e.details()).containsEntry("use", "resource");
        });

        TokenResponse user = login(member, orgId);
        var refused = post("/oauth/revoke", basic(clientId, secret), "token", user.refreshToken());
        assertThat(refused.status()).as("a user's token was not issued to the client").isEqualTo(401);
        assertThat(introspect(user.refreshToken()).bodyJson().path("active").asBoolean()).isTrue();
        assertThat(events("token.revocation_refused")).isNotEmpty();
    }
}
