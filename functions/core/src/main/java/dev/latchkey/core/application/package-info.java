/**
 * Applications: the OAuth clients that sign people in through Latchkey (OpenID Connect relying parties), registered
 * per organization beside its service clients ({@link dev.latchkey.core.client}). An application has redirect URIs,
 * a type (public or confidential), a token endpoint authentication method, allowed scopes, a first-party flag and the
 * algorithm of its ID tokens; its secrets and keys are the same credential records as a service client's. Its tokens:
 * {@link dev.latchkey.core.application.IssueSignInTokens} (a redeemed code) and
 * {@link dev.latchkey.core.application.RefreshSignInTokens} (a refresh, {@code offline_access}).
 */
package dev.latchkey.core.application;
