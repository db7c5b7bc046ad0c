package dev.latchkey.core.resource;

import java.util.List;
import java.util.Set;

/**
 * Resolves the {@code audience} (or RFC 8707 {@code resource}) of a token request to a resource and the scopes
 * granted on it to the caller (docs/access-control.md "Grant model"). Every answer is read strongly consistently,
 * so a revoked grant or a removed member counts on the next token request.
 */
public interface TokenAudiences {

    /**
     * A user's access: the user must be a member of the resource's organization, and — when that organization
     * requires a second factor — have signed in with one; the scopes are those granted to the user directly and to
     * any team the user belongs to.
     *
     * @param amr the {@code amr} of the user's sign-in (the session's), for the organization's {@code require_mfa}
     * @throws InvalidTargetException when there is no such resource or the user is no member of its organization
     * @throws dev.latchkey.core.access.MfaRequiredException when the organization requires a second factor and the
     *     sign-in had none
     */
    ResourceAccess forUser(String audience, String userId, List<String> amr);

    /**
     * A service client's access: the resource must belong to the client's organization and be among its allowed
     * resources; the scopes are those granted to the client.
     *
     * @param organizationId the client's organization
     * @param clientId the client ({@code cli_…}), the grantee the grants name
     * @param allowedResources the resource ids the client may ask tokens for
     * @throws InvalidTargetException otherwise
     */
    ResourceAccess forClient(String audience, String organizationId, String clientId, List<String> allowedResources);

    /**
     * An API key's access: the resource must belong to the key's organization; the scopes are the key's
     * permissions that the resource defines.
     *
     * @throws InvalidTargetException otherwise
     */
    ResourceAccess forApiKey(String audience, String organizationId, Set<String> permissions);
}
