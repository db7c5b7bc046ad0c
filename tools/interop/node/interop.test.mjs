// Node's standard clients, unmodified, against a running Latchkey (issue 12 §5). StandardClientsInteropTest in
// functions/local starts the local server, creates the organization, resource and client through the API, and
// runs `node --test` here with:
//   LATCHKEY_ISSUER    the issuer URL (metadata at <issuer>/.well-known/oauth-authorization-server)
//   RESOURCE_AUDIENCE  the resource's audience; OTHER_AUDIENCE another resource of the same organization
//   CLIENT_ID, CLIENT_SECRET, CLIENT_ES256_JWK, CLIENT_ED25519_JWK  one client, all its credentials
//   USER_TOKEN         a user's access token for the resource (refresh grant with `resource`)
// Plain http on localhost needs openid-client's allowInsecureRequests; nothing else is configured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as client from 'openid-client';

const env = (name) => {
  const value = process.env[name];
  assert.ok(value, `${name} is set`);
  return value;
};
const issuer = env('LATCHKEY_ISSUER');
const audience = env('RESOURCE_AUDIENCE');
const clientId = env('CLIENT_ID');

// openid-client rejects an unexpected answer with the Response as `cause`: put its status and body in the message.
const explain = async (call) => {
  try {
    return await call;
  } catch (error) {
    if (error.cause instanceof Response) {
      error.message += ` (HTTP ${error.cause.status}: ${await error.cause.text().catch(() => "(body read)")})`;
    } else if (error.error) {
      error.message += ` (${error.error}: ${error.error_description ?? ''})`;
    }
    throw error;
  }
};

const discover = (auth) => client.discovery(new URL(issuer), clientId, undefined, auth,
  { algorithm: 'oauth2', execute: [client.allowInsecureRequests] });

const privateKey = async (name) => {
  const jwk = JSON.parse(env(name));
  return { key: await jose.importJWK(jwk, jwk.alg), kid: jwk.kid };
};

const verifier = async () => {
  const metadata = (await discover(client.None())).serverMetadata();
  return jose.createRemoteJWKSet(new URL(metadata.jwks_uri));
};

test('openid-client discovers the issuer through its RFC 8414 metadata', async () => {
  const metadata = (await discover(client.None())).serverMetadata();
  assert.equal(metadata.issuer, issuer);
  assert.equal(metadata.token_endpoint, `${issuer}/oauth/token`);
  assert.equal(metadata.jwks_uri, `${issuer}/.well-known/jwks.json`);
  assert.equal(metadata.introspection_endpoint, `${issuer}/oauth/introspect`);
  assert.equal(metadata.revocation_endpoint, `${issuer}/oauth/revoke`);
  for (const method of ['client_secret_basic', 'client_secret_post', 'private_key_jwt']) {
    assert.ok(metadata.token_endpoint_auth_methods_supported.includes(method), method);
  }
  assert.ok(metadata.grant_types_supported.includes('client_credentials'));
});

test('jose verifies a user token for the resource from the JWKS URL with issuer and audience', async () => {
  const { payload, protectedHeader } = await jose.jwtVerify(env('USER_TOKEN'), await verifier(),
    { issuer, audience, algorithms: ['ES256'] });
  assert.equal(protectedHeader.alg, 'ES256');
  assert.match(payload.sub, /^usr_/);
  assert.match(payload.org, /^org_/);
  assert.equal(payload.scope, 'read');
});

test('jose refuses a tampered token and another audience', async () => {
  const jwks = await verifier();
  const [header, claims, signature] = env('USER_TOKEN').split('.');
  const forged = jose.base64url.encode(JSON.stringify(
    { ...JSON.parse(new TextDecoder().decode(jose.base64url.decode(claims))), scope: 'read write' }));
  await assert.rejects(jose.jwtVerify(`${header}.${forged}.${signature}`, jwks, { issuer, audience }),
    { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  await assert.rejects(jose.jwtVerify(env('USER_TOKEN'), jwks, { issuer, audience: env('OTHER_AUDIENCE') }),
    { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
});

const methods = {
  client_secret_basic: async () => client.ClientSecretBasic(env('CLIENT_SECRET')),
  client_secret_post: async () => client.ClientSecretPost(env('CLIENT_SECRET')),
  'private_key_jwt (ES256)': async () => client.PrivateKeyJwt(await privateKey('CLIENT_ES256_JWK')),
};

for (const [name, auth] of Object.entries(methods)) {
  test(`openid-client: client_credentials, introspection and revocation with ${name}`, async () => {
    const config = await discover(await auth());
    const tokens = await explain(client.clientCredentialsGrant(config, { resource: audience }));
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.equal(tokens.scope, 'read');
    assert.ok(tokens.expires_in > 0);

    const { payload } = await jose.jwtVerify(tokens.access_token, await verifier(), { issuer, audience });
    assert.equal(payload.sub, clientId);
    assert.equal(payload.client_id, clientId);
    assert.equal(payload.scope, 'read');

    const active = await explain(client.tokenIntrospection(config, tokens.access_token));
    assert.equal(active.active, true);
    assert.equal(active.client_id, clientId);
    assert.equal(active.sub, clientId);
    assert.equal(active.scope, 'read');
    assert.equal(active.org, payload.org);

    await explain(client.tokenRevocation(config, tokens.access_token));
    const revoked = await client.tokenIntrospection(config, tokens.access_token);
    assert.deepEqual(revoked, { active: false });
  });
}

// oauth4webapi signs with an Ed25519 CryptoKey under the fully-specified alg "Ed25519" (RFC 9864 §2.2), which
// Latchkey accepts as EdDSA.
test('openid-client: client_credentials with private_key_jwt (Ed25519)', async () => {
    const config = await discover(client.PrivateKeyJwt(await privateKey('CLIENT_ED25519_JWK')));
    const tokens = await explain(client.clientCredentialsGrant(config, { resource: audience }));
    assert.equal(tokens.scope, 'read');
  });
