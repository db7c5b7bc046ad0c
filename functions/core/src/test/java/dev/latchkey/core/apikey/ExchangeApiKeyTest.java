package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.audit.ActorType;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.keys.AccessTokenMint;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.InMemoryKeyRingRepository;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.session.InMemorySessionRepository;
import dev.latchkey.core.session.LiveAccessTokens;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.resource.ResourceAccess;
import dev.latchkey.core.resource.TokenAudiences;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenType;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.NimbusVerifiers;
import dev.latchkey.core.token.InvalidTokenException;
import dev.latchkey.core.vault.InMemoryKeyVault;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ExchangeApiKey}: an API key traded for a short-lived access token (RFC 8693). */
class ExchangeApiKeyTest {

    private static final String ISSUER = "https://auth.example.test";
    private static final String AUDIENCE = "https://api.example.test/models";
    private static final String FOREIGN = "https://api.other.example/models";
    private static final Duration LIFETIME = Duration.ofMinutes(15);

    private final ApiKeyFixture f = new ApiKeyFixture();
    private final InMemoryKeyRingRepository ring = new InMemoryKeyRingRepository();
    private final InMemoryKeyVault vault = new InMemoryKeyVault();
    private final CurrentKeys signingKeys = new CurrentKeys(ring, vault, KeyPolicy.defaults(), f.clock,
            Duration.ofMinutes(5));
    private final Map<String, Resource> resources = new HashMap<>();
    /** The grant model's API-key rule: the resource must be the key's organization's; scopes ∩ permissions. */
    private final TokenAudiences audiences = new TokenAudiences() {
        @Override
        public ResourceAccess forUser(String audience, String userId, List<String> amr) {
            throw new InvalidTargetException();
        }

        @Override
        public ResourceAccess forClient(String audience, String organizationId, String clientId,
                List<String> allowedResources) {
            throw new InvalidTargetException();
        }

        @Override
        public ResourceAccess forApiKey(String audience, String organizationId, Set<String> permissions) {
            Resource resource = resources.get(audience);
            if (resource == null || !resource.organizationId().equals(organizationId)) {
                throw new InvalidTargetException();
            }
            return new ResourceAccess(resource, resource.scopes().stream().filter(permissions::contains).toList());
        }
    };
    private final ExchangeApiKey exchange = new ExchangeApiKey(f.verify, audiences,
            new AccessTokenMint(signingKeys, () -> ISSUER, LIFETIME, f.clock, f.random), f.audit, f.ids, f.clock);

    ExchangeApiKeyTest() {
        resources.put(AUDIENCE, new Resource("res_01JD3ZK8W6Q4V8S2M9N7T5R3P1", f.organizationId, AUDIENCE, "models",
                List.of("read_models", "run_inference", "write_models"), ApiKeyFixture.T0, "usr_test"));
        resources.put(FOREIGN, new Resource("res_01JD3ZK8W6Q4V8S2M9N7T5R3P2", "org_01JD3ZK8W6Q4V8S2M9N7T5R3P9",
                FOREIGN, "theirs", List.of("read_models"), ApiKeyFixture.T0, "usr_test"));
        new RotateSigningKeys(ring, vault, KeyPolicy.defaults(), f.audit, f.ids, f.clock, f.random).run("setup");
    }

    private AccessTokenVerifier verifier(String audience) {
        return new AccessTokenVerifier(signingKeys, ISSUER, Set.of(audience), f.clock);
    }

    private ExchangedToken exchange(CreatedApiKey key, Optional<String> audience, Optional<List<String>> scope) {
        return exchange.exchange(key.token().value(), audience, scope, ApiKeyFixture.ORIGIN);
    }

    @Test
    @DisplayName("RFC 8693: the token verifies through the JWKS with aud = issuer; sub = client_id = key id, no sid")
    void exchangeWhenValidThenTokenForIssuerWithKeyClaims() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("run_inference", "read_models"));

        ExchangedToken token = exchange(created, Optional.empty(), Optional.empty());

        AccessTokenClaims claims = verifier(ISSUER).verify(token.accessToken()).claims();
        assertThat(claims.issuer()).isEqualTo(ISSUER);
        assertThat(claims.audience()).containsExactly(ISSUER);
        assertThat(claims.subject()).isEqualTo(created.key().id());
        assertThat(claims.clientId()).contains(created.key().id());
        assertThat(claims.org()).contains(f.organizationId);
        assertThat(claims.scope()).containsExactly("read_models", "run_inference");
        assertThat(claims.sessionId()).isEmpty();
        assertThat(claims.amr()).isEmpty();
        assertThat(claims.issuedAt()).isEqualTo(ApiKeyFixture.T0);
        assertThat(claims.expiresAt()).isEqualTo(ApiKeyFixture.T0.plus(LIFETIME));
        assertThat(token.expiresIn()).isEqualTo(LIFETIME.toSeconds());
        assertThat(token.scope()).containsExactly("read_models", "run_inference");
        assertThat(token.toString().contains(token.accessToken())).isFalse();
    }

    @Test
    @DisplayName("issue 12 §1: default typ JWT; at+jwt mode → a strict RFC 9068 validator accepts the token")
    void exchangeWhenEitherTokenTypeThenTypAndClientIdForRfc9068() throws Exception {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("run_inference", "read_models"));
        ExchangeApiKey typed = new ExchangeApiKey(f.verify, audiences, new AccessTokenMint(signingKeys,
                () -> ISSUER, LIFETIME, AccessTokenType.AT_JWT, f.clock, f.random), f.audit, f.ids, f.clock);

        String plain = exchange(created, Optional.empty(), Optional.empty()).accessToken();
        String rfc9068 = typed.exchange(created.token().value(), Optional.of(AUDIENCE), Optional.empty(),
                ApiKeyFixture.ORIGIN).accessToken();

        assertThat(SignedJWT.parse(plain).getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(SignedJWT.parse(rfc9068).getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        JWTClaimsSet claims = NimbusVerifiers.strictRfc9068(NimbusVerifiers.jwks(signingKeys.jwks().body()), ISSUER,
                AUDIENCE, f.clock).process(rfc9068, null);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(created.key().id());
        assertThat(verifier(AUDIENCE).verify(rfc9068).claims().clientId()).contains(created.key().id());
    }

    @Test
    @DisplayName("[16.3.1] an exchange leaves api_key.exchanged with the key as actor")
    void exchangeWhenValidThenAuditEvent() {
        CreatedApiKey created = f.create();

        exchange(created, Optional.of(AUDIENCE), Optional.empty());

        AuditEvent event = f.audit.events(ApiKeyAudit.EXCHANGED).get(0);
        assertThat(f.audit.events(ApiKeyAudit.EXCHANGED)).hasSize(1);
        assertThat(event.organizationId()).contains(f.organizationId);
        assertThat(event.actor().type()).isEqualTo(ActorType.API_KEY);
        assertThat(event.actor().id()).isEqualTo(created.key().id());
        assertThat(event.target().map(t -> t.type() + "/" + t.id())).contains("api_key/" + created.key().id());
        assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(event.sourceIp()).contains("203.0.113.10");
        assertThat(event.details()).isEqualTo(Map.of("audience_given", "true",
                "resource_id", "res_01JD3ZK8W6Q4V8S2M9N7T5R3P1"));
    }

    @Test
    @DisplayName("[7.4.1] an exchanged token never passes for a user's session")
    void exchangeWhenTokenUsedAsUserBearerThenInvalidToken() {
        CreatedApiKey created = f.create();
        ExchangedToken token = exchange(created, Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> new BearerAuthentication(verifier(ISSUER),
                new LiveAccessTokens(new InMemorySessionRepository(), f.clock)).authenticate(
                Optional.of(token.accessToken()))).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    @DisplayName("RFC 8707: a resource of the key's org is the only aud; scope = the key's permissions it defines")
    void exchangeWhenAudienceRequestedThenTokenForThatResource() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("run_inference", "read_models",
                "api_key:read"));

        ExchangedToken token = exchange(created, Optional.of(AUDIENCE), Optional.empty());

        AccessTokenClaims claims = verifier(AUDIENCE).verify(token.accessToken()).claims();
        assertThat(claims.audience()).containsExactly(AUDIENCE);
        assertThat(claims.org()).contains(f.organizationId);
        assertThat(claims.scope()).as("resource order, never a Latchkey permission")
                .containsExactly("read_models", "run_inference");
        assertThat(token.scope()).containsExactly("read_models", "run_inference");
        assertThatThrownBy(() -> verifier(ISSUER).verify(token.accessToken()))
                .isInstanceOf(InvalidTokenException.class);
        ExchangedToken narrowed = exchange(created, Optional.of(AUDIENCE), Optional.of(List.of("run_inference")));
        assertThat(verifier(AUDIENCE).verify(narrowed.accessToken()).claims().scope()).containsExactly(
                "run_inference");
        assertThatThrownBy(() -> exchange(created, Optional.of(AUDIENCE), Optional.of(List.of("write_models"))))
                .as("a scope of the resource the key does not hold")
                .isInstanceOfSatisfying(ExchangeException.class,
                        e -> assertThat(e.reason().oauthError()).isEqualTo("invalid_scope"));
    }

    @Test
    @DisplayName("a narrowed scope is carried as asked; an empty one carries no scope")
    void exchangeWhenScopeNarrowedThenTokenCarriesSubset() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("run_inference", "read_models"));

        ExchangedToken narrowed = exchange(created, Optional.empty(), Optional.of(List.of("read_models")));
        ExchangedToken empty = exchange(created, Optional.empty(), Optional.of(List.of()));

        assertThat(narrowed.scope()).containsExactly("read_models");
        assertThat(verifier(ISSUER).verify(narrowed.accessToken()).claims().scope()).containsExactly("read_models");
        assertThat(empty.scope()).isEmpty();
        assertThat(verifier(ISSUER).verify(empty.accessToken()).claims().scope()).isEmpty();
    }

    @Test
    @DisplayName("a scope beyond the key's permissions is invalid_scope, and no token is issued")
    void exchangeWhenScopeBeyondKeyThenInvalidScope() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("read_models"));

        for (List<String> scope : List.of(List.of("run_inference"), List.of("read_models", "api_key:read"),
                List.of("READ_MODELS"))) {
            assertThatThrownBy(() -> exchange(created, Optional.empty(), Optional.of(scope)))
                    .isInstanceOfSatisfying(ExchangeException.class, e -> {
                        assertThat(e.reason().oauthError()).isEqualTo("invalid_scope");
                        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                        assertThat(e.details()).containsEntry("error", "invalid_scope");
                    });
        }
        assertThat(f.audit.events(ApiKeyAudit.EXCHANGED)).isEmpty();
    }

    @Test
    @DisplayName("RFC 8707 §2: an unknown audience or another org's resource is invalid_target, no token issued")
    void exchangeWhenAudienceNotAResourceOfTheKeysOrgThenInvalidTarget() {
        CreatedApiKey created = f.create();
        List<String> bad = List.of(FOREIGN, "https://api.example.test/unknown", "/relative/path",
                "javascript:alert(1)", "https://api.example.test/" + "a".repeat(600));
        for (String audience : bad) {
            assertThatThrownBy(() -> exchange(created, Optional.of(audience), Optional.empty()))
                    .as("audience %s", audience)
                    .isInstanceOfSatisfying(ExchangeException.class, e -> {
                        assertThat(e.reason().oauthError()).isEqualTo("invalid_target");
                        assertThat(e.getMessage()).isEqualTo(
                                "The requested resource is unknown or not available to this caller.");
                    });
        }
        assertThat(f.audit.events(ApiKeyAudit.EXCHANGED)).isEmpty();
    }

    @Test
    @DisplayName("a revoked key is invalid_request, with api_key.exchange_failed (reason REVOKED)")
    void exchangeWhenRevokedThenInvalidGrantAndEvent() {
        CreatedApiKey created = f.create();
        f.manage.revoke(f.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        assertInvalidSubjectToken(created);

        assertThat(f.audit.events(ApiKeyAudit.EXCHANGE_FAILED)).singleElement().satisfies(event -> {
            assertThat(event.organizationId()).contains(f.organizationId);
            assertThat(event.actor().id()).isEqualTo(created.key().id());
            assertThat(event.target().map(t -> t.id())).contains(created.key().id());
            assertThat(event.outcome()).isEqualTo(Outcome.FAILURE);
            assertThat(event.details()).isEqualTo(Map.of("reason", "REVOKED"));
        });
        assertThat(f.audit.events(ApiKeyAudit.EXCHANGED)).isEmpty();
    }

    @Test
    @DisplayName("an expired key is invalid_request, with api_key.exchange_failed (reason EXPIRED)")
    void exchangeWhenExpiredThenInvalidGrantAndEvent() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().expiresInDays(1));
        f.clock.set(created.key().expiresAt().orElseThrow());

        assertInvalidSubjectToken(created);

        assertThat(f.audit.events(ApiKeyAudit.EXCHANGE_FAILED)).singleElement()
                .satisfies(event -> assertThat(event.details()).containsEntry("reason", "EXPIRED"));
    }

    @Test
    @DisplayName("an unknown, forged or malformed key is invalid_request without an event (no key to attribute it to)")
    void exchangeWhenUnknownThenInvalidGrantWithoutEvent() {
        CreatedApiKey created = f.create();
        for (String presented : new String[] {f.unknownKey().value(),
            ApiKeyToken.generate(created.key().id(), f.random).value(), "lk_garbage", ""}) {
            assertThatThrownBy(() -> exchange.exchange(presented, Optional.empty(), Optional.empty(),
                    ApiKeyFixture.ORIGIN)).isInstanceOfSatisfying(ExchangeException.class,
                            e -> assertThat(e.reason().oauthError()).isEqualTo("invalid_request"));
        }
        assertThat(f.audit.events(ApiKeyAudit.EXCHANGE_FAILED)).isEmpty();
        assertThat(f.audit.events(ApiKeyAudit.EXCHANGED)).isEmpty();
    }

    @Test
    @DisplayName("the token's lifetime is cut to the key's own expiry")
    void exchangeWhenKeyExpiresSoonerThenLifetimeCut() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().expiresInDays(1));
        Instant keyExpiry = created.key().expiresAt().orElseThrow();
        f.clock.set(keyExpiry.minus(Duration.ofMinutes(5)));

        ExchangedToken token = exchange(created, Optional.empty(), Optional.empty());

        assertThat(token.expiresIn()).isEqualTo(300);
        assertThat(verifier(ISSUER).verify(token.accessToken()).claims().expiresAt()).isEqualTo(keyExpiry);
    }

    @Test
    @DisplayName("a cut lifetime never ends after the key, even with a sub-second remainder")
    void exchangeWhenKeyExpiresInFractionalSecondsThenTokenEndsNoLaterThanKey() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().expiresInDays(1));
        Instant keyExpiry = created.key().expiresAt().orElseThrow();
        f.clock.set(keyExpiry.minus(Duration.ofSeconds(90)).minusMillis(700));

        ExchangedToken token = exchange(created, Optional.empty(), Optional.empty());

        assertThat(token.expiresIn()).isEqualTo(90);
        assertThat(verifier(ISSUER).verify(token.accessToken()).claims().expiresAt()).isBeforeOrEqualTo(keyExpiry);
    }

    @Test
    @DisplayName("a key that expires later than the lifetime gets the full lifetime")
    void exchangeWhenKeyExpiresLaterThenFullLifetime() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().expiresInDays(1));
        f.clock.set(created.key().expiresAt().orElseThrow().minus(LIFETIME).minusSeconds(1));

        assertThat(exchange(created, Optional.empty(), Optional.empty()).expiresIn()).isEqualTo(LIFETIME.toSeconds());
    }

    @Test
    @DisplayName("a key over its rate limit is 429 (RateLimitedException), not invalid_request")
    void exchangeWhenRateLimitedThenRateLimitedException() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().rateLimit(1, 60));
        exchange(created, Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> exchange(created, Optional.empty(), Optional.empty()))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(e.headers()).containsKeys("retry-after", "ratelimit-remaining");
                });
        assertThat(f.audit.events(ApiKeyAudit.EXCHANGED)).hasSize(1);
    }

    @Test
    @DisplayName("an exchange counts as a use of the key")
    void exchangeWhenValidThenUseCounted() {
        CreatedApiKey created = f.create();
        exchange(created, Optional.empty(), Optional.empty());
        exchange(created, Optional.empty(), Optional.empty());
        f.usage.flush();

        assertThat(f.stored(created.key().id()).useCount()).isEqualTo(2);
    }

    private void assertInvalidSubjectToken(CreatedApiKey created) {
        assertThatThrownBy(() -> exchange(created, Optional.empty(), Optional.empty()))
                .isInstanceOfSatisfying(ExchangeException.class, e -> {
                    assertThat(e.reason().oauthError()).isEqualTo("invalid_request");
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).isEqualTo(ExchangeException.invalidSubjectToken().getMessage());
                });
    }
}
