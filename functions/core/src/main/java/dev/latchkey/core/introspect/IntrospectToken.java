package dev.latchkey.core.introspect;

import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyToken;
import dev.latchkey.core.apikey.InspectApiKey;
import dev.latchkey.core.application.Application;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.session.LiveAccessTokens;
import dev.latchkey.core.session.RefreshToken;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.RefreshTokenRecord;
import dev.latchkey.core.session.RefreshTokenState;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionApplication;
import dev.latchkey.core.session.SessionRepository;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.InvalidTokenException;
import dev.latchkey.core.token.PublicKeyResolver;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Token introspection (RFC 7662 §2) for an authenticated service client. A token is active only when it is of
 * the client's own organization; everything else — malformed, unknown, expired, revoked, another organization's —
 * is the same {@code {"active": false}} (§2.2), never an error, so the answer tells a client nothing about other
 * tenants' tokens.
 *
 * <p>The token's shape tells the kinds apart (so {@code token_type_hint} is not needed, §2.1 lets it be ignored):
 * <ul>
 *   <li><b>refresh token</b> ({@code lkr_…}): its item {@code REFRESH#<keyed hash>} is ACTIVE (not rotated) and not
 *       past its expiry, its session is usable (active, neither idle- nor absolutely expired) at the token's
 *       generation, and the session's {@code org} is the client's. Nothing is rotated or revoked;</li>
 *   <li><b>API key</b> ({@code lk_…}): checksum, a strongly consistent read, the keyed hash, not revoked or
 *       expired ({@link InspectApiKey}: no use counted, no rate limit consumed), and the key's organization is the
 *       client's;</li>
 *   <li><b>access token</b> (anything else): it verifies like every Latchkey access token (ES256 against the
 *       published keys, {@code typ}, {@code iss}, {@code exp}… — {@link AccessTokenVerifier#forAnyAudience}, since
 *       every audience it was issued for is ours), its {@code org} is the client's, and it is live by the same
 *       one check Latchkey's own routes make ({@link LiveAccessTokens}: its {@code jti} not revoked, and when it
 *       has a {@code sid} that session still usable and the token's subject's — one strongly consistent read).</li>
 * </ul>
 *
 * <p><b>An application</b> (issue 15) that authenticated with its registered method — a confidential one: a secret
 * or {@code private_key_jwt}; a public application has no credential and cannot introspect — sees only the tokens
 * issued to it ({@link #introspect(String, Application)}): its {@code lka_} refresh tokens (active while the refresh
 * grant would accept them) and its access tokens ({@code client_id} = the application, live). Everything else —
 * another application's token, a sign-in session's {@code lkr_} token, an API key, a service client's token — is
 * {@code {"active": false}}. Conversely a service client never sees an application's {@code lka_} token as active:
 * it is bound to its application (RFC 6749 §6) and a resource server never receives one.
 */
public final class IntrospectToken {

    /** {@code token_type} of an access token (RFC 6749 §7.1). */
    public static final String BEARER = "Bearer";
    /** {@code token_type} of a refresh token. */
    public static final String REFRESH_TOKEN = "refresh_token";
    /** {@code token_type} of an API key. */
    public static final String API_KEY = "api_key";

    private final Supplier<String> issuer;
    private final SessionRepository sessions;
    private final RefreshTokenCrypto crypto;
    private final InspectApiKey apiKeys;
    private final Clock clock;
    private final LiveAccessTokens liveness;
    private final Supplier<AccessTokenVerifier> verifier;

    /**
     * @param keys the published signing keys
     * @param issuer the issuer (read when the first access token is introspected)
     * @param sessions sessions and refresh tokens
     * @param crypto refresh-token ids
     * @param apiKeys API keys, inspected without being used
     * @param clock the current time
     */
    public IntrospectToken(PublicKeyResolver keys, Supplier<String> issuer, SessionRepository sessions,
            RefreshTokenCrypto crypto, InspectApiKey apiKeys, Clock clock) {
        this.verifier = AccessTokenVerifier.forAnyAudienceOnFirstUse(keys, issuer, clock);
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.liveness = new LiveAccessTokens(sessions, clock);
    }

    /**
     * Introspects a token for a client.
     *
     * @param token the {@code token} parameter as sent
     * @param caller the authenticated client
     * @return active with the token's members, or inactive
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed: no answer
     *     rather than a wrong one)
     */
    public Introspection introspect(String token, ServiceClient caller) {
        Objects.requireNonNull(caller, "caller");
        if (token == null || token.isEmpty()) {
            return Introspection.inactive();
        }
        if (token.startsWith(RefreshToken.PREFIX)) {
            return refreshToken(token, caller.organizationId());
        }
        if (ApiKeyToken.looksLikeKey(token)) {
            return apiKey(token, caller.organizationId());
        }
        return accessToken(token, caller.organizationId());
    }

    /**
     * Introspects a token for an application that authenticated with its credentials: active only for its own
     * {@code lka_} refresh token (the family bound to it, ACTIVE at its generation and not expired, its sign-in
     * session still usable, {@code offline_access} still allowed — what the refresh grant checks before rotating)
     * and its own live access tokens; else inactive.
     *
     * @param token the {@code token} parameter as sent
     * @param application the authenticated application
     * @return active with the token's members, or inactive
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails (fail closed)
     */
    public Introspection introspect(String token, Application application) {
        Objects.requireNonNull(application, "application");
        if (token == null || token.isEmpty() || token.startsWith(RefreshToken.PREFIX)
                || ApiKeyToken.looksLikeKey(token)) {
            return Introspection.inactive();
        }
        if (RefreshToken.isApplicationToken(token)) {
            return applicationRefreshToken(token, application);
        }
        return accessToken(token, claims -> claims.clientId().filter(application.clientId()::equals).isPresent());
    }

    private Introspection accessToken(String token, String organizationId) {
        return accessToken(token, claims -> claims.org().filter(organizationId::equals).isPresent());
    }

    private Introspection accessToken(String token, Predicate<AccessTokenClaims> visible) {
        AccessTokenClaims claims;
        try {
            claims = verifier.get().verify(token).claims();
        } catch (InvalidTokenException e) {
            return Introspection.inactive();
        }
        if (!visible.test(claims)) {
            return Introspection.inactive();
        }
        if (!liveness.isLive(claims)) {
            return Introspection.inactive();
        }
        Map<String, Object> members = new LinkedHashMap<>();
        if (!claims.scope().isEmpty()) {
            members.put("scope", String.join(" ", claims.scope()));
        }
        claims.clientId().ifPresent(value -> members.put("client_id", value));
        members.put("token_type", BEARER);
        members.put("exp", claims.expiresAt().getEpochSecond());
        members.put("iat", claims.issuedAt().getEpochSecond());
        members.put("sub", claims.subject());
        members.put("aud", claims.audience().size() == 1 ? claims.audience().get(0) : claims.audience());
        members.put("iss", claims.issuer());
        members.put("jti", claims.jwtId());
        claims.org().ifPresent(value -> members.put("org", value));
        claims.sessionId().ifPresent(value -> members.put("sid", value));
        return Introspection.active(members);
    }

    private Introspection refreshToken(String token, String organizationId) {
        Optional<RefreshToken> parsed = RefreshToken.parse(token);
        if (parsed.isEmpty()) {
            return Introspection.inactive();
        }
        Instant now = clock.instant();
        Optional<RefreshTokenRecord> record = sessions.findRefreshToken(crypto.tokenId(parsed.get()))
                .filter(r -> r.state() == RefreshTokenState.ACTIVE)
                .filter(r -> now.isBefore(r.expiresAt()));
        if (record.isEmpty()) {
            return Introspection.inactive();
        }
        Optional<Session> session = sessions.find(record.get().sessionId())
                .filter(s -> s.generation() == record.get().generation())
                .filter(s -> s.isUsableAt(now))
                .filter(s -> s.organizationId().equals(organizationId));
        if (session.isEmpty()) {
            return Introspection.inactive();
        }
        Session live = session.get();
        Instant expiresAt = expiry(live);
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("token_type", REFRESH_TOKEN);
        members.put("exp", expiresAt.getEpochSecond());
        members.put("iat", live.lastUsedAt().getEpochSecond());
        members.put("sub", live.userId());
        members.put("iss", issuer.get());
        members.put("org", live.organizationId());
        members.put("sid", live.sessionId());
        return Introspection.active(members);
    }

    private Introspection applicationRefreshToken(String token, Application application) {
        Optional<RefreshToken> parsed = RefreshToken.parse(token).filter(RefreshToken::isApplication);
        if (parsed.isEmpty() || !application.allowsOfflineAccess()) {
            return Introspection.inactive();
        }
        Instant now = clock.instant();
        Optional<RefreshTokenRecord> record = sessions.findRefreshToken(crypto.tokenId(parsed.get()))
                .filter(r -> r.state() == RefreshTokenState.ACTIVE)
                .filter(r -> now.isBefore(r.expiresAt()));
        if (record.isEmpty()) {
            return Introspection.inactive();
        }
        Optional<Session> family = sessions.find(record.get().sessionId())
                .filter(s -> s.generation() == record.get().generation())
                .filter(s -> s.isUsableAt(now))
                .filter(s -> s.application().filter(a -> a.clientId().equals(application.clientId())).isPresent());
        if (family.isEmpty()) {
            return Introspection.inactive();
        }
        Session live = family.get();
        SessionApplication bound = live.application().orElseThrow();
        if (sessions.find(bound.signInSessionId()).filter(s -> s.isUsableAt(now)).isEmpty()) {
            return Introspection.inactive();
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("scope", String.join(" ", bound.scope()));
        members.put("client_id", application.clientId());
        members.put("token_type", REFRESH_TOKEN);
        members.put("exp", expiry(live).getEpochSecond());
        members.put("iat", live.lastUsedAt().getEpochSecond());
        members.put("sub", live.userId());
        members.put("iss", issuer.get());
        members.put("sid", bound.signInSessionId());
        return Introspection.active(members);
    }

    private static Instant expiry(Session session) {
        return session.idleExpiresAt().isBefore(session.absoluteExpiresAt()) ? session.idleExpiresAt()
                : session.absoluteExpiresAt();
    }

    private Introspection apiKey(String token, String organizationId) {
        Optional<ApiKey> key = apiKeys.active(token).filter(k -> k.organizationId().equals(organizationId));
        if (key.isEmpty()) {
            return Introspection.inactive();
        }
        ApiKey active = key.get();
        Map<String, Object> members = new LinkedHashMap<>();
        if (!active.permissions().isEmpty()) {
            members.put("scope", String.join(" ", active.permissions()));
        }
        members.put("client_id", active.id());
        members.put("token_type", API_KEY);
        active.expiresAt().ifPresent(expiry -> members.put("exp", expiry.getEpochSecond()));
        members.put("iat", active.createdAt().getEpochSecond());
        members.put("sub", active.id());
        members.put("iss", issuer.get());
        members.put("org", active.organizationId());
        return Introspection.active(members);
    }
}
