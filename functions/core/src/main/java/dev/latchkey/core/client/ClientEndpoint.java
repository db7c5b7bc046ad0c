package dev.latchkey.core.client;

import java.util.Optional;

/**
 * The endpoints a client authenticates at (RFC 6749 §2.3, RFC 7662 §2.1, RFC 7009 §2.1), each with its path under
 * the issuer. A client assertion's {@code aud} may name the endpoint it is sent to (RFC 7523 §3 item 3: "the token
 * endpoint URL … or … the authorization server"; RFC 7521 §5.1 lets it identify the endpoint being called), so the
 * endpoint is part of how an assertion is checked.
 */
public enum ClientEndpoint {

    /** {@code POST /oauth/token} (RFC 6749 §3.2). */
    TOKEN("/oauth/token"),

    /** {@code POST /oauth/introspect} (RFC 7662 §2). */
    INTROSPECTION("/oauth/introspect"),

    /** {@code POST /oauth/revoke} (RFC 7009 §2). */
    REVOCATION("/oauth/revoke");

    private final String path;

    ClientEndpoint(String path) {
        this.path = path;
    }

    /** The path under the issuer, e.g. {@code /oauth/token}. */
    public String path() {
        return path;
    }

    /** The endpoint's URL: the issuer (no trailing slash) and the path. */
    public String url(String issuer) {
        return issuer + path;
    }

    /** The endpoint served at a request path, if it is one of these. */
    public static Optional<ClientEndpoint> ofPath(String path) {
        for (ClientEndpoint endpoint : values()) {
            if (endpoint.path.equals(path)) {
                return Optional.of(endpoint);
            }
        }
        return Optional.empty();
    }
}
