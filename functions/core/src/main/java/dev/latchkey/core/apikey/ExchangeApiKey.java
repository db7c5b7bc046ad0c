package dev.latchkey.core.apikey;

import dev.latchkey.core.account.RequestOrigin;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.core.token.OpenedSigningKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Trades an API key for a short-lived access token (RFC 8693 token exchange; API.md "token"):
 * {@code sub} and {@code client_id} = the key id, {@code org} = its organization, {@code scope} = its
 * permissions (or the requested subset), {@code aud} = the requested {@code audience} or else the
 * issuer; no {@code sid}, so the token never passes for a user's session. The lifetime is the access-token
 * lifetime, cut to the key's own expiry. Verifiable through the JWKS like every access token.
 *
 * <p>The key is checked exactly as by {@link VerifyApiKey} (its rate limit and usage included).
 * Until organizations register their resources (issue #6) any absolute http(s) audience is accepted;
 * the {@code org} claim tells a resource server whose key it was.
 */
public final class ExchangeApiKey {

    /** RFC 8693 {@code subject_token_type} of a Latchkey API key. */
    public static final String SUBJECT_TOKEN_TYPE = "urn:latchkey:params:oauth:token-type:api_key";
    private static final int MAX_AUDIENCE = 512;

    private final VerifyApiKey verify;
    private final CurrentKeys signingKeys;
    private final Supplier<String> issuer;
    private final Duration lifetime;
    private final AuditLog audit;
    private final ApiKeyAudit events;
    private final Clock clock;
    private final SecureRandom random;
    private AccessTokenIssuer signer;

    /**
     * @param verify checks the key
     * @param signingKeys the container's signing keys
     * @param issuer {@code iss}, and the default {@code aud}
     * @param lifetime the longest token lifetime (the access-token lifetime)
     * @param audit successful exchanges and refused known keys
     * @param ids event ids
     * @param clock times
     * @param random {@code jti}
     */
    public ExchangeApiKey(VerifyApiKey verify, CurrentKeys signingKeys, Supplier<String> issuer, Duration lifetime,
            AuditLog audit, IdGenerator ids, Clock clock, SecureRandom random) {
        this.verify = Objects.requireNonNull(verify, "verify");
        this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.events = new ApiKeyAudit(ids, clock);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Exchanges a key.
     *
     * @param subjectToken the API key
     * @param audience the resource the token is for
     * @param scope a subset of the key's permissions to narrow the token to
     * @throws ExchangeException {@code invalid_target}, {@code invalid_scope} or {@code invalid_request} (key
     *     not valid)
     * @throws RateLimitedException when the key is over its own rate limit
     */
    public ExchangedToken exchange(String subjectToken, Optional<String> audience, Optional<List<String>> scope,
            RequestOrigin origin) {
        Optional<String> checkedAudience = audience.map(ExchangeApiKey::checkAudience);
        Verification verification = verify.verify(subjectToken, Optional.empty());
        if (verification.failure().filter(f -> f == VerificationFailure.RATE_LIMITED).isPresent()) {
            throw new RateLimitedException(verification.rateLimit().orElseThrow());
        }
        if (!verification.valid()) {
            verification.key().ifPresent(key -> audit.record(events.event(ApiKeyAudit.EXCHANGE_FAILED,
                    Actor.apiKey(key.id()), key.organizationId(), key.id(), Outcome.FAILURE, origin,
                    Map.of("reason", verification.failure().orElseThrow().name()))));
            throw ExchangeException.invalidSubjectToken();
        }
        ApiKey key = verification.key().orElseThrow();
        List<String> granted = scope.orElse(key.permissions());
        if (!key.permissions().containsAll(granted)) {
            throw ExchangeException.invalidScope();
        }
        Instant now = clock.instant();
        Duration tokenLifetime = key.expiresAt().map(expiry -> Duration.between(now, expiry))
                .filter(untilExpiry -> untilExpiry.compareTo(lifetime) < 0)
                .map(untilExpiry -> untilExpiry.getSeconds() < 1 ? Duration.ofSeconds(1)
                        : Duration.ofSeconds(untilExpiry.getSeconds()))
                .orElse(lifetime);
        AccessTokenIssuer current = signer();
        String iss = issuer.get();
        AccessTokenClaims.Builder claims = current.newClaims(tokenLifetime)
                .issuer(iss)
                .subject(key.id())
                .audience(checkedAudience.orElse(iss))
                .clientId(key.id())
                .org(key.organizationId());
        if (!granted.isEmpty()) {
            claims.scope(granted);
        }
        String token = current.issue(claims.build());
        audit.record(events.event(ApiKeyAudit.EXCHANGED, Actor.apiKey(key.id()), key.organizationId(), key.id(),
                Outcome.SUCCESS, origin, Map.of("audience_given", Boolean.toString(checkedAudience.isPresent()))));
        return new ExchangedToken(token, tokenLifetime.toSeconds(), granted);
    }

    private static String checkAudience(String audience) {
        if (audience.length() > MAX_AUDIENCE) {
            throw ExchangeException.invalidTarget();
        }
        try {
            URI uri = new URI(audience);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                    || uri.getFragment() != null || uri.getRawUserInfo() != null) {
                throw ExchangeException.invalidTarget();
            }
            return audience;
        } catch (URISyntaxException e) {
            throw ExchangeException.invalidTarget();
        }
    }

    private synchronized AccessTokenIssuer signer() {
        OpenedSigningKey key = signingKeys.signingKey();
        if (signer == null || !signer.kid().equals(key.kid())) {
            signer = new AccessTokenIssuer(key, clock, random);
        }
        return signer;
    }
}
