/**
 * The OpenID Provider's browser side (issue 15, docs/oidc.md): the authorization request and its validation
 * (OpenID Connect Core §3.1.2.1–§3.1.2.2, OAuth 2.1, RFC 9207 {@code iss}), the decision what to do with it (issue a
 * code at once, sign in, consent, sign up, or an error), the single sign-on browser session behind the
 * {@code __Host-latchkey_session} cookie (an opaque value stored hashed, tied to a Latchkey session so revoking that
 * session ends it), CSRF tokens bound to it, remembered consents, and RP-initiated logout (OpenID Connect RP-Initiated
 * Logout 1.0). Depends on {@code authorize} (codes, PKCE, redirect URIs), {@code session} and {@code login} (the bearer
 * check of a fresh sign-in); nothing depends on it but the signin function.
 */
package dev.latchkey.core.sso;
