// The Chromium half of make bench: the same sequential and concurrent
// Basic-auth GETs as in Node, plus Go's net/http client inside wasm. The
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
  window.__bench = { ok: true, userAgent: navigator.userAgent, sequential, concurrent };
} catch (err) {
  window.__bench = { ok: false, error: String(err && err.stack || err) };
}
document.getElementById('state').textContent = 'done';
