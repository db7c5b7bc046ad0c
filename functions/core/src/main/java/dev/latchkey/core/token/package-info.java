/**
 * Access-token cryptography (issue #3): P-256 signing keys sealed by the key vault
 * ({@link dev.latchkey.core.token.SigningKeys}, {@link dev.latchkey.core.token.SigningKey}), their
 * public JWKs and RFC 7638 thumbprints ({@link dev.latchkey.core.token.EcPublicJwk},
 * {@link dev.latchkey.core.token.JwkThumbprint}), and ES256 access tokens ({@code typ JWT} or {@code at+jwt})
 * ({@link dev.latchkey.core.token.AccessTokenIssuer}, {@link dev.latchkey.core.token.AccessTokenVerifier}).
 *
 * <p>No storage and no HTTP here: the signing-key repository, JWKS and rotation build on these types.
 */
package dev.latchkey.core.token;
