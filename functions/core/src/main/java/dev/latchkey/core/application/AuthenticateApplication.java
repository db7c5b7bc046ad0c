package dev.latchkey.core.application;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.client.AssertionReplayStore;
import dev.latchkey.core.client.ClientAssertion;
import dev.latchkey.core.client.ClientAssertions;
import dev.latchkey.core.client.ClientAuthentication;
import dev.latchkey.core.client.ClientAuthenticationException;
import dev.latchkey.core.client.ClientAuthenticationFailure;
import dev.latchkey.core.client.ClientEndpoint;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.client.ClientSecretHasher;
import dev.latchkey.core.client.ParsedAssertion;
import dev.latchkey.core.client.PresentedClientCredentials;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
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
 * Authenticates an application at the token endpoint (RFC 6749 §2.3, §3.2.1; OAuth 2.1 §2.4; RFC 7523 §2.2) with
 * its one registered {@code token_endpoint_auth_method} and nothing else (RFC 9700 §2.5):
 * <ul>
 *   <li>{@code none} (public): no credential at all, only {@code client_id} — the code's PKCE binding is what
 *       authenticates the request; a public application presenting a secret or an assertion is refused (a
 *       configuration mistake that would otherwise let a leaked "secret" look meaningful);</li>
 *   <li>{@code client_secret_basic} / {@code client_secret_post}: exactly that transport; the presented secret is
 *       hashed (HMAC-SHA-256, the service clients' {@code client-secret} pepper) before the application is read and
 *       compared in constant time with every usable secret, without stopping early (as {@link ClientAuthentication}
 *       does);</li>
 *   <li>{@code private_key_jwt}: the service clients' assertion rules ({@link ClientAssertions}: strict parse,
 *       {@code aud}, {@code exp}, lifetime, signature with a registered key, {@code jti} spent once).</li>
 * </ul>
 * Every failure is one {@link ClientAuthenticationException} (the endpoint's 401 {@code invalid_client}), audited
 * {@value ClientAuthentication#FAILED} with {@code reason} and {@code method}, in the application's organization
 * when it exists — never the secret or the assertion.
 */
public final class AuthenticateApplication {

    private final Applications applications;
    private final ClientSecretHasher hasher;
    private final ClientAssertions assertions;
    private final AssertionReplayStore replay;
    private final Supplier<String> issuer;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * @param applications the applications and their credentials
     * @param hasher hashes presented secrets
     * @param assertions verifies signed assertions
     * @param replay spends assertion ids
     * @param issuer the issuer URL (an assertion's {@code aud} may be it or the token endpoint)
     * @param audit where failures are recorded
     * @param ids event ids
     * @param clock the current time
     */
    public AuthenticateApplication(Applications applications, ClientSecretHasher hasher, ClientAssertions assertions,
            AssertionReplayStore replay, Supplier<String> issuer, AuditLog audit, IdGenerator ids, Clock clock) {
        this.applications = Objects.requireNonNull(applications, "applications");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.assertions = Objects.requireNonNull(assertions, "assertions");
        this.replay = Objects.requireNonNull(replay, "replay");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Authenticates the caller as an application.
     *
     * @param presented the client credentials of the request, if any
     * @param clientId the {@code client_id} form parameter, if sent (required without credentials)
     * @return the application, with its settings as read now
     * @throws ClientAuthenticationException for every failure (audited)
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed)
     */
    public Application authenticate(Optional<PresentedClientCredentials> presented, Optional<String> clientId,
            RequestOrigin origin) {
        return authenticate(presented, clientId, origin, ClientEndpoint.TOKEN);
    }

    /**
     * Authenticates the caller as an application at one of the client endpoints (token, revocation, introspection:
     * RFC 7009 §2.1 and RFC 7662 §2.1 reuse the token endpoint's client authentication); a client assertion's
     * {@code aud} may then be the issuer, the token endpoint or the endpoint called.
     *
     * @param presented the client credentials of the request, if any
     * @param clientId the {@code client_id} form parameter, if sent (required without credentials)
     * @param endpoint the endpoint called
     * @return the application, with its settings as read now
     * @throws ClientAuthenticationException for every failure (audited)
     */
    public Application authenticate(Optional<PresentedClientCredentials> presented, Optional<String> clientId,
            RequestOrigin origin, ClientEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (presented.isEmpty()) {
            String id = clientId.orElseThrow(() -> failed(Optional.empty(),
                    ClientAuthenticationFailure.UNKNOWN_CLIENT, "none", origin));
            Application application = applications.find(id).orElseThrow(() -> failed(Optional.empty(),
                    ClientAuthenticationFailure.UNKNOWN_CLIENT, "none", origin));
            if (application.tokenEndpointAuthMethod() != TokenEndpointAuthMethod.NONE) {
                throw failed(Optional.of(application), ClientAuthenticationFailure.METHOD_NOT_REGISTERED, "none",
                        origin);
            }
            return application;
        }
        if (presented.get() instanceof PresentedClientCredentials.Secret secret) {
            return bySecret(secret, clientId, origin);
        }
        return byAssertion((PresentedClientCredentials.Assertion) presented.get(), clientId, origin, endpoint);
    }

    /**
     * Whether presented credentials name an application ({@code app_…}) rather than a service client: the secret's
     * client id, else an assertion's {@code client_id} parameter, else its (not yet verified) {@code iss}. Only
     * routes the request to the right authentication, which then verifies everything.
     */
    public static boolean namesApplication(PresentedClientCredentials presented) {
        Optional<String> clientId;
        if (presented instanceof PresentedClientCredentials.Secret secret) {
            clientId = Optional.of(secret.clientId());
        } else {
            PresentedClientCredentials.Assertion assertion = (PresentedClientCredentials.Assertion) presented;
            clientId = assertion.clientId().or(() -> {
                try {
                    return Optional.of(ClientAssertions.parse(assertion.assertion()).issuer());
                } catch (ClientAuthenticationException e) {
                    return Optional.empty();
                }
            });
        }
        return clientId.filter(id -> id.startsWith(IdPrefix.APPLICATION.text() + "_")).isPresent();
    }

    private Application bySecret(PresentedClientCredentials.Secret presented, Optional<String> clientId,
            RequestOrigin origin) {
        byte[] hash = hasher.hash(presented.secret());
        Optional<Application> found = applications.find(presented.clientId());
        if (found.isEmpty()) {
            throw failed(found, ClientAuthenticationFailure.UNKNOWN_CLIENT, presented.method(), origin);
        }
        Application application = found.get();
        if (!application.tokenEndpointAuthMethod().wireName().equals(presented.method())) {
            throw failed(found, ClientAuthenticationFailure.METHOD_NOT_REGISTERED, presented.method(), origin);
        }
        if (clientId.filter(id -> !id.equals(presented.clientId())).isPresent()) {
            throw failed(found, ClientAuthenticationFailure.WRONG_SUBJECT, presented.method(), origin);
        }
        if (!ClientSecret.anyUsableMatches(hash, application.secrets(), clock.instant())) {
            throw failed(found, ClientAuthenticationFailure.WRONG_SECRET, presented.method(), origin);
        }
        return application;
    }

    private Application byAssertion(PresentedClientCredentials.Assertion presented, Optional<String> clientId,
            RequestOrigin origin, ClientEndpoint endpoint) {
        String method = presented.method();
        Optional<String> expected = presented.clientId().or(() -> clientId);
        ParsedAssertion parsed;
        try {
            parsed = ClientAssertions.parse(presented.assertion());
        } catch (ClientAuthenticationException e) {
            throw failed(expected.flatMap(applications::find), e.reason(), method, origin);
        }
        Optional<Application> found = applications.find(parsed.issuer());
        String iss = issuer.get();
        try {
            // Set.copyOf, not Set.of: at the token endpoint the called endpoint is the token endpoint.
            assertions.checkClaims(parsed, Set.copyOf(List.of(iss, ClientEndpoint.TOKEN.url(iss),
                    endpoint.url(iss))));
        } catch (ClientAuthenticationException e) {
            throw failed(found, e.reason(), method, origin);
        }
        if (found.isEmpty()) {
            throw failed(expected.flatMap(applications::find), ClientAuthenticationFailure.UNKNOWN_CLIENT, method,
                    origin);
        }
        Application application = found.get();
        if (application.tokenEndpointAuthMethod() != TokenEndpointAuthMethod.PRIVATE_KEY_JWT) {
            throw failed(found, ClientAuthenticationFailure.METHOD_NOT_REGISTERED, method, origin);
        }
        if (expected.filter(id -> !id.equals(parsed.issuer())).isPresent()) {
            throw failed(found, ClientAuthenticationFailure.WRONG_SUBJECT, method, origin);
        }
        ClientAssertion verified;
        try {
            verified = assertions.verifySignature(parsed, keysOnly(application));
        } catch (ClientAuthenticationException e) {
            throw failed(found, e.reason(), method, origin);
        }
        if (!replay.firstUse(verified.clientId(), verified.jwtId(), verified.expiresAt())) {
            throw failed(found, ClientAuthenticationFailure.REPLAYED, method, origin);
        }
        return application;
    }

    /**
     * The application as the assertion verifier reads a client: its id and its keys (the verifier looks at nothing
     * else), so the one signature check serves both kinds of client.
     */
    private static ServiceClient keysOnly(Application application) {
        return new ServiceClient(application.clientId(), application.organizationId(), application.name(), List.of(),
                application.createdAt(), application.createdBy(), List.of(), application.keys());
    }

    private ClientAuthenticationException failed(Optional<Application> application,
            ClientAuthenticationFailure reason, String method, RequestOrigin origin) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reason", reason.code());
        details.put("method", method);
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .action(ClientAuthentication.FAILED)
                .requestId(origin.requestId())
                .outcome(Outcome.FAILURE)
                .details(details);
        if (application.isPresent()) {
            event.organizationId(application.get().organizationId())
                    .actor(Actor.client(application.get().clientId()))
                    .target("application", application.get().clientId());
        } else {
            event.actor(Actor.anonymous());
        }
        origin.sourceIp().ifPresent(event::sourceIp);
        audit.record(event.build());
        return new ClientAuthenticationException(reason);
    }
}
