package dev.latchkey.core.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The token endpoint's dispatcher (RFC 6749 §3.2): {@code grant_type} (required; {@code invalid_request} when
 * missing) picks one {@link GrantHandler}; a grant type without a handler → {@code unsupported_grant_type},
 * {@code password} included (SECURITY.md [10.4.4]: never supported). Adding a grant type
 * ({@code authorization_code} next) is one more handler in the list.
 */
public final class TokenGrants {

    /** RFC 6749 §4.3's grant type, never served. */
    public static final String PASSWORD = "password";

    private final Map<String, GrantHandler> handlers;

    /**
     * @param handlers one per grant type
     * @throws IllegalArgumentException when two handle the same grant type, or one handles {@value #PASSWORD}
     */
    public TokenGrants(List<GrantHandler> handlers) {
        Map<String, GrantHandler> byType = new LinkedHashMap<>();
        for (GrantHandler handler : handlers) {
            String type = Objects.requireNonNull(handler.grantType(), "grantType");
            if (type.equals(PASSWORD) || byType.putIfAbsent(type, handler) != null) {
                throw new IllegalArgumentException("grant type not allowed or repeated: " + type);
            }
        }
        this.handlers = Map.copyOf(byType);
    }

    /**
     * Answers a token request.
     *
     * @return the response body of the grant's handler
     * @throws OAuthError for every refusal
     */
    public Object handle(OAuthRequest request) {
        String grantType = request.form().require("grant_type");
        GrantHandler handler = handlers.get(grantType);
        if (handler == null) {
            throw OAuthError.unsupportedGrantType();
        }
        return handler.handle(request);
    }

    /** Whether a grant type is served. */
    public boolean supports(String grantType) {
        return handlers.containsKey(grantType);
    }
}
