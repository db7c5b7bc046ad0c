/**
 * OAuth 2.0 in core: the token, revocation and introspection endpoints' protocol rules, independent of HTTP
 * framing. One error type ({@link dev.latchkey.core.oauth.OAuthError}, RFC 6749 §5.2), one form parser
 * ({@link dev.latchkey.core.oauth.OAuthForm}), one client-credentials parser (RFC 6749 §2.3), the grant handlers
 * ({@link dev.latchkey.core.oauth.GrantHandler}: parse → one use case → token response) behind one dispatcher keyed
 * by {@code grant_type} ({@link dev.latchkey.core.oauth.TokenGrants}), and the rate-limit policy of the endpoints.
 * A function module only turns an {@code HttpRequest} into an {@link dev.latchkey.core.oauth.OAuthRequest} and an
 * answer or an {@code OAuthError} into an HTTP response.
 */
package dev.latchkey.core.oauth;
