package dev.latchkey.core.client;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.keys.AccessTokenMint;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.resource.RequestedScope;
import dev.latchkey.core.resource.ResourceAccess;
import dev.latchkey.core.resource.TokenAudiences;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenIssuer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
    private final AccessTokenMint mint;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * @param audiences the grant model
     * @param allowed the audience of a client's single allowed resource
     * @param mint signs the token ({@code iss}, the access-token lifetime)
     * @param audit where issued tokens are recorded
     * @param ids event ids
     * @param clock times
     */
    public IssueClientToken(TokenAudiences audiences, AllowedResources allowed, AccessTokenMint mint, AuditLog audit,
            IdGenerator ids, Clock clock) {
        this.audiences = Objects.requireNonNull(audiences, "audiences");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.mint = Objects.requireNonNull(mint, "mint");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        ResourceAccess access = audiences.forClient(audience, client.organizationId(), client.clientId(),
                client.allowedResources());
        List<String> granted = RequestedScope.narrow(access, scope);
        AccessTokenIssuer current = mint.signer();
        AccessTokenClaims.Builder claims = current.newClaims(mint.lifetime())
                .issuer(mint.issuer())
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
        return new ClientToken(token, mint.lifetime().toSeconds(), access.resource().audience(), granted);
    }

    private String defaultAudience(ServiceClient client) {
        if (client.allowedResources().size() != 1) {
            throw new InvalidTargetException();
        }
        return allowed.audienceOf(client.organizationId(), client.allowedResources().get(0))
                .orElseThrow(InvalidTargetException::new);
    }
}
