// The Node half of make bench: request overhead (sequential and
// concurrent), Digest round trips, and load to ready. It prints one JSON
// object. Environment: BENCH_URL (the mock API), BENCH_DIST (authlib.mjs and
// friends), HELLO_WASM, N, ROUNDS, CONC, LOADS.
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { median, rounds } from './page/rounds.mjs';

const env = process.env;
const BASE = env.BENCH_URL;
const N = +env.N || 200, ROUNDS = +env.ROUNDS || 7, CONC = +env.CONC || 256, LOADS = +env.LOADS || 7;
const mjs = pathToFileURL(env.BENCH_DIST + '/authlib.mjs').href;

if (process.argv[2] === 'load-authlib') {
  const t0 = performance.now();
  const { load } = await import(mjs);
  await load();
  console.log(performance.now() - t0);
  process.exit(0);
}
if (process.argv[2] === 'load-hello') {
  const t0 = performance.now();
  await import(pathToFileURL(env.BENCH_DIST + '/wasm_exec.js').href);
  const { readFile } = await import('node:fs/promises');
  const go = new globalThis.Go();
  const { instance } = await WebAssembly.instantiate(await readFile(env.HELLO_WASM), go.importObject);
  const log = console.log;
  console.log = () => {};
  await go.run(instance);
  console.log = log;
  console.log(performance.now() - t0);
  process.exit(0);
}

const { load } = await import(mjs);
const authlib = await load();
const url = BASE + '/basic-auth/user/pass';
const header = 'Basic ' + Buffer.from('user:pass').toString('base64');
const client = authlib.client({ auth: ['user', 'pass'] });
const check = async (res) => {
  if (res.status !== 200) throw new Error('benchmark request got ' + res.status);
  await res.arrayBuffer();
};
const variants = {
  raw: () => fetch(url, { headers: { Authorization: header } }).then(check),
  authlib: () => authlib.fetch(url, { auth: ['user', 'pass'] }).then(check),
  client: () => client.fetch(url).then(check),
};

const sequential = await rounds(variants, ROUNDS, N, async (f) => { for (let i = 0; i < N; i++) await f(); });
const concurrent = await rounds(variants, ROUNDS, CONC, async (f) => { await Promise.all(Array.from({ length: CONC }, f)); });

async function exchanges(path) {
  const s = await (await fetch(BASE + '/stats')).json();
  return s.exchanges[path] ?? 0;
}
async function digest(n, query) {
  const user = 'd' + Math.random().toString(36).slice(2);
  const path = `/digest-auth/auth/${user}/p/SHA-256`;
  const c = authlib.client({ auth: { type: 'digest', username: user, password: 'p' } });
  for (let i = 0; i < n; i++) await c.fetch(BASE + path + query).then(check);
  return exchanges(path);
}
const DN = +env.DIGEST_N || 100;
const digestRT = { requests: DN, exchanges: await digest(DN, ''), staleEvery: 10, exchangesStale: await digest(DN, '?stale_after=10') };

const loads = { authlib: [], hello: [] };
for (let i = 0; i < LOADS; i++) {
  for (const which of i % 2 ? ['hello', 'authlib'] : ['authlib', 'hello']) {
    const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, 'load-' + which], { env, encoding: 'utf8' });
    loads[which].push(+out.trim());
  }
}
const load2 = { authlibMs: median(loads.authlib), helloMs: median(loads.hello), ratio: median(loads.authlib.map((t, i) => t / loads.hello[i])) };

console.log(JSON.stringify({ node: process.version, N, ROUNDS, CONC, sequential, concurrent, digest: digestRT, load: load2 }));
process.exit(0);
