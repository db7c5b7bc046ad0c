package dev.latchkey.core.application;

import java.util.Locale;
import java.util.Optional;

/**
 * How an application authenticates at the token endpoint ({@code token_endpoint_auth_method}, RFC 7591 §2, OIDC
 * Core §9). An application registers exactly one and the token endpoint accepts only that one (RFC 9700 §2.5: a
 * client does not get to pick a weaker method per request).
 */
public enum TokenEndpointAuthMethod {
    /** The secret in an {@code Authorization: Basic} header (RFC 6749 §2.3.1). */
    CLIENT_SECRET_BASIC,
    /** The secret in the form body (RFC 6749 §2.3.1). */
    CLIENT_SECRET_POST,
    /** A JWT signed with one of the application's registered keys (RFC 7523 §2.2). */
    PRIVATE_KEY_JWT,
    /** No client authentication: a public client, bound by PKCE (RFC 7636). */
    NONE;

    /** The registered name ({@code client_secret_basic} …). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this method presents a client secret. */
    public boolean usesSecret() {
        return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST;
    }

    /** The method of a registered name, or empty. */
    public static Optional<TokenEndpointAuthMethod> fromWireName(String text) {
        for (TokenEndpointAuthMethod method : values()) {
            if (method.wireName().equals(text)) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
