package dev.latchkey.core.sso;

import java.util.Optional;

/**
 * Builds the redirect back to the client in the {@code query} response mode (RFC 6749 §4.1.2, §4.1.2.1), always with
 * {@code iss} (RFC 9207 §2: the client can then refuse a response from another issuer, the mix-up defence of
 * RFC 9700 §4.4).
 */
public final class AuthorizationResponses {

    private AuthorizationResponses() {
    }

    /** The successful response: {@code code}, {@code state} when sent, {@code iss}. */
    public static String success(String redirectUri, String code, Optional<String> state, String issuer) {
        StringBuilder query = new StringBuilder("code=").append(AuthorizationRequest.encode(code));
        state.ifPresent(s -> query.append("&state=").append(AuthorizationRequest.encode(s)));
        query.append("&iss=").append(AuthorizationRequest.encode(issuer));
        return append(redirectUri, query.toString());
    }

    /** The error response: {@code error}, {@code error_description}, {@code state} when sent, {@code iss}. */
    public static String error(String redirectUri, AuthorizationError error, Optional<String> state, String issuer) {
        StringBuilder query = new StringBuilder("error=").append(AuthorizationRequest.encode(error.error()))
                .append("&error_description=").append(AuthorizationRequest.encode(error.description()));
        state.ifPresent(s -> query.append("&state=").append(AuthorizationRequest.encode(s)));
        query.append("&iss=").append(AuthorizationRequest.encode(issuer));
        return append(redirectUri, query.toString());
    }

    /** RFC 6749 §3.1.2: the redirect URI's own query is kept, the response parameters are added to it. */
    static String append(String uri, String query) {
        return uri + (uri.contains("?") ? "&" : "?") + query;
    }
}
