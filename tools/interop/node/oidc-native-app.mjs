// "Sign in with Latchkey" in a native app (RFC 8252) with openid-client, unmodified: a public client (no secret,
// PKCE S256) that listens on a loopback port for the redirect (RFC 8252 §7.3: registered as
// http://127.0.0.1/callback, the port chosen by the operating system at run time). OidcNativeAppBrowserTest in
// functions/local runs it against the local server and drives the browser; a person can run it the same way:
//
//   LATCHKEY_ISSUER=http://localhost:3000 CLIENT_ID=app_… node oidc-native-app.mjs
//   → open the printed http://127.0.0.1:<port>/ (a real native app opens the system browser itself)
//
// PORT fixes the port (default: any free one). The redirect URI and the post-logout redirect URI may use any port:
// Latchkey matches a loopback one without its port (RFC 8252 §7.3), so the test registers
// http://127.0.0.1/callback and http://127.0.0.1/signed-out.
//
// Each step is one openid-client call: discovery (OpenID Connect Discovery), the authorization URL with PKCE, state
// and nonce (scope openid profile email offline_access), the code exchange with the ID token validated (signature
// from the JWKS, iss, aud, exp, iat, nonce, azp), userinfo with the subject checked, the refresh token grant
// (OpenID Connect Core §12: openid-client validates the new ID token the same way; the app checks that `sub` did
// not change and that the refresh token rotated), and the RP-initiated logout URL. GET /refresh refreshes once more
// with the latest refresh token (after logout Latchkey must refuse it). The app writes one JSON line per event
// to stdout ({"event":"listening"|"signed_in"|"refreshed"|"error"|"signed_out", …}); tokens never go there, only
// claims.
// Plain http on localhost needs allowInsecureRequests; nothing else is configured.
//
// The same app as a confidential web app: CLIENT_PRIVATE_JWK (a private EC P-256 or Ed25519 JWK with kid and alg,
// its public half registered through POST /v1/orgs/{orgId}/applications/{clientId}/keys) makes it authenticate at
// the token endpoint with private_key_jwt (openid-client's PrivateKeyJwt: a signed assertion per request, RFC 7523
// §2.2) instead of none; everything else is unchanged (OidcPrivateKeyJwtLocalServerTest). GET /revoke then shows the
// confidential application's own refresh token at the introspection (RFC 7662) and revocation (RFC 7009) endpoints,
// with openid-client's tokenIntrospection and tokenRevocation (the same client authentication): introspected active,
// revoked, introspected inactive, and a refresh with it refused ({"event":"revoked", …}: claims, never the token).
import { createServer } from 'node:http';
import * as jose from 'jose';
import * as client from 'openid-client';

const issuer = new URL(process.env.LATCHKEY_ISSUER ?? 'http://localhost:3000');
const clientId = process.env.CLIENT_ID;
if (!clientId) {
  console.error('CLIENT_ID is not set');
  process.exit(2);
}

const clientAuth = async () => {
  if (!process.env.CLIENT_PRIVATE_JWK) {
    return client.None();
  }
  const jwk = JSON.parse(process.env.CLIENT_PRIVATE_JWK);
  return client.PrivateKeyJwt({ key: await jose.importJWK(jwk, jwk.alg), kid: jwk.kid });
};

const config = await client.discovery(issuer, clientId, undefined, await clientAuth(),
  { execute: [client.allowInsecureRequests] });
// Verify the ID token's signature with the provider's JWKS too (openid-client checks the claims either way).
client.enableNonRepudiationChecks(config);

const emit = (event, fields = {}) => console.log(JSON.stringify({ event, ...fields }));
const escape = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}`
  + `</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;

const pending = new Map(); // state → { verifier, nonce }: sign-ins in flight
let base;
let latest; // { refreshToken, sub }: the last sign-in's refresh token, kept in memory only

const signIn = async (url, response) => {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  pending.set(state, { verifier, nonce });
  const parameters = {
    redirect_uri: `${base}/callback`,
    scope: 'openid profile email offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  for (const name of ['prompt', 'login_hint', 'max_age']) {
    if (url.searchParams.has(name)) {
      parameters[name] = url.searchParams.get(name);
    }
  }
  response.writeHead(302, { location: client.buildAuthorizationUrl(config, parameters).href }).end();
};

const callback = async (url, response) => {
  const flow = pending.get(url.searchParams.get('state'));
  pending.delete(url.searchParams.get('state'));
  if (!flow) {
    throw Object.assign(new Error('unknown state'), { error: 'unknown_state' });
  }
  const tokens = await client.authorizationCodeGrant(config, url, {
    pkceCodeVerifier: flow.verifier, expectedState: url.searchParams.get('state'), expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  const header = JSON.parse(Buffer.from(tokens.id_token.split('.')[0], 'base64url').toString());
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  let refresh;
  if (tokens.refresh_token) {
    // OpenID Connect Core §12.1: the refresh response's ID token is validated by openid-client (signature, iss,
    // aud, azp, exp, iat); §12.2: its sub must be the original one.
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    const refreshedClaims = refreshed.claims();
    if (refreshedClaims?.sub !== claims.sub) {
      throw Object.assign(new Error('sub changed on refresh'), { error: 'sub_changed' });
    }
    latest = { refreshToken: refreshed.refresh_token, sub: claims.sub };
    const refreshedUserinfo = await client.fetchUserInfo(config, refreshed.access_token, claims.sub);
    refresh = {
      claims: refreshedClaims, sub_unchanged: true, scope: refreshed.scope,
      rotated: typeof refreshed.refresh_token === 'string' && refreshed.refresh_token !== tokens.refresh_token,
      userinfo_sub: refreshedUserinfo.sub,
    };
  }
  const logoutState = client.randomState();
  const endSession = client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token, post_logout_redirect_uri: `${base}/signed-out`, state: logoutState,
  });
  pending.set(`logout:${logoutState}`, {});
  emit('signed_in', {
    id_token: { alg: header.alg, kid: header.kid, claims },
    userinfo, scope: tokens.scope, token_type: tokens.token_type, end_session_url: endSession.href, refresh,
  });
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('Signed in',
    `<dl><dt>sub</dt><dd id="sub">${escape(claims.sub)}</dd><dt>email</dt><dd id="email">${escape(userinfo.email)}`
    + `</dd></dl><p><a id="sign-out" href="${escape(endSession.href)}">Sign out</a></p>`));
};

const refreshAgain = async (response) => {
  if (!latest) {
    throw Object.assign(new Error('no refresh token'), { error: 'no_refresh_token' });
  }
  const refreshed = await client.refreshTokenGrant(config, latest.refreshToken);
  const claims = refreshed.claims();
  if (claims?.sub !== latest.sub) {
    throw Object.assign(new Error('sub changed on refresh'), { error: 'sub_changed' });
  }
  latest = { refreshToken: refreshed.refresh_token, sub: latest.sub };
  emit('refreshed', { claims, scope: refreshed.scope });
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('Refreshed',
    `<dl><dt>sub</dt><dd id="sub">${escape(claims.sub)}</dd></dl>`));
};

const revoke = async (response) => {
  if (!latest) {
    throw Object.assign(new Error('no refresh token'), { error: 'no_refresh_token' });
  }
  const token = latest.refreshToken;
  const { active, client_id, sub, scope, token_type, exp } = await client.tokenIntrospection(config, token);
  await client.tokenRevocation(config, token, { token_type_hint: 'refresh_token' });
  const after = await client.tokenIntrospection(config, token);
  let refreshRefused;
  try {
    await client.refreshTokenGrant(config, token);
    refreshRefused = null;
  } catch (error) {
    refreshRefused = error.error ?? error.code ?? error.name;
  }
  latest = undefined;
  emit('revoked', {
    before: { active, client_id, sub, scope, token_type, exp }, after: { active: after.active }, refresh_refused:
      refreshRefused,
  });
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('Revoked',
    `<dl><dt>active after</dt><dd id="active">${escape(after.active)}</dd></dl>`));
};

const signedOut = (url, response) => {
  const expected = pending.delete(`logout:${url.searchParams.get('state')}`);
  emit('signed_out', { state_matches: expected });
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    .end(page('Signed out', '<p><a id="sign-in" href="/">Sign in again</a></p>'));
};

const server = createServer(async (request, response) => {
  const url = new URL(request.url, base);
  try {
    if (url.pathname === '/') {
      await signIn(url, response);
    } else if (url.pathname === '/callback') {
      await callback(url, response);
    } else if (url.pathname === '/refresh') {
      await refreshAgain(response);
    } else if (url.pathname === '/revoke') {
      await revoke(response);
    } else if (url.pathname === '/signed-out') {
      signedOut(url, response);
    } else {
      response.writeHead(404).end();
    }
  } catch (error) {
    // openid-client's errors: AuthorizationResponseError (error=… at the redirect), ResponseBodyError (the token
    // or userinfo endpoint said no), or a failed check (code, message).
    const said = { error: error.error ?? error.code ?? error.name, description: error.error_description,
      message: error.message, status: error.status };
    emit('error', said);
    response.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(page('Sign-in failed',
      `<p id="error">${escape(said.error)}</p><p id="description">${escape(said.description ?? said.message)}</p>`));
  }
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  base = `http://127.0.0.1:${server.address().port}`;
  emit('listening', { url: `${base}/`, redirect_uri: `${base}/callback` });
});
