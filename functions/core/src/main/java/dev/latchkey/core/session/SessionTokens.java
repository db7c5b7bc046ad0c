package dev.latchkey.core.session;

import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.resource.ResourceAccess;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.core.token.AccessTokenType;
import dev.latchkey.core.token.OpenedSigningKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Mints a session's access tokens and builds token responses. Claims (ARCHITECTURE.md §5,
 * RFC 9068 §2.2): {@code iss} = the issuer, {@code sub} = the user, {@code aud} = [the issuer],
 * {@code client_id} = the first-party client id ({@code LATCHKEY_FIRST_PARTY_CLIENT_ID}, default
 * {@value #DEFAULT_FIRST_PARTY_CLIENT_ID}: the client a user signs in through is Latchkey's own JSON login,
 * and RFC 9068 §2.2 requires the claim), no {@code scope}, {@code org} = the session's organization, {@code sid},
 * {@code amr}, {@code auth_time}, {@code token_use} = {@value AccessTokenClaims#MANAGEMENT} (the management-token
 * marker, {@link AccessTokenClaims#isManagement()}), lifetime {@link SessionPolicy#accessTokenLifetime()}. An access
 * token for a resource (a refresh with a {@link RefreshTarget}) differs in {@code aud} = the resource's audience,
 * {@code org} = the resource's organization, {@code scope} = the scopes granted (omitted when none) and no
 * {@code token_use}: it is never a management token, whatever the resource's audience. The signing key is taken from
 * {@link CurrentKeys} on every call (it caches, and follows rotations).
 */
public final class SessionTokens {

    /** The {@code client_id} of user tokens unless configured otherwise. */
    public static final String DEFAULT_FIRST_PARTY_CLIENT_ID = "latchkey";

    /**
     * A first-party client id: 1–64 URL-unreserved characters without {@code _}, so it can never equal a
     * generated id ({@code cli_…} clients, {@code key_…} API keys), which also appear as {@code client_id}.
     */
    private static final Pattern FIRST_PARTY_CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.~-]{0,63}");

    private final CurrentKeys keys;
    private final Supplier<String> issuer;
    private final SessionPolicy policy;
    private final Clock clock;
    private final SecureRandom random;
    private final AccessTokenType type;
    private final String firstPartyClientId;
    private AccessTokenIssuer signer;

    /**
     * Tokens of the default type ({@code JWT}) with the default first-party client id.
     *
     * @see #SessionTokens(CurrentKeys, Supplier, SessionPolicy, Clock, SecureRandom, AccessTokenType, String)
     */
    public SessionTokens(CurrentKeys keys, Supplier<String> issuer, SessionPolicy policy, Clock clock,
            SecureRandom random) {
        this(keys, issuer, policy, clock, random, AccessTokenType.JWT, DEFAULT_FIRST_PARTY_CLIENT_ID);
    }

    /**
     * @param keys the container's signing keys
     * @param issuer the issuer URL; a supplier so that a function without {@code LATCHKEY_ISSUER}
     *     still starts and fails only when it would issue a token
     * @param policy the access-token lifetime
     * @param clock {@code iat}
     * @param random {@code jti}
     * @param type the tokens' {@code typ}
     * @param firstPartyClientId the tokens' {@code client_id}
     * @throws IllegalArgumentException when {@code firstPartyClientId} is not a valid first-party client id
     */
    public SessionTokens(CurrentKeys keys, Supplier<String> issuer, SessionPolicy policy, Clock clock,
            SecureRandom random, AccessTokenType type, String firstPartyClientId) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.type = Objects.requireNonNull(type, "type");
        firstPartyClientIdProblem(firstPartyClientId).ifPresent(problem -> {
            throw new IllegalArgumentException("firstPartyClientId " + problem);
        });
        this.firstPartyClientId = firstPartyClientId;
    }

    /**
     * What is wrong with a first-party client id, if anything (for configuration messages).
     *
     * @return empty when {@code value} is 1–64 letters, digits, {@code .}, {@code ~} or {@code -}, starting
     *     with a letter or digit
     */
    public static Optional<String> firstPartyClientIdProblem(String value) {
        if (value == null || !FIRST_PARTY_CLIENT_ID.matcher(value).matches()) {
            return Optional.of("must be 1-64 letters, digits, '.', '~' or '-', starting with a letter or digit"
                    + " (no '_', so it never equals a client or API-key id)");
        }
        return Optional.empty();
    }

    /**
     * A signed access token for the session.
     *
     * @throws dev.latchkey.core.keys.NoActiveKeyException when no signing key is active yet
     */
    public String accessToken(Session session) {
        return accessToken(session, Optional.empty());
    }

    /**
     * A signed access token for the session: the session's own, or for a resource with the scopes already
     * decided (granted and narrowed).
     *
     * @param resource the resource and the token's scopes, or empty for the session's own token
     * @throws dev.latchkey.core.keys.NoActiveKeyException when no signing key is active yet
     */
    public String accessToken(Session session, Optional<ResourceAccess> resource) {
        AccessTokenIssuer current = signer();
        String iss = issuer.get();
        AccessTokenClaims.Builder claims = current.newClaims(policy.accessTokenLifetime())
                .issuer(iss)
                .subject(session.userId())
                .audience(resource.map(r -> r.resource().audience()).orElse(iss))
                .clientId(firstPartyClientId)
                .org(resource.map(r -> r.resource().organizationId()).orElse(session.organizationId()))
                .sessionId(session.sessionId())
                .amr(session.amr())
                .authTime(session.authTime());
        resource.ifPresent(r -> claims.scope(r.scopes()));
        if (resource.isEmpty()) {
            claims.tokenUse(AccessTokenClaims.MANAGEMENT);
        }
        return current.issue(claims.build());
    }

    /** The token response for a session, its current refresh token, and its user. */
    public TokenResponse response(Session session, RefreshToken refreshToken, UserProfile user) {
        return response(accessToken(session), session, refreshToken, user, Optional.empty());
    }

    /**
     * The token response around an access token already minted.
     *
     * @param resource what the access token is for, when not the session's own: gives the {@code scope}
     */
    TokenResponse response(String accessToken, Session session, RefreshToken refreshToken, UserProfile user,
            Optional<ResourceAccess> resource) {
        Optional<String> scope = resource.map(ResourceAccess::scopes).filter(s -> !s.isEmpty())
                .map(s -> String.join(" ", s));
        return new TokenResponse(accessToken, TokenResponse.BEARER, policy.accessTokenLifetime().toSeconds(),
                refreshToken.value(), session.sessionId(), user, scope);
    }

    private synchronized AccessTokenIssuer signer() {
        OpenedSigningKey key = keys.signingKey();
        if (signer == null || !signer.kid().equals(key.kid())) {
            signer = new AccessTokenIssuer(key, type, clock, random);
        }
        return signer;
    }
}
