package dev.latchkey.core.client;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.principal.RequestOrigin;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Authenticates a service client at the token, introspection and revocation endpoints (RFC 6749 §2.3, §3.2.1;
 * RFC 7662 §2.1; RFC 7009 §2.1), and checks the assertion of a jwt-bearer grant (RFC 7523 §2.1, §3), which is the
 * same signed-JWT check.
 *
 * <ul>
 *   <li><b>Secrets</b> ({@code client_secret_basic}, {@code client_secret_post}): the presented secret is hashed
 *       (HMAC-SHA-256 under the {@code client-secret} pepper) before the client is even looked at, so an unknown
 *       client costs the same one HMAC as a known one (no timing oracle); the hash is compared in constant time
 *       with every usable (unrevoked, unexpired) secret of the client, all of them, without stopping early.</li>
 *   <li><b>Assertions</b> ({@code private_key_jwt} and the jwt-bearer grant): parsed strictly; the claims that
 *       concern the assertion alone are checked first ({@link ClientAssertions#checkClaims}: {@code aud} exactly
 *       the issuer, the token endpoint URL or the URL of the {@link ClientEndpoint} being called; {@code exp};
 *       {@code iat}/{@code nbf}; the lifetime), so that naming such a failure tells nothing about the client;
 *       then the client that {@code iss} names is read (one strongly consistent query, so a revoked key fails at
 *       once), the signature is verified against its keys, and only then its {@code jti} is spent in the
 *       {@link AssertionReplayStore} until its {@code exp} (so a forged assertion cannot burn a jti).</li>
 * </ul>
 * Every failure is one {@link ClientAuthenticationException}, the same {@code invalid_client} whatever the cause
 * (its {@link ClientAuthenticationException#description()} names only the rules of
 * {@link ClientAuthenticationFailure#disclosure()}), and is audited
 * {@code client.authentication_failed} with the {@code reason} and the {@code method}: in the client's
 * organization with the client as actor and target when the client exists, else among the events without
 * organization with an anonymous actor. Never the secret, the assertion or a value from them.
 */
public final class ClientAuthentication {

    /** The audit action of every failed client authentication. */
    public static final String FAILED = "client.authentication_failed";

    /** The method name of a jwt-bearer grant's assertion in the audit event. */
    public static final String JWT_BEARER = "jwt_bearer";

    private final ClientRepository clients;
    private final ClientSecretHasher hasher;
    private final ClientAssertions assertions;
    private final AssertionReplayStore replay;
    private final Supplier<String> issuer;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * @param clients the clients and their credentials
     * @param hasher hashes presented secrets
     * @param assertions verifies signed assertions
     * @param replay spends assertion ids
     * @param issuer the issuer URL; the token endpoint is {@code <issuer>/oauth/token}
     * @param audit where failures are recorded
     * @param ids event ids
     * @param clock the current time
     */
    public ClientAuthentication(ClientRepository clients, ClientSecretHasher hasher, ClientAssertions assertions,
            AssertionReplayStore replay, Supplier<String> issuer, AuditLog audit, IdGenerator ids, Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.assertions = Objects.requireNonNull(assertions, "assertions");
        this.replay = Objects.requireNonNull(replay, "replay");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Authenticates the caller as a client at the token endpoint.
     *
     * @see #authenticate(PresentedClientCredentials, RequestOrigin, ClientEndpoint)
     */
    public ServiceClient authenticate(PresentedClientCredentials presented, RequestOrigin origin) {
        return authenticate(presented, origin, ClientEndpoint.TOKEN);
    }

    /**
     * Authenticates the caller as a client.
     *
     * @param endpoint the endpoint called: a client assertion's {@code aud} may name it
     * @return the client, with its credentials as read
     * @throws ClientAuthenticationException for every failure (audited)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed)
     */
    public ServiceClient authenticate(PresentedClientCredentials presented, RequestOrigin origin,
            ClientEndpoint endpoint) {
        if (presented instanceof PresentedClientCredentials.Secret secret) {
            return bySecret(secret, origin);
        }
        PresentedClientCredentials.Assertion assertion = (PresentedClientCredentials.Assertion) presented;
        return byAssertion(assertion.assertion(), assertion.clientId(), assertion.method(), endpoint, origin);
    }

    /**
     * Checks a jwt-bearer grant's assertion (RFC 7523 §2.1, §3): a JWT signed by one of the client's registered
     * keys with {@code iss} = {@code sub} = the client id — the service acting as itself. Spends its jti.
     *
     * @param assertion the {@code assertion} parameter
     * @param authenticated the client that authenticated the request, if it did: it must be the same
     * @return the assertion's client
     * @throws ClientAuthenticationException for every failure (audited, method {@value #JWT_BEARER}); the token
     *     endpoint answers {@code invalid_grant} (RFC 7523 §3.1)
     */
    public ServiceClient verifyGrant(String assertion, Optional<ServiceClient> authenticated, RequestOrigin origin) {
        return byAssertion(assertion, authenticated.map(ServiceClient::clientId), JWT_BEARER, ClientEndpoint.TOKEN,
                origin);
    }

    private ServiceClient bySecret(PresentedClientCredentials.Secret presented, RequestOrigin origin) {
        byte[] hash = hasher.hash(presented.secret());
        Optional<ServiceClient> found = clients.find(presented.clientId());
        if (found.isEmpty()) {
            throw failed(Optional.empty(), ClientAuthenticationFailure.UNKNOWN_CLIENT, presented.method(), origin);
        }
        ServiceClient client = found.get();
        if (ClientSecret.anyUsableMatches(hash, client.secrets(), clock.instant())) {
            return client;
        }
        // A cached client may miss a secret added through another container: one fresh read before refusing.
        Optional<ServiceClient> fresh = clients.reread(presented.clientId());
        if (fresh.isPresent() && ClientSecret.anyUsableMatches(hash, fresh.get().secrets(), clock.instant())) {
            return fresh.get();
        }
        throw failed(fresh.or(() -> found), ClientAuthenticationFailure.WRONG_SECRET, presented.method(), origin);
    }

    private ServiceClient byAssertion(String assertion, Optional<String> expectedClient, String method,
            ClientEndpoint endpoint, RequestOrigin origin) {
        ParsedAssertion parsed;
        try {
            parsed = ClientAssertions.parse(assertion);
        } catch (ClientAuthenticationException e) {
            throw failed(expectedClient.flatMap(clients::find), e.reason(), method, origin);
        }
        String iss = issuer.get();
        Optional<ClientAuthenticationFailure> claims = Optional.empty();
        try {
            // Set.copyOf, not Set.of: at the token endpoint the called endpoint is the token endpoint.
            assertions.checkClaims(parsed, Set.copyOf(List.of(iss, ClientEndpoint.TOKEN.url(iss),
                    endpoint.url(iss))));
        } catch (ClientAuthenticationException e) {
            claims = Optional.of(e.reason());
        }
        Optional<ServiceClient> found = clients.find(parsed.issuer());
        if (claims.isPresent()) {
            throw failed(found.or(() -> expectedClient.flatMap(clients::find)), claims.get(), method, origin);
        }
        if (found.isEmpty()) {
            throw failed(expectedClient.flatMap(clients::find), ClientAuthenticationFailure.UNKNOWN_CLIENT, method,
                    origin);
        }
        if (expectedClient.filter(id -> !id.equals(parsed.issuer())).isPresent()) {
            ClientAuthenticationFailure reason = JWT_BEARER.equals(method) ? ClientAuthenticationFailure.CLIENT_MISMATCH
                    : ClientAuthenticationFailure.WRONG_SUBJECT;
            throw failed(found, reason, method, origin);
        }
        ClientAssertion verified;
        try {
            verified = assertions.verifySignature(parsed, found.get());
        } catch (ClientAuthenticationException e) {
            // A cached client may miss a key added through another container: one fresh read before refusing.
            Optional<ServiceClient> fresh = clients.reread(parsed.issuer());
            if (fresh.isEmpty()) {
                throw failed(found, e.reason(), method, origin);
            }
            found = fresh;
            try {
                verified = assertions.verifySignature(parsed, found.get());
            } catch (ClientAuthenticationException again) {
                throw failed(found, again.reason(), method, origin);
            }
        }
        if (!replay.firstUse(verified.clientId(), verified.jwtId(), verified.expiresAt())) {
            throw failed(found, ClientAuthenticationFailure.REPLAYED, method, origin);
        }
        return found.get();
    }

    private ClientAuthenticationException failed(Optional<ServiceClient> client, ClientAuthenticationFailure reason,
            String method, RequestOrigin origin) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reason", reason.code());
        details.put("method", method);
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .action(FAILED)
                .requestId(origin.requestId())
                .outcome(Outcome.FAILURE)
                .details(details);
        if (client.isPresent()) {
            event.organizationId(client.get().organizationId())
                    .actor(Actor.client(client.get().clientId()))
                    .target("client", client.get().clientId());
        } else {
            event.actor(Actor.anonymous());
        }
        origin.sourceIp().ifPresent(event::sourceIp);
        audit.record(event.build());
        return new ClientAuthenticationException(reason);
    }
}
