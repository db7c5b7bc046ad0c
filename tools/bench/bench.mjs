// One-command benchmark (docs/performance.md "Benchmark"): starts the local server on a fresh data folder, sets
// up an owner, organization, resource, service client (secret + Ed25519 key) and API key, drives each operation
// with the closed-loop load generator (load.mjs: source addresses spread, so per-IP limits do not cap it), measures
// the raw ES256 signing rate of the same JVM, optionally starts Keycloak (Maven Central's
// org.keycloak:keycloak-quarkus-dist, `kc.sh start-dev`) beside it, and prints one table with the ratios.
//
//   ./mvnw -B -DskipTests package            # builds functions/local/target/latchkey-local.jar
//   node tools/bench/bench.mjs [--keycloak] [--seconds 10] [--warmup 3] [--concurrency 16] [--rounds 1]
//
// --rounds 1 (the default) measures each server right after its start, one after the other. --rounds N starts every
// server first and then measures them in turn N times, the order turning each round; it prints the medians and the
// median of the ratios taken within each round, which a drift of the machine's speed does not bias.
//
// Environment: JAVA (default `java`), BENCH_JAVA_OPTS (the local server's JVM flags; default: the functions'
// JAVA_TOOL_OPTIONS from template.yaml, i.e. Latchkey runs with the JVM flags it has on Lambda),
// BENCH_BEFORE_JAVA_OPTS (when set: a second local server with these flags is measured first, the "before" column),
// BENCH_BEFORE_JAR (the "before" server's jar, e.g. main's, to compare two builds in one run; needs
// BENCH_BEFORE_JAVA_OPTS, empty for the defaults),
// BENCH_MAVEN_ARGS (e.g. -Dmaven.repo.local=… for the Keycloak download), KEYCLOAK_VERSION (26.7.3).
// Timings are for this machine and run only: compare the ratios, which come from one run.
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from './load.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = { keycloak: false, seconds: 10, warmup: 3, concurrency: 16, rounds: 1, jar: 'functions/local/target/latchkey-local.jar' };
while (args.length) {
  const k = args.shift().replace(/^--/, '');
  if (k === 'keycloak') opt.keycloak = true; else opt[k] = isNaN(Number(args[0])) ? args.shift() : Number(args.shift());
}
const JAVA = process.env.JAVA ?? 'java';
// The JVM flags every function runs with on Lambda (template.yaml Globals, Terraform common_environment).
const LAMBDA_JVM = /JAVA_TOOL_OPTIONS:\s*"([^"]*)"/.exec(fs.readFileSync(path.join(ROOT, 'template.yaml'), 'utf8'))[1];

// CPU seconds used so far by the process tree under `root` (the JVM and its Dynoxide, or Keycloak), split into the
// emulator's share and the rest, from /proc (Linux; elsewhere the CPU columns stay empty).
const TICKS = 100;
function cpu(root) {
  if (!root || !fs.existsSync('/proc/self/stat')) return null;
  const procs = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(d), { ppid: Number(f[1]), comm: st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')),
        ticks: Number(f[11]) + Number(f[12]) });
    } catch { /* gone */ }
  }
  const inTree = (pid) => { for (let p = pid; p > 1; p = procs.get(p)?.ppid ?? 0) if (p === root) return true; return false; };
  let total = 0, emulator = 0;
  for (const [pid, p] of procs) {
    if (!inTree(pid)) continue;
    total += p.ticks;
    if (p.comm.startsWith('dynoxide')) emulator += p.ticks;
  }
  const self = process.cpuUsage();
  return { total: total / TICKS, emulator: emulator / TICKS, loadgen: (self.user + self.system) / 1e6 };
}
const children = [];
process.on('exit', () => { for (const c of children) { try { process.kill(-c.pid, 'SIGTERM'); } catch { /* gone */ } } });
process.on('SIGINT', () => process.exit(130));

const freePort = () => new Promise((resolve) => {
  const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const b64url = (buf) => Buffer.from(buf).toString('base64url');

async function call(base, method, p, { json, form, headers = {} } = {}) {
  const h = { ...headers };
  let body;
  if (json !== undefined) { h['content-type'] = 'application/json'; body = JSON.stringify(json); }
  if (form !== undefined) { h['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
  const res = await fetch(base + p, { method, headers: h, body });
  const text = await res.text();
  let parsed; try { parsed = text ? JSON.parse(text) : {}; } catch { parsed = text; }
  return { status: res.status, body: parsed };
}
function expect(r, status, what) {
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
async function waitFor(url, started, limitMs) {
  for (;;) {
    // Jetty listens (and answers 404) before the functions are wired: ready means 200.
    try { const r = await fetch(url); if (r.status === 200) return Date.now() - started; } catch { /* not yet */ }
    if (Date.now() - started > limitMs) throw new Error('not ready after ' + limitMs + ' ms: ' + url);
    await sleep(50);
  }
}
function start(cmd, argv, env, logFile) {
  const log = fs.openSync(logFile, 'w');
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', log, log], detached: true });
  children.push(child);
  return child;
}

async function latchkey(dir, jvmOpts, jar = opt.jar) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const jvm = jvmOpts.split(' ').filter(Boolean);
  const started = Date.now();
  // The issuer is http://localhost:<port> (passkeys need a domain name); requests go to 127.0.0.1, where it binds.
  const issuer = `http://localhost:${port}`;
  const child = start(JAVA, [...jvm, `-DLATCHKEY_PORT=${port}`, `-DLATCHKEY_DATA_DIR=${dir}`,
    `-DLATCHKEY_ISSUER=${issuer}`, '-jar', path.resolve(ROOT, jar)], {}, path.join(dir, 'latchkey.log'));
  child.on('exit', (code) => { if (code !== null && code !== 0 && code !== 143) { console.error(`latchkey exited ${code}; see ${dir}/latchkey.log`); process.exit(1); } });
  const ready = await waitFor(base + '/health', started, 300_000);
  return { base, issuer, ready, child };
}

async function setUp(base, issuer) {
  const stamp = Date.now();
  const email = `bench-${stamp}@example.com`, password = 'correct-horse-staple-92!';
  expect(await call(base, 'POST', '/v1/auth/register', { json: { email, password, name: 'Bench' } }), 201, 'register');
  const access = expect(await call(base, 'POST', '/v1/auth/login/password', { json: { email, password } }), 200,
    'login').access_token;
  const bearer = { authorization: 'Bearer ' + access };
  const org = expect(await call(base, 'POST', '/v1/orgs', { json: { name: 'Bench' }, headers: bearer }), 201, 'org').id;
  const audience = `https://bench-${stamp}.example.com`;
  const resource = expect(await call(base, 'POST', `/v1/orgs/${org}/resources`,
    { json: { name: 'Bench API', audience, scopes: ['read', 'write'] }, headers: bearer }), 201, 'resource');
  const client = expect(await call(base, 'POST', `/v1/orgs/${org}/clients`,
    { json: { name: 'bench', allowed_resources: [resource.id] }, headers: bearer }), 201, 'client');
  const clientId = client.client_id, secret = client.secret.client_secret;
  expect(await call(base, 'PUT', `/v1/orgs/${org}/resources/${resource.id}/grants/${clientId}`,
    { json: { scopes: ['read'] }, headers: bearer }), 200, 'grant');
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x;
  expect(await call(base, 'POST', `/v1/orgs/${org}/clients/${clientId}/keys`,
    { json: { jwk: { kty: 'OKP', crv: 'Ed25519', x, kid: 'bench' } }, headers: bearer }), 201, 'client key');
  const apiKey = expect(await call(base, 'POST', `/v1/orgs/${org}/api-keys`,
    { json: { name: 'bench', permissions: ['read'] }, headers: bearer }), 201, 'api key').key;
  const basic = 'Basic ' + Buffer.from(encodeURIComponent(clientId) + ':' + encodeURIComponent(secret)).toString('base64');
  const header = b64url(JSON.stringify({ alg: 'EdDSA', kid: 'bench', typ: 'JWT' }));
  const assertion = () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = b64url(JSON.stringify({ iss: clientId, sub: clientId, aud: issuer + '/oauth/token', iat: now,
      exp: now + 60, jti: b64url(crypto.randomBytes(16)) }));
    return `${header}.${claims}.${b64url(crypto.sign(null, Buffer.from(header + '.' + claims), privateKey))}`;
  };
  return { audience, basic, assertion, apiKey };
}

const FORM = 'application/x-www-form-urlencoded';
// Drives one operation; with `server` (the root pid of the server's process tree) also the CPU it used per request
// in the measured seconds: the server (JVM, or Keycloak), the emulator (Latchkey's Dynoxide), the load generator.
async function measure(name, url, o, server) {
  if (opt.warmup > 0) await load(url, { ...o, seconds: opt.warmup, concurrency: opt.concurrency });
  const c0 = cpu(server);
  const r = await load(url, { ...o, seconds: opt.seconds, concurrency: opt.concurrency });
  const c1 = cpu(server);
  if (c0 && c1 && r.count > 0) {
    const per = (k) => +(1000 * (c1[k] - c0[k]) / r.count).toFixed(3);
    r.cpu_ms = { server: per('total') - per('emulator'), emulator: per('emulator'), loadgen: per('loadgen') };
  }
  const bad = Object.entries(r.statuses).filter(([s]) => !(s >= 200 && s < 300));
  const c = r.cpu_ms ? ` cpu/req ${r.cpu_ms.server} ms server + ${r.cpu_ms.emulator} ms emulator` : '';
  console.error(`  ${name}: ${r.rps}/s p50 ${r.p50} ms p99 ${r.p99} ms${c}${bad.length ? ' NON-2xx ' + JSON.stringify(r.statuses) : ''}`);
  return r;
}

async function keycloak(dir) {
  const version = process.env.KEYCLOAK_VERSION ?? '26.7.3';
  const cache = path.join(ROOT, 'tools', 'bench', '.cache');
  const home = path.join(cache, `keycloak-${version}`);
  const zip = path.join(cache, `keycloak-quarkus-dist-${version}.zip`);
  if (!fs.existsSync(home)) {
    fs.mkdirSync(cache, { recursive: true });
    if (!fs.existsSync(zip)) {
      const extra = (process.env.BENCH_MAVEN_ARGS ?? '').split(' ').filter(Boolean);
      execFileSync(path.join(ROOT, 'mvnw'), ['-B', '-q', ...extra, 'dependency:copy',
        `-Dartifact=org.keycloak:keycloak-quarkus-dist:${version}:zip`, `-DoutputDirectory=${cache}`],
        { cwd: ROOT, stdio: 'inherit' });
    }
    execFileSync('unzip', ['-q', '-o', zip, '-d', cache]);
  }
  // start-dev keeps its H2 database in the distribution's data/: a fresh one per run, so the bootstrap admin and the
  // bench client are created again and no earlier run's sessions weigh on this one.
  fs.rmSync(path.join(home, 'data'), { recursive: true, force: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const child = start(path.join(home, 'bin', 'kc.sh'), ['start-dev', `--http-port=${port}`, '--http-management-port=' + await freePort()],
    { KC_BOOTSTRAP_ADMIN_USERNAME: 'admin', KC_BOOTSTRAP_ADMIN_PASSWORD: 'admin', JAVA_HOME: process.env.JAVA_HOME ?? '' },
    path.join(dir, 'keycloak.log'));
  let ready;
  for (;;) {
    try {
      const r = await fetch(base + '/realms/master/.well-known/openid-configuration');
      if (r.status === 200) { ready = Date.now() - started; break; }
    } catch { /* not yet */ }
    if (Date.now() - started > 900_000) throw new Error('Keycloak not ready; see ' + path.join(dir, 'keycloak.log'));
    await sleep(200);
  }
  const admin = expect(await call(base, 'POST', '/realms/master/protocol/openid-connect/token',
    { form: { grant_type: 'password', client_id: 'admin-cli', username: 'admin', password: 'admin' } }), 200,
  'keycloak admin token').access_token;
  const created = await call(base, 'POST', '/admin/realms/master/clients', { headers: { authorization: 'Bearer ' + admin },
    json: { clientId: 'bench', secret: 'bench-secret-bench-secret', publicClient: false, serviceAccountsEnabled: true,
      standardFlowEnabled: false, directAccessGrantsEnabled: false, clientAuthenticatorType: 'client-secret' } });
  if (created.status !== 201) throw new Error('keycloak client: ' + created.status);
  return { base, ready, pid: child.pid,
    basic: 'Basic ' + Buffer.from('bench:bench-secret-bench-secret').toString('base64') };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-'));
const load0 = os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.error(`bench: data and logs in ${dir}; load average ${load0}`);
const es256 = JSON.parse(execFileSync(JAVA, [path.join(ROOT, 'tools', 'bench', 'Es256Rate.java'), '2', '5']).toString());
console.error(`  raw ES256: ${es256.signs_per_second}/s (2 threads, ${es256.java})`);

async function startLatchkey(label, jvmOpts, jar = opt.jar) {
  const runDir = fs.mkdtempSync(path.join(dir, label + '-'));
  const lk = await latchkey(runDir, jvmOpts, jar);
  console.error(`  latchkey (${label}: ${jvmOpts || 'defaults'}) ready in ${lk.ready} ms at ${lk.base}`);
  return { label, lk, s: await setUp(lk.base, lk.issuer) };
}

async function measureLatchkey({ label, lk, s }) {
  const results = { ready: lk.ready };
  const pid = lk.child.pid;
  results.cc_secret = await measure(`${label} client_credentials (secret)`, lk.base + '/oauth/token', { method: 'POST',
    type: FORM, headers: { authorization: s.basic },
    body: `grant_type=client_credentials&resource=${encodeURIComponent(s.audience)}` }, pid);
  results.cc_ed25519 = await measure(`${label} client_credentials (Ed25519 assertion)`, lk.base + '/oauth/token', {
    method: 'POST', type: FORM, body: () => new URLSearchParams({ grant_type: 'client_credentials',
      resource: s.audience, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: s.assertion() }).toString() }, pid);
  results.exchange = await measure(`${label} API-key exchange`, lk.base + '/oauth/token', { method: 'POST', type: FORM,
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: s.apiKey, subject_token_type: 'urn:latchkey:params:oauth:token-type:api_key' }).toString() },
  pid);
  results.verify = await measure(`${label} API-key verify`, lk.base + '/v1/api-keys/verify', { method: 'POST',
    type: 'application/json', body: JSON.stringify({ key: s.apiKey }) }, pid);
  results.jwks = await measure(`${label} JWKS`, lk.base + '/.well-known/jwks.json', {}, pid);
  return results;
}

async function stopLatchkey({ lk }) {
  lk.child.kill('SIGTERM');
  await sleep(1000);
}

async function startKeycloak() {
  try {
    const kc = await keycloak(dir);
    console.error(`  keycloak ready in ${kc.ready} ms at ${kc.base}`);
    return kc;
  } catch (e) {
    console.error('  keycloak skipped: ' + e.message);
    return null;
  }
}

async function measureKeycloak(kc) {
  return { ready: kc.ready,
    cc: await measure('keycloak client_credentials', kc.base + '/realms/master/protocol/openid-connect/token', {
      method: 'POST', type: FORM, headers: { authorization: kc.basic }, body: 'grant_type=client_credentials' },
    kc.pid),
    jwks: await measure('keycloak JWKS', kc.base + '/realms/master/protocol/openid-connect/certs', {}, kc.pid) };
}

// BENCH_BEFORE_JAVA_OPTS: a second configuration measured too, in the same run (e.g. the old defaults:
// "-DLATCHKEY_OAUTH_TOKEN_PER_MINUTE=60 -DLATCHKEY_TOKEN_CACHE_SECONDS=0"); its column is "before".
const withBefore = process.env.BENCH_BEFORE_JAVA_OPTS !== undefined;
const afterOpts = process.env.BENCH_JAVA_OPTS ?? LAMBDA_JVM;
const rounds = [];
if (opt.rounds > 1) {
  // Rounds: every server is started first, then each round measures them one after the other, the order turning
  // by one server per round. A drift of the machine's speed (this one's moves by a third within minutes) then
  // weighs on every server alike, and the ratios are taken within a round and reported as their median.
  const servers = [];
  if (withBefore) servers.push({ kind: 'before', ctx: await startLatchkey('before', process.env.BENCH_BEFORE_JAVA_OPTS,
    process.env.BENCH_BEFORE_JAR ?? opt.jar) });
  servers.push({ kind: 'after', ctx: await startLatchkey('after', afterOpts) });
  if (opt.keycloak) { const kc = await startKeycloak(); if (kc) servers.push({ kind: 'keycloak', ctx: kc }); }
  for (let r = 0; r < opt.rounds; r++) {
    const round = {};
    for (let k = 0; k < servers.length; k++) {
      const { kind, ctx } = servers[(k + r) % servers.length];
      console.error(`  round ${r + 1}: ${kind}`);
      round[kind] = kind === 'keycloak' ? await measureKeycloak(ctx) : await measureLatchkey(ctx);
    }
    rounds.push(round);
  }
} else {
  // One round, each server measured right after its start (warm-up counts: a Lambda container's life is short).
  for (const [kind, opts, jar] of [...(withBefore ? [['before', process.env.BENCH_BEFORE_JAVA_OPTS,
    process.env.BENCH_BEFORE_JAR ?? opt.jar]] : []), ['after', afterOpts, opt.jar]]) {
    const ctx = await startLatchkey(kind, opts, jar);
    rounds[0] = { ...rounds[0], [kind]: await measureLatchkey(ctx) };
    await stopLatchkey(ctx);
  }
  if (opt.keycloak) { const kc = await startKeycloak(); if (kc) rounds[0].keycloak = await measureKeycloak(kc); }
}

const median = (xs) => { const v = xs.filter((x) => x != null).sort((a, b) => a - b); return v.length
  ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : null; };
// The median over rounds of one measurement (rps, p50, CPU), and of a ratio taken within each round.
const med = (kind, key) => {
  const rs = rounds.map((r) => r[kind]?.[key]).filter(Boolean);
  if (!rs.length) return null;
  const m = { rps: +median(rs.map((x) => x.rps)).toFixed(1), p50: +median(rs.map((x) => x.p50)).toFixed(1) };
  if (rs.every((x) => x.cpu_ms)) {
    m.cpu_ms = Object.fromEntries(['server', 'emulator', 'loadgen'].map((c) => [c, median(rs.map((x) => x.cpu_ms[c]))]));
  }
  return m;
};
const ratio = (f) => median(rounds.map(f).filter((x) => x != null && isFinite(x)));
const kcKey = (key) => (key === 'jwks' ? 'jwks' : 'cc');

const cell = (r) => r ? `${r.rps} (p50 ${r.p50} ms)` : '—';
// Server CPU per request: the JVM plus, for Latchkey, its emulator (Keycloak's database runs inside its JVM).
const serverMs = (r) => r?.cpu_ms ? r.cpu_ms.server + r.cpu_ms.emulator : null;
// ES256 signs per CPU-second: the raw rate used 2 threads on 2 cores.
const signMs = 1000 * es256.threads / es256.signs_per_second;
const hasKc = rounds.some((r) => r.keycloak);
const row = (name, key, vsKc) => {
  const r = med('after', key), b = med('before', key), k = vsKc && hasKc ? med('keycloak', kcKey(key)) : null;
  const kcRatio = k ? ratio((x) => x.after[key].rps / x.keycloak?.[kcKey(key)]?.rps) : null;
  const cpuRatio = k ? ratio((x) => serverMs(x.keycloak?.[kcKey(key)]) / serverMs(x.after[key])) : null;
  // The JVM alone: what a deployment on DynamoDB runs (the emulator's CPU is DynamoDB's there). Keycloak's figure
  // keeps its embedded H2 database, so this favours Latchkey by whatever H2 costs Keycloak.
  const jvmRatio = k ? ratio((x) => serverMs(x.keycloak?.[kcKey(key)]) / x.after[key].cpu_ms?.server) : null;
  const cpuCell = r.cpu_ms ? `${r.cpu_ms.server.toFixed(2)} + ${r.cpu_ms.emulator.toFixed(2)}` : '—';
  const jvmShare = r.cpu_ms ? (100 * signMs / r.cpu_ms.server).toFixed(0) + ' %' : '';
  const vsBefore = b ? ratio((x) => x.after[key].rps / x.before[key].rps).toFixed(2) + '×' : '';
  return `| ${name} | ${cell(b)} | ${cell(r)} | ${vsBefore} | ${cell(k)} | ${kcRatio ? kcRatio.toFixed(2) + '×' : ''} | ` +
    `${(100 * r.rps / es256.signs_per_second).toFixed(0)} % | ${cpuCell} | ${serverMs(k)?.toFixed(2) ?? '—'} | ` +
    `${cpuRatio ? cpuRatio.toFixed(2) + '×' : ''} | ${jvmRatio ? jvmRatio.toFixed(2) + '×' : ''} | ${jvmShare} |`;
};
console.log(`\n${new Date().toISOString()}, ${os.cpus().length} CPUs, load average at start ${load0}; ` +
  `${opt.concurrency} connections, ${opt.warmup} s warm-up + ${opt.seconds} s per measurement; ` +
  (opt.rounds > 1 ? `${opt.rounds} rounds, servers started first, medians (ratios within each round)`
    : 'each server right after its start'));
console.log(`before: ${process.env.BENCH_BEFORE_JAR ?? ''} ${process.env.BENCH_BEFORE_JAVA_OPTS ?? '(not run)'}; ` +
  `after: ${process.env.BENCH_JAVA_OPTS ?? LAMBDA_JVM + ' (the functions\' JAVA_TOOL_OPTIONS)'}`);
console.log('| operation | Latchkey before /s | Latchkey after /s | after ÷ before | Keycloak /s | after ÷ Keycloak ' +
  '| after, % of raw ES256 | after CPU ms/req (JVM + emulator) | Keycloak CPU ms/req ' +
  '| requests per server CPU-second ÷ Keycloak | the same, Latchkey\'s JVM only | one ES256 sign ÷ JVM CPU per request |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
console.log(row('client_credentials (secret)', 'cc_secret', true));
console.log(row('client_credentials (Ed25519 assertion)', 'cc_ed25519', true));
console.log(row('API-key → token exchange', 'exchange', true));
console.log(row('API-key verify', 'verify', false));
console.log(row('JWKS', 'jwks', true));
const ready = (kind) => rounds[0][kind]?.ready ?? '—';
console.log(`| start → ready (ms) | ${ready('before')} | ${ready('after')} | | ${ready('keycloak')} | | | | | | | |`);
console.log(`| raw ES256 signs/s (2 threads, same JVM) | | ${es256.signs_per_second} (${signMs.toFixed(3)} ms CPU each) ` +
  '| | | | | | | | | |');
// Per round, so that the spread shows how far one round's ratio can be trusted on this machine.
const perRound = (title, other, otherKey) => {
  const each = (key) => rounds.map((x) => x[other] ? (x.after[key].rps / x[other][otherKey(key)].rps).toFixed(2) : '—')
    .join(' / ');
  console.log(`${title} per round: secret ${each('cc_secret')}; assertion ${each('cc_ed25519')}; ` +
    `exchange ${each('exchange')}; JWKS ${each('jwks')}` + (other === 'before' ? `; verify ${each('verify')}` : ''));
};
if (rounds.length > 1) {
  console.log('');
  if (hasKc) perRound('after ÷ Keycloak', 'keycloak', kcKey);
  if (withBefore) perRound('after ÷ before', 'before', (key) => key);
}
console.log(JSON.stringify({ es256, rounds }));
process.exit(0);
