package dev.latchkey.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.ActorType;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.InMemoryPeppers;
import java.security.KeyPair;
import java.time.Duration;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ClientAuthentication}: secrets, private_key_jwt, the jwt-bearer assertion; one failure, audited. */
class ClientAuthenticationTest {

    private static final Instant T0 = Instant.parse("2025-03-12T10:15:30Z");
    private static final String ISSUER = "https://auth.example.test";
    private static final String TOKEN_ENDPOINT = ISSUER + "/oauth/token";
    private static final String ORG = "org_01JD3ZK8W6Q4V8S2M9N7T5R3P1";
    private static final String CLIENT = "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P1";
    private static final String OTHER = "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P2";
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.10", "req-1");

    private final MutableClock clock = new MutableClock(T0);
    private final SecureRandom random = new SecureRandom();
    private final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    private final InMemoryClientRepository clients = new InMemoryClientRepository();
    private final InMemoryPeppers peppers = new InMemoryPeppers();
    private final ClientSecretHasher hasher = new ClientSecretHasher(peppers);
    private final InMemoryAssertionReplayStore replay = new InMemoryAssertionReplayStore(clock);
    private final ClientAuthentication authentication = new ClientAuthentication(clients, hasher,
            new ClientAssertions(clock), replay, () -> ISSUER, audit, new SortableIdGenerator(clock, random), clock);
    private final String secret = ClientSecretValue.generate(random);
    private final KeyPair ed = AssertionSigner.ed25519();
    private final KeyPair otherKey = AssertionSigner.ed25519();

    ClientAuthenticationTest() {
        ClientSecret revoked = new ClientSecret("cs_01JD3ZK8W6Q4V8S2M9N7T5R3P0", hasher.hash("lkcs_revoked"), T0,
                "usr_test", Optional.empty(), Optional.of(T0));
        ClientSecret current = new ClientSecret("cs_01JD3ZK8W6Q4V8S2M9N7T5R3P1", hasher.hash(secret), T0, "usr_test",
                Optional.empty(), Optional.empty());
        clients.put(new ServiceClient(CLIENT, ORG, "worker", List.of(), T0, "usr_test", List.of(revoked, current),
                List.of(AssertionSigner.clientKey("ck_01JD3ZK8W6Q4V8S2M9N7T5R3P1", "ed-1", ed, T0)), 0));
        clients.put(new ServiceClient(OTHER, "org_01JD3ZK8W6Q4V8S2M9N7T5R3P2", "other", List.of(), T0, "usr_test",
                List.of(), List.of(AssertionSigner.clientKey("ck_01JD3ZK8W6Q4V8S2M9N7T5R3P2", "o-1", otherKey, T0)),
                0));
    }

    private void assertFails(PresentedClientCredentials presented, ClientAuthenticationFailure reason) {
        assertThatThrownBy(() -> authentication.authenticate(presented, ORIGIN))
                .isInstanceOfSatisfying(ClientAuthenticationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).isEqualTo(ClientAuthenticationException.MESSAGE);
                });
        AuditEvent event = audit.last().orElseThrow();
        assertThat(event.action()).isEqualTo(ClientAuthentication.FAILED);
        assertThat(event.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(event.details()).containsEntry("reason", reason.code()).containsEntry("method",
                presented.method());
        assertThat(event.toString()).doesNotContain(secret);
    }

    @Test
    @DisplayName("RFC 6749 §2.3.1: the current secret authenticates, by Basic or in the body")
    void authenticateWhenSecretMatchesThenClient() {
        assertThat(authentication.authenticate(new PresentedClientCredentials.Secret(CLIENT, secret, true), ORIGIN)
                .clientId()).isEqualTo(CLIENT);
        assertThat(authentication.authenticate(new PresentedClientCredentials.Secret(CLIENT, secret, false), ORIGIN)
                .clientId()).isEqualTo(CLIENT);
        assertThat(audit.events()).isEmpty();
    }

    @Test
    @DisplayName("[attack] a wrong or revoked secret → one failure, audited in the client's org with the client")
    void authenticateWhenWrongOrRevokedSecretThenFailedAndAudited() {
        assertFails(new PresentedClientCredentials.Secret(CLIENT, secret + "x", true),
                ClientAuthenticationFailure.WRONG_SECRET);
        AuditEvent event = audit.last().orElseThrow();
        assertThat(event.organizationId()).contains(ORG);
        assertThat(event.actor().id()).isEqualTo(CLIENT);
        assertThat(event.target().map(t -> t.type() + "/" + t.id())).contains("client/" + CLIENT);
        assertThat(event.sourceIp()).contains("203.0.113.10");

        assertFails(new PresentedClientCredentials.Secret(CLIENT, "lkcs_revoked", false),
                ClientAuthenticationFailure.WRONG_SECRET);
        assertFails(new PresentedClientCredentials.Secret(OTHER, secret, false),
                ClientAuthenticationFailure.WRONG_SECRET);
    }

    @Test
    @DisplayName("[attack] an unknown client still costs one HMAC; audited without organization, actor anonymous")
    void authenticateWhenUnknownClientThenSameFailureAndOneHash() {
        int before = peppers.calls();
        assertFails(new PresentedClientCredentials.Secret("cli_01JD3ZK8W6Q4V8S2M9N7T5R3P9", secret, true),
                ClientAuthenticationFailure.UNKNOWN_CLIENT);
        assertThat(peppers.calls()).as("the pepper is opened once per container").isLessThanOrEqualTo(before + 1);
        AuditEvent event = audit.last().orElseThrow();
        assertThat(event.organizationId()).isEmpty();
        assertThat(event.actor().type()).isEqualTo(ActorType.ANONYMOUS);
        assertFails(new PresentedClientCredentials.Secret("not-an-id", secret, true),
                ClientAuthenticationFailure.UNKNOWN_CLIENT);
    }

    @Test
    @DisplayName("RFC 7523 §2.2: private_key_jwt authenticates once; the replayed assertion fails (REPLAYED)")
    void authenticateWhenAssertionThenOnceOnly() {
        String assertion = AssertionSigner.sign(ed, "ed-1", CLIENT, TOKEN_ENDPOINT, T0);
        var presented = new PresentedClientCredentials.Assertion(Optional.of(CLIENT), assertion);

        assertThat(authentication.authenticate(presented, ORIGIN).clientId()).isEqualTo(CLIENT);
        assertFails(presented, ClientAuthenticationFailure.REPLAYED);
        assertThat(audit.last().orElseThrow().toString()).doesNotContain(assertion);
    }

    @Test
    @DisplayName("[attack] a client_id that is not the assertion's client, or another client's key → refused")
    void authenticateWhenAssertionOfAnotherClientThenRefused() {
        assertFails(new PresentedClientCredentials.Assertion(Optional.of(OTHER),
                AssertionSigner.sign(ed, "ed-1", CLIENT, ISSUER, T0)), ClientAuthenticationFailure.WRONG_SUBJECT);
        assertFails(new PresentedClientCredentials.Assertion(Optional.empty(),
                AssertionSigner.sign(otherKey, "ed-1", CLIENT, ISSUER, T0)), ClientAuthenticationFailure.BAD_SIGNATURE);
        assertFails(new PresentedClientCredentials.Assertion(Optional.empty(), "not.a.jwt"),
                ClientAuthenticationFailure.MALFORMED_ASSERTION);
        assertThat(replay.size()).as("no refused assertion spends a jti").isZero();
    }

    @Test
    @DisplayName("[attack] missing jti → MALFORMED_ASSERTION; wrong aud → WRONG_AUDIENCE")
    void authenticateWhenClaimsWrongThenRefused() {
        Map<String, Object> claims = AssertionSigner.claims(CLIENT, ISSUER, T0);
        claims.remove("jti");
        assertFails(new PresentedClientCredentials.Assertion(Optional.empty(), AssertionSigner.sign(ed,
                AssertionSigner.header(ed, "ed-1"), claims)), ClientAuthenticationFailure.MALFORMED_ASSERTION);
        assertFails(new PresentedClientCredentials.Assertion(Optional.empty(), AssertionSigner.sign(ed, "ed-1",
                CLIENT, "https://api.example.com", T0)), ClientAuthenticationFailure.WRONG_AUDIENCE);
    }

    @Test
    @DisplayName("RFC 7523 §2.1: a jwt-bearer assertion names its client; an authenticated other client → mismatch")
    void verifyGrantWhenAuthenticatedClientDiffersThenMismatch() {
        ServiceClient other = clients.find(OTHER).orElseThrow();
        assertThat(authentication.verifyGrant(AssertionSigner.sign(ed, "ed-1", CLIENT, ISSUER, T0), Optional.empty(),
                ORIGIN).clientId()).isEqualTo(CLIENT);

        assertThatThrownBy(() -> authentication.verifyGrant(AssertionSigner.sign(ed, "ed-1", CLIENT, ISSUER, T0),
                Optional.of(other), ORIGIN)).isInstanceOfSatisfying(ClientAuthenticationException.class,
                        e -> assertThat(e.reason()).isEqualTo(ClientAuthenticationFailure.CLIENT_MISMATCH));
        assertThat(audit.last().orElseThrow().details()).containsEntry("method", "jwt_bearer");
    }

    private ClientAuthenticationException refusal(PresentedClientCredentials presented, ClientEndpoint endpoint) {
        try {
            authentication.authenticate(presented, ORIGIN, endpoint);
        } catch (ClientAuthenticationException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    private static PresentedClientCredentials.Assertion assertion(String value) {
        return new PresentedClientCredentials.Assertion(Optional.empty(), value);
    }

    @Test
    @DisplayName("issue 12 §3: aud = the endpoint called (introspection, revocation) is accepted there, and only there")
    void authenticateWhenAudIsTheCalledEndpointThenAcceptedThereOnly() {
        for (ClientEndpoint endpoint : ClientEndpoint.values()) {
            String aud = endpoint.url(ISSUER);
            assertThat(authentication.authenticate(assertion(AssertionSigner.sign(ed, "ed-1", CLIENT, aud, T0)),
                    ORIGIN, endpoint).clientId()).as(aud).isEqualTo(CLIENT);
            assertThat(authentication.authenticate(assertion(AssertionSigner.sign(ed, "ed-1", CLIENT, ISSUER, T0)),
                    ORIGIN, endpoint).clientId()).as("the issuer at " + endpoint).isEqualTo(CLIENT);
            assertThat(authentication.authenticate(assertion(AssertionSigner.sign(ed, "ed-1", CLIENT, TOKEN_ENDPOINT,
                    T0)), ORIGIN, endpoint).clientId()).as("the token endpoint at " + endpoint).isEqualTo(CLIENT);
        }
        ClientAuthenticationException e = refusal(assertion(AssertionSigner.sign(ed, "ed-1", CLIENT,
                ClientEndpoint.REVOCATION.url(ISSUER), T0)), ClientEndpoint.INTROSPECTION);
        assertThat(e.reason()).isEqualTo(ClientAuthenticationFailure.WRONG_AUDIENCE);
        assertThat(e.description()).contains("aud");
        assertThat(audit.last().orElseThrow().details()).containsEntry("reason", "wrong_audience");
    }

    @Test
    @DisplayName("issue 12 §3: a one-hour assertion (authlib's default) passes; its jti is remembered until exp")
    void authenticateWhenOneHourAssertionThenAcceptedAndJtiRememberedUntilExp() {
        Map<String, Object> claims = AssertionSigner.claims(CLIENT, TOKEN_ENDPOINT, T0);
        claims.put("exp", T0.getEpochSecond() + 3600);
        var presented = assertion(AssertionSigner.sign(ed, AssertionSigner.header(ed, "ed-1"), claims));

        assertThat(authentication.authenticate(presented, ORIGIN).clientId()).isEqualTo(CLIENT);
        clock.set(T0.plusSeconds(3599));
        ClientAuthenticationException replayed = refusal(presented, ClientEndpoint.TOKEN);
        assertThat(replayed.reason()).isEqualTo(ClientAuthenticationFailure.REPLAYED);
        assertThat(replayed.description()).contains("already used");
        clock.set(T0.plusSeconds(3600));
        assertThat(refusal(presented, ClientEndpoint.TOKEN).reason()).as("then it is simply expired")
                .isEqualTo(ClientAuthenticationFailure.EXPIRED);

        claims.put("exp", T0.getEpochSecond() + 3601);
        claims.put("jti", "longer");
        clock.set(T0);
        ClientAuthenticationException tooLong = refusal(assertion(AssertionSigner.sign(ed,
                AssertionSigner.header(ed, "ed-1"), claims)), ClientEndpoint.TOKEN);
        assertThat(tooLong.reason()).isEqualTo(ClientAuthenticationFailure.LIFETIME_TOO_LONG);
        assertThat(tooLong.description()).contains("lives longer");
    }

    @Test
    @DisplayName("issue 12 §3: a named rule is named alike for an unknown client (checked before the lookup); the "
            + "audit event keeps the precise reason")
    void authenticateWhenClaimRuleFailsThenSameDescriptionForKnownAndUnknownClient() {
        String unknown = "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P9";
        Map<String, Object> known = AssertionSigner.claims(CLIENT, "https://api.example.com", T0);
        Map<String, Object> stranger = AssertionSigner.claims(unknown, "https://api.example.com", T0);

        ClientAuthenticationException forKnown = refusal(assertion(AssertionSigner.sign(ed,
                AssertionSigner.header(ed, "ed-1"), known)), ClientEndpoint.TOKEN);
        AuditEvent knownEvent = audit.last().orElseThrow();
        ClientAuthenticationException forUnknown = refusal(assertion(AssertionSigner.sign(ed,
                AssertionSigner.header(ed, "ed-1"), stranger)), ClientEndpoint.TOKEN);
        AuditEvent unknownEvent = audit.last().orElseThrow();

        assertThat(forKnown.description()).isEqualTo(forUnknown.description())
                .isEqualTo(ClientAuthenticationFailure.WRONG_AUDIENCE.disclosure().orElseThrow());
        assertThat(knownEvent.details()).containsEntry("reason", "wrong_audience");
        assertThat(knownEvent.organizationId()).contains(ORG);
        assertThat(unknownEvent.details()).containsEntry("reason", "wrong_audience");
        assertThat(unknownEvent.actor().type()).isEqualTo(ActorType.ANONYMOUS);
    }

    @Test
    @DisplayName("issue 12 §3: unknown client, bad signature, no usable key, wrong secret → the one fixed text")
    void authenticateWhenClientOrCredentialWrongThenFixedDescription() {
        List<ClientAuthenticationException> refusals = List.of(
                refusal(assertion(AssertionSigner.sign(ed, "ed-1", "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P9", ISSUER, T0)),
                        ClientEndpoint.TOKEN),
                refusal(assertion(AssertionSigner.sign(otherKey, "ed-1", CLIENT, ISSUER, T0)), ClientEndpoint.TOKEN),
                refusal(assertion(AssertionSigner.sign(ed, "nope", CLIENT, ISSUER, T0)), ClientEndpoint.TOKEN),
                refusal(new PresentedClientCredentials.Secret(CLIENT, secret + "x", true), ClientEndpoint.TOKEN),
                refusal(new PresentedClientCredentials.Secret("cli_01JD3ZK8W6Q4V8S2M9N7T5R3P9", secret, true),
                        ClientEndpoint.TOKEN));

        assertThat(refusals).extracting(ClientAuthenticationException::reason).containsExactly(
                ClientAuthenticationFailure.UNKNOWN_CLIENT, ClientAuthenticationFailure.BAD_SIGNATURE,
                ClientAuthenticationFailure.NO_USABLE_KEY, ClientAuthenticationFailure.WRONG_SECRET,
                ClientAuthenticationFailure.UNKNOWN_CLIENT);
        assertThat(refusals).extracting(ClientAuthenticationException::description)
                .containsOnly(ClientAuthenticationException.MESSAGE);
    }

    @Test
    @DisplayName("token-path cache on: a secret or key added in another container works at once (one fresh read);"
            + " a revoked one still works until the TTL ends, then not")
    void authenticateWhenCachedClientMissesNewCredentialThenFreshReadAndRevocationWithinTtl() {
        CachedClientRepository cached = new CachedClientRepository(clients,
                new dev.latchkey.core.store.RecordCache<>(Duration.ofSeconds(10), 100, clock));
        ClientAuthentication cachedAuthentication = new ClientAuthentication(cached, hasher,
                new ClientAssertions(clock), replay, () -> ISSUER, audit, new SortableIdGenerator(clock, random),
                clock);
        assertThat(cachedAuthentication.authenticate(new PresentedClientCredentials.Secret(CLIENT, secret, true),
                ORIGIN).clientId()).isEqualTo(CLIENT);
        ServiceClient before = clients.find(CLIENT).orElseThrow();
        String added = ClientSecretValue.generate(random);
        KeyPair newKey = AssertionSigner.ed25519();
        List<ClientSecret> secrets = new java.util.ArrayList<>(before.secrets());
        secrets.add(new ClientSecret("cs_01JD3ZK8W6Q4V8S2M9N7T5R3P9", hasher.hash(added), T0, "usr_test",
                Optional.empty(), Optional.empty()));
        List<ClientKey> keys = new java.util.ArrayList<>(before.keys());
        keys.add(AssertionSigner.clientKey("ck_01JD3ZK8W6Q4V8S2M9N7T5R3P9", "ed-new", newKey, T0));
        clients.put(new ServiceClient(CLIENT, ORG, "worker", List.of(), T0, "usr_test", secrets, keys, 1));

        assertThat(cachedAuthentication.authenticate(new PresentedClientCredentials.Secret(CLIENT, added, true),
                ORIGIN).clientId()).as("a secret added elsewhere").isEqualTo(CLIENT);
        clients.put(before);
        cached.find(CLIENT);
        clients.put(new ServiceClient(CLIENT, ORG, "worker", List.of(), T0, "usr_test", secrets, keys, 1));
        assertThat(cachedAuthentication.authenticate(new PresentedClientCredentials.Assertion(Optional.of(CLIENT),
                AssertionSigner.sign(newKey, "ed-new", CLIENT, TOKEN_ENDPOINT, T0)), ORIGIN).clientId())
                .as("a key added elsewhere").isEqualTo(CLIENT);

        clients.put(new ServiceClient(CLIENT, ORG, "worker", List.of(), T0, "usr_test", List.of(), List.of(), 2));
        assertThat(cachedAuthentication.authenticate(new PresentedClientCredentials.Secret(CLIENT, added, true),
                ORIGIN).clientId()).as("revoked elsewhere: still works within the TTL").isEqualTo(CLIENT);
        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(() -> cachedAuthentication.authenticate(
                new PresentedClientCredentials.Secret(CLIENT, added, true), ORIGIN))
                .isInstanceOf(ClientAuthenticationException.class);
    }
}
