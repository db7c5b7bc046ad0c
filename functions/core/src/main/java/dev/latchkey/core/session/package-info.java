/**
 * Sessions and refresh tokens (ARCHITECTURE.md §5, SECURITY.md "Refresh tokens"): a session is one
 * refresh-token family. {@link dev.latchkey.core.session.StartSession} opens it after a login,
 * {@link dev.latchkey.core.session.RefreshSession} rotates its refresh token on every use (RFC 6749 §6,
 * RFC 9700 §4.14.2) through {@link dev.latchkey.core.session.RefreshFamilies}, which also runs applications' refresh
 * families ({@code offline_access}: a session bound to an application and a sign-in session,
 * {@link dev.latchkey.core.session.SessionApplication}), {@link dev.latchkey.core.session.RevokeToken} (RFC 7009) and
 * the {@code End…} use
 * cases close it. Ports: {@link dev.latchkey.core.session.SessionRepository},
 * {@link dev.latchkey.core.vault.Peppers}, {@link dev.latchkey.core.session.UserProfiles}.
 */
package dev.latchkey.core.session;
