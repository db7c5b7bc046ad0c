package dev.latchkey.core.oauth;

import dev.latchkey.core.access.MfaRequiredException;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.resource.InvalidTargetException;
import dev.latchkey.core.session.RefreshSession;
import dev.latchkey.core.session.RefreshTarget;
import dev.latchkey.core.session.SessionException;
import dev.latchkey.core.session.TokenResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code grant_type=refresh_token} (RFC 6749 §6): {@code refresh_token} (required) → {@link RefreshSession} → the
 * session's token response with the rotated refresh token. With {@code resource} (RFC 8707) or {@code audience}
 * (both only when equal) the access token is for that resource with the user's granted scopes, narrowed by
 * {@code scope}, and {@code scope} is in the response; {@code invalid_target} / {@code invalid_scope} leave the
 * refresh token unspent. A {@code scope} without a resource → {@code invalid_scope} (nothing to narrow). Every
 * refusal of the refresh token itself is the same {@code invalid_grant}.
 */
public final class RefreshTokenGrant implements GrantHandler {

    /** The grant type. */
    public static final String GRANT_TYPE = "refresh_token";

    private final RefreshSession refresh;

    /** @param refresh rotates the refresh token and issues the access token */
    public RefreshTokenGrant(RefreshSession refresh) {
        this.refresh = Objects.requireNonNull(refresh, "refresh");
    }

    @Override
    public String grantType() {
        return GRANT_TYPE;
    }

    @Override
    public TokenResponse handle(OAuthRequest request) {
        String refreshToken = request.form().require("refresh_token");
        Optional<String> resource = request.resource();
        if (resource.isEmpty() && request.form().get("scope").isPresent()) {
            throw OAuthError.scopeUnchangeable();
        }
        Optional<RefreshTarget> target = resource.map(audience -> new RefreshTarget(audience, request.scope()));
        try {
            return refresh.refresh(refreshToken, target, request.sourceIp(), request.requestId());
        } catch (SessionException e) {
            if (e.isInvalidGrant()) {
                throw OAuthError.invalidGrant();
            }
            throw e;
        } catch (InvalidTargetException e) {
            throw OAuthError.invalidTarget();
        } catch (MfaRequiredException e) {
            throw OAuthError.mfaRequired(e.enrolled());
        } catch (InvalidScopeException e) {
            throw OAuthError.scopeNotGranted();
        }
    }
}
