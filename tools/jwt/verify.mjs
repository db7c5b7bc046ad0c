// Verifies a Latchkey access token against a JWKS URL with nothing but Node's own crypto (Node 18+), the way
// any resource server would: the key by `kid`, alg ES256 (JOSE r||s), typ JWT or at+jwt, not expired, the expected
// issuer, audience and organization when given. Prints the claims on success; exits 1 with the reason otherwise.
// A resource server must check all three (docs/resources.md "Checking a token"): `iss` says Latchkey signed it,
// `aud` that it is for this API, `org` that it is for the organization this API serves.
//
//   node tools/jwt/verify.mjs <jwks-url> <token> [expected-issuer] [expected-audience] [expected-org]
import { createPublicKey, verify } from 'node:crypto';

const [jwksUrl, token, issuer, audience, org] = process.argv.slice(2);
if (!jwksUrl || !token) {
  console.error('usage: node verify.mjs <jwks-url> <token> [expected-issuer] [expected-audience] [expected-org]');
  process.exit(2);
}
const fail = (reason) => { console.error(`invalid: ${reason}`); process.exit(1); };
const parts = token.split('.');
if (parts.length !== 3) fail('not a compact JWS');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const header = decode(parts[0]);
const claims = decode(parts[1]);
if (header.alg !== 'ES256') fail(`alg ${header.alg}`);
if (!['jwt', 'at+jwt'].includes(String(header.typ).toLowerCase())) fail(`typ ${header.typ}`);
const jwks = await (await fetch(jwksUrl)).json();
const jwk = jwks.keys.find((k) => k.kid === header.kid);
if (!jwk) fail(`no key ${header.kid} in the JWKS`);
const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`),
  { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
  Buffer.from(parts[2], 'base64url'));
if (!ok) fail('bad signature');
const now = Math.floor(Date.now() / 1000);
if (typeof claims.exp !== 'number' || claims.exp <= now) fail('expired');
if (issuer && claims.iss !== issuer) fail(`iss ${claims.iss}`);
const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
if (audience && !audiences.includes(audience)) fail(`aud ${claims.aud}`);
if (org && claims.org !== org) fail(`org ${claims.org}`);
console.log(JSON.stringify({ valid: true, kid: header.kid, claims }, null, 2));
