/**
 * Token revocation (RFC 7009): one use case, {@link dev.latchkey.core.revocation.RevokeOAuthToken}, that tells
 * refresh tokens, access tokens and API keys apart by their shape and revokes each the way its kind is revoked.
 */
package dev.latchkey.core.revocation;
