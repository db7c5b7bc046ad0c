package dev.latchkey.core.revocation;

import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyException;
import dev.latchkey.core.apikey.ApiKeyToken;
import dev.latchkey.core.apikey.InspectApiKey;
import dev.latchkey.core.apikey.ManageApiKeys;
import dev.latchkey.core.application.Application;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.client.ClientAuthenticationException;
import dev.latchkey.core.client.ClientAuthenticationFailure;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.RefreshToken;
import dev.latchkey.core.session.RevokeToken;
import dev.latchkey.core.session.SessionRepository;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.InvalidTokenException;
import dev.latchkey.core.token.PublicKeyResolver;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code POST /oauth/revoke} (RFC 7009 §2.1): every kind of token Latchkey issues is really revoked, or the request
 * is refused — never a success that changed nothing for a token that works. The token's shape tells the kinds apart
 * ({@code token_type_hint} is only a hint, §2.1, and is ignored):
 * <ul>
 *   <li><b>refresh token</b> ({@code lkr_…}): its whole session ends ({@code session.revoked}); the session's
 *       access tokens then fail on Latchkey's routes and in introspection on their next use (RFC 7009 §2.1: "SHOULD
 *       also invalidate all access tokens based on the same authorization grant"); an application's refresh token
 *       ({@code lka_…}, {@code offline_access}) ends its refresh family the same way — by a request without client
 *       credentials (a public application sends only its {@code client_id}), or by the confidential application it
 *       was issued to, authenticated with its registered method ({@link #revoke(String, Application,
 *       RequestOrigin)});</li>
 *   <li><b>access token</b> (a JWT this issuer signed, any audience, not expired): its {@code jti} goes on the
 *       deny-list until it would have stopped verifying anyway ({@code exp} + {@link AccessTokenVerifier#MAX_LEEWAY}),
 *       checked by Latchkey's own routes and introspection in the same one read as the session
 *       ({@link dev.latchkey.core.session.LiveAccessTokens}); audited {@value #ACCESS_TOKEN_REVOKED}. Revoking a
 *       user's access token does <em>not</em> end its session (§2.1 leaves that to the server): it stops exactly the
 *       token sent; revoke the refresh token to end the session;</li>
 *   <li><b>API key</b> ({@code lk_…} with a valid checksum and secret, active): revoked as
 *       {@code POST /v1/orgs/{orgId}/api-keys/{keyId}/revoke} does ({@link ManageApiKeys#revoke}, audited
 *       {@code api_key.revoked} with the key itself as actor and the reason {@value #API_KEY_REASON}) — whoever holds
 *       a key may kill it, the way a leaked credential should be killable;</li>
 *   <li>anything else — malformed, unknown, expired, already revoked — is §2.2's 200 with nothing done.</li>
 * </ul>
 *
 * <p><b>Client authentication</b> (§2.1). The endpoint authenticates a client whenever client credentials are sent
 * (a failure is 401 {@code invalid_client} before the token is looked at). A token issued to a confidential
 * client (a service client's own access token: {@code sub} = {@code client_id} = {@code cli_…}) is revoked only by
 * that client, authenticated. An authenticated application revokes the tokens issued to it: its {@code lka_}
 * refresh tokens (the family bound to it) and its access tokens ({@code client_id} = the application). Every other
 * token was issued without client credentials — to a user through
 * Latchkey's own login (refresh and session access tokens), or to an API key's holder — and is revoked only by a
 * request without client credentials. A token that Latchkey holds but did not issue to the requesting client (a
 * service client or an application) is refused
 * with {@link ClientAuthenticationException} ({@link ClientAuthenticationFailure#CLIENT_MISMATCH}, 401
 * {@code invalid_client}), audited {@value #REVOCATION_REFUSED}, and nothing is revoked.
 */
public final class RevokeOAuthToken {

    /** The audit action of an access token put on the deny-list. */
    public static final String ACCESS_TOKEN_REVOKED = "access_token.revoked";
    /** The audit action of a revocation refused because the token was not issued to the requesting client. */
    public static final String REVOCATION_REFUSED = "token.revocation_refused";
    /** The reason stored on an API key revoked through this endpoint. */
    public static final String API_KEY_REASON = "Revoked with POST /oauth/revoke (RFC 7009).";

    private static final Pattern ORGANIZATION_ID = Pattern.compile("org_[0-9A-Za-z]{1,64}");
    private static final Pattern TARGET_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final SessionRepository sessions;
    private final RevokeToken refreshTokens;
    private final InspectApiKey apiKeys;
    private final ManageApiKeys manageApiKeys;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final Supplier<AccessTokenVerifier> verifier;

    /**
     * @param keys the published signing keys
     * @param issuer the issuer (read when the first access token is revoked)
     * @param sessions sessions and the access-token deny-list
     * @param refreshTokens refresh-token revocation (ends the session)
     * @param apiKeys finds the presented API key without using it
     * @param manageApiKeys revokes it as the management route does
     * @param audit where revocations go
     * @param ids event ids
     * @param clock the current time
     */
    public RevokeOAuthToken(PublicKeyResolver keys, Supplier<String> issuer, SessionRepository sessions,
            RevokeToken refreshTokens, InspectApiKey apiKeys, ManageApiKeys manageApiKeys, AuditLog audit,
            IdGenerator ids, Clock clock) {
        this.verifier = AccessTokenVerifier.forAnyAudienceOnFirstUse(keys, issuer, clock);
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.refreshTokens = Objects.requireNonNull(refreshTokens, "refreshTokens");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.manageApiKeys = Objects.requireNonNull(manageApiKeys, "manageApiKeys");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Revokes a token.
     *
     * @param token the {@code token} parameter as sent
     * @param client the client that authenticated the request, if it sent credentials (they were checked already)
     * @param origin for the audit events
     * @return what was done
     * @throws ClientAuthenticationException 401 {@code invalid_client} for a token that was not issued to
     *     {@code client} (see the class comment); nothing is revoked then
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed: 503, and the
     *     client retries)
     */
    public RevocationResult revoke(String token, Optional<ServiceClient> client, RequestOrigin origin) {
        Objects.requireNonNull(client, "client");
        return revokeFor(token, client.map(c -> new Requester(c.clientId(), c.organizationId(), false)), origin);
    }

    /**
     * Revokes a token for an application that authenticated with its registered method (a confidential one: a
     * secret or {@code private_key_jwt}): its own {@code lka_} refresh token ends its family, its own access token
     * goes on the deny-list; a token Latchkey holds that was issued to anyone else is refused (401
     * {@code invalid_client}, audited {@value #REVOCATION_REFUSED}, nothing revoked); an invalid token is §2.2's
     * success with nothing done.
     *
     * @param token the {@code token} parameter as sent
     * @param application the authenticated application
     * @param origin for the audit events
     * @return what was done
     * @throws ClientAuthenticationException 401 {@code invalid_client} for a token not issued to the application
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    public RevocationResult revoke(String token, Application application, RequestOrigin origin) {
        Objects.requireNonNull(application, "application");
        return revokeFor(token, Optional.of(new Requester(application.clientId(), application.organizationId(),
                true)), origin);
    }

    /** The authenticated client of a revocation request: a service client or an application. */
    private record Requester(String clientId, String organizationId, boolean application) {
    }

    private RevocationResult revokeFor(String token, Optional<Requester> client, RequestOrigin origin) {
        Objects.requireNonNull(origin, "origin");
        if (token == null || token.isEmpty()) {
            return RevocationResult.NOTHING;
        }
        if (token.startsWith(RefreshToken.PREFIX) || RefreshToken.isApplicationToken(token)) {
            return refreshToken(token, client, origin);
        }
        if (ApiKeyToken.looksLikeKey(token)) {
            return apiKey(token, client, origin);
        }
        return accessToken(token, client, origin);
    }

    private RevocationResult refreshToken(String token, Optional<Requester> client, RequestOrigin origin) {
        String sourceIp = origin.sourceIp().orElse("");
        if (client.filter(Requester::application).isPresent()) {
            return switch (refreshTokens.revokeApplicationToken(token, client.get().clientId(), sourceIp,
                    origin.requestId())) {
                case FAMILY_ENDED -> RevocationResult.SESSION_ENDED;
                case NOTHING -> RevocationResult.NOTHING;
                case ANOTHER_CLIENT -> throw refused(client.get(), "refresh_token", origin);
            };
        }
        if (client.isPresent()) {
            if (refreshTokens.isKnown(token)) {
                throw refused(client.get(), "refresh_token", origin);
            }
            return RevocationResult.NOTHING;
        }
        return refreshTokens.revoke(token, sourceIp, origin.requestId()) ? RevocationResult.SESSION_ENDED
                : RevocationResult.NOTHING;
    }

    /**
     * An API key is revoked as the revoke route does, by itself (with its family). A key deleted between the check and
     * the revocation was an invalid token by then: nothing (RFC 7009 §2.2). A revocation that lost to concurrent
     * changes three times is retried by the client: 503 {@code temporarily_unavailable}, never a 400.
     */
    private RevocationResult apiKey(String token, Optional<Requester> client, RequestOrigin origin) {
        Optional<ApiKey> found = apiKeys.active(token);
        if (found.isEmpty()) {
            return RevocationResult.NOTHING;
        }
        if (client.isPresent()) {
            throw refused(client.get(), "api_key", origin);
        }
        ApiKey key = found.get();
        Caller.ApiKey holder = new Caller.ApiKey(key.id(), key.organizationId(), new HashSet<>(key.permissions()),
                key.expiresAt(), key.rateLimit());
        try {
            manageApiKeys.revoke(new OrgAccess(key.organizationId(), holder, holder.permissions()), key.id(),
                    Optional.of(API_KEY_REASON), origin);
        } catch (ApiKeyException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return RevocationResult.NOTHING;
            }
            throw new StoreUnavailableException(e);
        }
        return RevocationResult.API_KEY_REVOKED;
    }

    private RevocationResult accessToken(String token, Optional<Requester> client, RequestOrigin origin) {
        AccessTokenClaims claims;
        try {
            claims = verifier.get().verify(token).claims();
        } catch (InvalidTokenException e) {
            return RevocationResult.NOTHING;
        }
        Optional<String> issuedTo = confidentialClientOf(claims);
        boolean allowed;
        if (client.filter(Requester::application).isPresent()) {
            allowed = claims.clientId().filter(client.get().clientId()::equals).isPresent();
        } else {
            allowed = issuedTo.isPresent()
                    ? client.filter(c -> c.clientId().equals(issuedTo.get())).isPresent()
                    : client.isEmpty();
        }
        if (!allowed) {
            if (client.isPresent()) {
                throw refused(client.get(), "access_token", origin);
            }
            throw new ClientAuthenticationException(ClientAuthenticationFailure.CLIENT_MISMATCH);
        }
        Instant now = clock.instant();
        if (!sessions.denyAccessToken(claims.jwtId(), now, claims.expiresAt().plus(AccessTokenVerifier.MAX_LEEWAY))) {
            return RevocationResult.NOTHING;
        }
        AuditEvent.Builder event = event(ACCESS_TOKEN_REVOKED, origin).actor(holder(claims)).outcome(Outcome.SUCCESS)
                .detail("use", claims.isManagement() ? "management" : "resource");
        claims.org().filter(org -> ORGANIZATION_ID.matcher(org).matches()).ifPresent(event::organizationId);
        if (TARGET_ID.matcher(claims.jwtId()).matches()) {
            event.target("access_token", claims.jwtId());
        }
        claims.sessionId().ifPresent(sid -> event.detail("session_id", sid));
        audit.record(event.build());
        return RevocationResult.ACCESS_TOKEN_REVOKED;
    }

    /** The service client a token was issued to: its own token has {@code sub} = {@code client_id} = a client id. */
    private static Optional<String> confidentialClientOf(AccessTokenClaims claims) {
        boolean clientToken = claims.sessionId().isEmpty()
                && claims.subject().startsWith(IdPrefix.CLIENT.text() + "_")
                && claims.clientId().filter(claims.subject()::equals).isPresent();
        return clientToken ? Optional.of(claims.subject()) : Optional.empty();
    }

    private static Actor holder(AccessTokenClaims claims) {
        String subject = claims.subject();
        if (subject.startsWith(IdPrefix.USER.text() + "_")) {
            return Actor.user(subject);
        }
        if (subject.startsWith(IdPrefix.API_KEY.text() + "_")) {
            return Actor.apiKey(subject);
        }
        if (subject.startsWith(IdPrefix.CLIENT.text() + "_")) {
            return Actor.client(subject);
        }
        return Actor.anonymous();
    }

    private ClientAuthenticationException refused(Requester client, String tokenType, RequestOrigin origin) {
        audit.record(event(REVOCATION_REFUSED, origin).organizationId(client.organizationId())
                .actor(Actor.client(client.clientId())).outcome(Outcome.FAILURE)
                .detail("reason", "token_not_issued_to_client").detail("kind", tokenType).build());
        return new ClientAuthenticationException(ClientAuthenticationFailure.CLIENT_MISMATCH);
    }

    private AuditEvent.Builder event(String action, RequestOrigin origin) {
        AuditEvent.Builder event = AuditEvent.builder(ids, clock).action(action).requestId(origin.requestId());
        origin.sourceIp().ifPresent(event::sourceIp);
        return event;
    }
}
