/**
 * The OpenID Provider's authorization step (issue 15, docs/oidc.md): redirect-URI matching for sign-in applications
 * (exact, with RFC 8252 §7.3 loopback ports for native apps), PKCE {@code S256} (RFC 7636, required for every client,
 * OAuth 2.1), and authorization codes (single-use, at most 60 seconds, stored hashed, bound to client, redirect URI and
 * PKCE challenge; RFC 9700 §2.1.1, §4.5).
 */
package dev.latchkey.core.authorize;
