package dev.latchkey.core.client;

import dev.latchkey.core.account.RequestOrigin;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.resource.RequestedScope;
import dev.latchkey.core.resource.ResourceAccess;
import dev.latchkey.core.resource.TokenAudiences;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.core.token.AccessTokenType;
import dev.latchkey.core.token.OpenedSigningKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Issues a service client's own access token, for {@code client_credentials} (RFC 6749 §4.4) and the jwt-bearer
 * grant (RFC 7523 §2.1) alike, once the client is authenticated (docs/access-control.md "Grant model"):
 * <ul>
 *   <li>the resource is the {@code resource} (RFC 8707) or {@code audience} parameter; without one, the client's
 *       single allowed resource (none or several → {@code invalid_target});</li>
 *   <li>{@link TokenAudiences#forClient} decides: the resource must be the client's organization's and among its
 *       allowed resources, the scopes are those granted to the client ({@code invalid_target} otherwise);</li>
 *   <li>a {@code scope} parameter narrows them ({@code invalid_scope} when it asks for more);</li>
 *   <li>claims: {@code sub} = {@code client_id} = the client id, {@code org} = the resource's organization (the
 *       client's own), {@code aud} = the resource's audience, {@code scope}; no {@code sid}; the access-token
 *       lifetime. No refresh token (RFC 6749 §4.4.3).</li>
 * </ul>
 * Audited {@code token.client_credentials} or {@code token.jwt_bearer} in the client's organization, actor and
 * target the client, with the resource id and the scopes.
 */
public final class IssueClientToken {

    private final TokenAudiences audiences;
    private final AllowedResources allowed;
    private final CurrentKeys signingKeys;
    private final Supplier<String> issuer;
    private final Duration lifetime;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final SecureRandom random;
    private final AccessTokenType type;
    private AccessTokenIssuer signer;

    /**
     * A use case issuing tokens of the default type ({@code JWT}).
     *
     * @see AccessTokenType
     */
    public IssueClientToken(TokenAudiences audiences, AllowedResources allowed, CurrentKeys signingKeys,
            Supplier<String> issuer, Duration lifetime, AuditLog audit, IdGenerator ids, Clock clock,
            SecureRandom random) {
        this(audiences, allowed, signingKeys, issuer, lifetime, audit, ids, clock, random, AccessTokenType.JWT);
    }

    /**
     * @param audiences the grant model
     * @param allowed the audience of a client's single allowed resource
     * @param signingKeys the container's signing keys
     * @param issuer {@code iss}
     * @param lifetime the access-token lifetime
     * @param audit where issued tokens are recorded
     * @param ids event ids
     * @param clock times
     * @param random {@code jti}
     * @param type the tokens' {@code typ}
     */
    public IssueClientToken(TokenAudiences audiences, AllowedResources allowed, CurrentKeys signingKeys,
            Supplier<String> issuer, Duration lifetime, AuditLog audit, IdGenerator ids, Clock clock,
            SecureRandom random, AccessTokenType type) {
        this.audiences = Objects.requireNonNull(audiences, "audiences");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.signingKeys = Objects.requireNonNull(signingKeys, "signingKeys");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Issues the token.
     *
     * @param client the authenticated client
     * @param grant how it authenticated, for the audit event
     * @param resource the requested audience, if any
     * @param scope the requested scopes, if any (already parsed, {@link RequestedScope#parse})
     * @param origin for the audit event
     * @throws InvalidTargetException when the resource is unknown, foreign or not allowed, or none was named and
     *     the client has not exactly one allowed resource
     * @throws dev.latchkey.core.resource.InvalidScopeException when the scope asks for more than is granted
     */
    public ClientToken issue(ServiceClient client, ClientGrant grant, Optional<String> resource,
            Optional<List<String>> scope, RequestOrigin origin) {
        String audience = resource.orElseGet(() -> defaultAudience(client));
        ResourceAccess access = audiences.forClient(audience, client);
        List<String> granted = RequestedScope.narrow(access, scope);
        AccessTokenIssuer current = signer();
        AccessTokenClaims.Builder claims = current.newClaims(lifetime)
                .issuer(issuer.get())
                .subject(client.clientId())
                .audience(access.resource().audience())
                .clientId(client.clientId())
                .org(access.resource().organizationId())
                .scope(granted);
        String token = current.issue(claims.build());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("resource_id", access.resource().resourceId());
        details.put("scope", String.join(" ", granted));
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .organizationId(client.organizationId())
                .actor(Actor.client(client.clientId()))
                .action(grant.action())
                .target("client", client.clientId())
                .requestId(origin.requestId())
                .outcome(Outcome.SUCCESS)
                .details(details);
        origin.sourceIp().ifPresent(event::sourceIp);
        audit.record(event.build());
        return new ClientToken(token, lifetime.toSeconds(), access.resource().audience(), granted);
    }

    private String defaultAudience(ServiceClient client) {
        if (client.allowedResources().size() != 1) {
            throw new InvalidTargetException();
        }
        return allowed.audienceOf(client.organizationId(), client.allowedResources().get(0))
                .orElseThrow(InvalidTargetException::new);
    }

    private synchronized AccessTokenIssuer signer() {
        OpenedSigningKey key = signingKeys.signingKey();
        if (signer == null || !signer.kid().equals(key.kid())) {
            signer = new AccessTokenIssuer(key, type, clock, random);
        }
        return signer;
    }
}
