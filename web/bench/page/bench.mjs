// The Chromium half of make bench: the same sequential and concurrent
// Basic-auth GETs as in Node, plus Go's net/http client inside wasm, and
// AWS SigV4 against aws4fetch. The
// result is left in window.__bench for the driver to read.
import { load } from './authlib.mjs';
import { rounds } from './rounds.mjs';

const q = new URLSearchParams(location.search);
const N = +q.get('n') || 200, ROUNDS = +q.get('rounds') || 7, CONC = +q.get('conc') || 256, WARM = +q.get('warm') || 20;
const url = new URL('api/basic-auth/user/pass', location.href).href;
const header = 'Basic ' + btoa('user:pass');

async function loadNethttp() {
  const ready = new Promise((resolve) => { globalThis.__nethttpReady = resolve; });
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch('nethttp.wasm'), go.importObject);
  go.run(instance);
  await ready;
}

try {
  const authlib = await load();
  await loadNethttp();
  const client = authlib.client({ auth: ['user', 'pass'] });
  const check = async (res) => {
    if (res.status !== 200) throw new Error('benchmark request got ' + res.status);
    await res.arrayBuffer();
  };
  const variants = {
    raw: () => fetch(url, { headers: { Authorization: header }, credentials: 'omit' }).then(check),
    authlib: () => authlib.fetch(url, { auth: ['user', 'pass'] }).then(check),
    client: () => client.fetch(url).then(check),
    nethttp: () => globalThis.nethttpGet(url, 'user', 'pass').then((s) => { if (s !== 200) throw new Error('net/http got ' + s); }),
  };
  const sequential = await rounds(variants, ROUNDS, N, async (f) => { for (let i = 0; i < N; i++) await f(); }, WARM);
  const concurrent = await rounds(variants, ROUNDS, CONC, async (f) => { await Promise.all(Array.from({ length: CONC }, f)); }, WARM);
  // AWS SigV4 against aws4fetch, as in Node.
  const { AwsClient } = await import('./aws4fetch.mjs');
  const awsKeys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'execute-api' };
  const aws4fetch = new AwsClient(awsKeys);
  const awsAuth = { type: 'aws4', ...awsKeys };
  const aclient = authlib.client({ auth: awsAuth });
  const apath = new URL('api/aws4/execute-api/bench/items?limit=10', location.href).href;
  const aws4VsJS = await rounds({
    raw: () => aws4fetch.fetch(apath).then(check),
    authlib: () => authlib.fetch(apath, { auth: awsAuth }).then(check),
    client: () => aclient.fetch(apath).then(check),
  }, ROUNDS, N, async (f) => { for (let i = 0; i < N; i++) await f(); }, WARM);
  window.__bench = { ok: true, userAgent: navigator.userAgent, sequential, concurrent, aws4VsJS };
} catch (err) {
  window.__bench = { ok: false, error: String(err && err.stack || err) };
}
document.getElementById('state').textContent = 'done';
