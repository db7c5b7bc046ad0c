package dev.latchkey.core.apikey;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.keys.AccessTokenMint;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.resource.RequestedScope;
import dev.latchkey.core.resource.ResourceAccess;
import dev.latchkey.core.resource.TokenAudiences;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Trades an API key for a short-lived access token (RFC 8693 token exchange; API.md "token"):
 * {@code sub} and {@code client_id} = the key id, {@code org} = its organization, {@code scope} = its
 * permissions (or the requested subset), {@code aud} = the issuer; no {@code sid}, so the token never passes for a
 * user's session. The lifetime is the access-token lifetime, cut to the key's own expiry. Verifiable through the
 * JWKS like every access token.
 *
 * <p>With an {@code audience} (or RFC 8707 {@code resource}) the token is for that resource instead
 * (docs/access-control.md "Grant model"): it must be a resource of the key's organization
 * ({@link TokenAudiences#forApiKey}, else {@code invalid_target}); {@code aud} = its audience, {@code org} = its
 * organization, {@code scope} = the key's permissions that the resource defines, narrowed by {@code scope}
 * (asking for more → {@code invalid_scope}).
 *
 * <p>The key is checked exactly as by {@link VerifyApiKey} (its rate limit and usage included), before the
 * audience is resolved, so an invalid key never learns whether an audience exists.
 */
public final class ExchangeApiKey {

    /** RFC 8693 {@code subject_token_type} of a Latchkey API key. */
    public static final String SUBJECT_TOKEN_TYPE = "urn:latchkey:params:oauth:token-type:api_key";
    private final VerifyApiKey verify;
    private final TokenAudiences audiences;
    private final AccessTokenMint mint;
    private final AuditLog audit;
    private final ApiKeyAudit events;
    private final Clock clock;

    /**
     * @param verify checks the key
     * @param audiences resolves a requested audience to a resource of the key's organization
     * @param mint signs the token ({@code iss}, and the default {@code aud}; its lifetime is the longest)
     * @param audit successful exchanges and refused known keys
     * @param ids event ids
     * @param clock times
     */
    public ExchangeApiKey(VerifyApiKey verify, TokenAudiences audiences, AccessTokenMint mint, AuditLog audit,
            IdGenerator ids, Clock clock) {
        this.verify = Objects.requireNonNull(verify, "verify");
        this.audiences = Objects.requireNonNull(audiences, "audiences");
        this.mint = Objects.requireNonNull(mint, "mint");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.events = new ApiKeyAudit(ids, clock);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Exchanges a key.
     *
     * @param subjectToken the API key
     * @param audience the resource the token is for
     * @param scope a subset of the key's permissions (or, with an audience, of the resource's scopes the key
     *     holds) to narrow the token to
     * @throws ExchangeException {@code invalid_target} (unknown or foreign audience), {@code invalid_scope} or
     *     {@code invalid_request} (key not valid)
     * @throws RateLimitedException when the key is over its own rate limit
     */
    public ExchangedToken exchange(String subjectToken, Optional<String> audience, Optional<List<String>> scope,
            RequestOrigin origin) {
        Verification verification = verify.verify(subjectToken, Optional.empty(), new VerifyOptions(1,
                Optional.empty(), 1, origin.sourceIp()));
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
        Optional<ResourceAccess> access;
        try {
            access = audience.map(value -> audiences.forApiKey(value, key.organizationId(),
                    new HashSet<>(key.permissions())));
        } catch (InvalidTargetException e) {
            throw ExchangeException.invalidTarget();
        }
        List<String> granted;
        if (access.isPresent()) {
            try {
                granted = RequestedScope.narrow(access.get(), scope);
            } catch (InvalidScopeException e) {
                throw ExchangeException.invalidScope();
            }
        } else {
            granted = scope.orElse(key.permissions());
            if (!key.permissions().containsAll(granted)) {
                throw ExchangeException.invalidScope();
            }
        }
        Instant now = clock.instant();
        Duration lifetime = mint.lifetime();
        Duration tokenLifetime = key.expiresAt().map(expiry -> Duration.between(now, expiry))
                .filter(untilExpiry -> untilExpiry.compareTo(lifetime) < 0)
                .map(untilExpiry -> untilExpiry.getSeconds() < 1 ? Duration.ofSeconds(1)
                        : Duration.ofSeconds(untilExpiry.getSeconds()))
                .orElse(lifetime);
        AccessTokenIssuer current = mint.signer();
        String iss = mint.issuer();
        AccessTokenClaims.Builder claims = current.newClaims(tokenLifetime)
                .issuer(iss)
                .subject(key.id())
                .audience(access.map(a -> a.resource().audience()).orElse(iss))
                .clientId(key.id())
                .org(access.map(a -> a.resource().organizationId()).orElse(key.organizationId()));
        if (!granted.isEmpty()) {
            claims.scope(granted);
        }
        String token = current.issue(claims.build());
        audit.record(events.event(ApiKeyAudit.EXCHANGED, Actor.apiKey(key.id()), key.organizationId(), key.id(),
                Outcome.SUCCESS, origin, access.map(a -> Map.of("audience_given", "true",
                        "resource_id", a.resource().resourceId())).orElse(Map.of("audience_given", "false"))));
        return new ExchangedToken(token, tokenLifetime.toSeconds(), granted);
    }
}
