package dev.latchkey.core.oauth;

/**
 * One grant type of the token endpoint (RFC 6749 §4.5): parse the form parameters → one use case → the RFC 6749
 * §5.1 response body. Registered with {@link TokenGrants} under its {@link #grantType()}.
 */
public interface GrantHandler {

    /** The {@code grant_type} value this handler serves (an absolute URI for extension grants, RFC 6749 §4.5). */
    String grantType();

    /**
     * Answers one token request.
     *
     * @param request the request (its {@code grant_type} is {@link #grantType()})
     * @return the successful response body (RFC 6749 §5.1), serialized as JSON in {@code snake_case}
     * @throws OAuthError for every refusal
     */
    Object handle(OAuthRequest request);
}
