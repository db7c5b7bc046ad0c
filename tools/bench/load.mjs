// Closed-loop HTTP load generator (Node's http, keep-alive), adapted from ../shared/bench/load.mjs: rotates the
// source address over 127.0.x.y so per-IP rate limits of the server under test do not cap the measurement, and
// can build a fresh body per request (a single-use client assertion). Importable (bench.mjs) and runnable:
//   node tools/bench/load.mjs URL [--method POST] [--body STR] [--type CT] [--header 'k: v']...
//        [--concurrency 16] [--seconds 10] [--ips 200]
// Prints one JSON line: rps (2xx only), count, statuses, p50/p90/p99 ms.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

/**
 * Drives `url` for `seconds` with `concurrency` workers. `body` is a string, null, or a function returning a
 * string per request. Resolves to { rps, count, statuses, p50, p90, p99 }.
 */
export async function load(url, { method = 'GET', body = null, type = null, headers = {}, concurrency = 16,
  seconds = 10, ips = 200 } = {}) {
  const target = new URL(url);
  const base = { ...headers };
  if (type) base['content-type'] = type;
  const agents = Array.from({ length: ips }, (_, i) => ({
    agent: new http.Agent({ keepAlive: true, maxSockets: 4 }),
    addr: `127.0.${Math.floor((i + 2) / 250)}.${((i + 2) % 250) + 1}` }));
  let next = 0, count = 0; const statuses = {}; const lat = [];
  const end = Date.now() + seconds * 1000;
  function one() {
    return new Promise((resolve) => {
      const a = agents[next++ % agents.length];
      const text = typeof body === 'function' ? body() : body;
      const payload = text == null ? null : Buffer.from(text);
      const h = payload ? { ...base, 'content-length': payload.length } : base;
      const t0 = process.hrtime.bigint();
      const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search,
        method, headers: h, agent: a.agent, localAddress: a.addr }, (res) => {
        res.on('data', () => {}); res.on('end', () => {
          lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1; count++; resolve(); });
      });
      req.on('error', (e) => { statuses[e.code] = (statuses[e.code] ?? 0) + 1; resolve(); });
      if (payload) req.write(payload);
      req.end();
    });
  }
  async function worker() { while (Date.now() < end) await one(); }
  const t0 = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (Date.now() - t0) / 1000;
  lat.sort((x, y) => x - y);
  const q = (p) => lat.length ? +lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1) : null;
  const ok = Object.entries(statuses).filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
  for (const a of agents) a.agent.destroy();
  return { rps: +(ok / secs).toFixed(1), count, statuses, p50: q(0.5), p90: q(0.9), p99: q(0.99) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const url = args.shift();
  const opt = { headers: {} };
  while (args.length) {
    const k = args.shift().replace(/^--/, ''); const v = args.shift();
    if (k === 'header') { const i = v.indexOf(':'); opt.headers[v.slice(0, i).trim()] = v.slice(i + 1).trim(); }
    else opt[k] = ['concurrency', 'seconds', 'ips'].includes(k) ? Number(v) : v;
  }
  console.log(JSON.stringify(await load(url, opt)));
}
