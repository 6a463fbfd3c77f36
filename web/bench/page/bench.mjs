// The Chromium half of make bench: the same sequential and concurrent
// Basic-auth GETs as in Node, plus Go's net/http client inside wasm. The
// result is left in window.__bench for the driver to read.
import { load } from './authlib.mjs';

const q = new URLSearchParams(location.search);
const N = +q.get('n') || 200, ROUNDS = +q.get('rounds') || 7, CONC = +q.get('conc') || 256;
const url = new URL('api/basic-auth/user/pass', location.href).href;
const header = 'Basic ' + btoa('user:pass');

async function loadNethttp() {
  const ready = new Promise((resolve) => { globalThis.__nethttpReady = resolve; });
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch('nethttp.wasm'), go.importObject);
  go.run(instance);
  await ready;
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

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
  async function rounds(run, count) {
    const names = Object.keys(variants);
    const per = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = -1; r < ROUNDS; r++) {
      const order = r % 2 ? [...names].reverse() : names;
      for (const name of order) {
        const t0 = performance.now();
        await run(variants[name]);
        if (r >= 0) per[name].push(performance.now() - t0);
      }
    }
    const out = {};
    for (const n of names) {
      out[n] = { msPerRequest: median(per[n]) / count, ratio: median(per[n].map((t, i) => t / per.raw[i])) };
    }
    return out;
  }
  const sequential = await rounds(async (f) => { for (let i = 0; i < N; i++) await f(); }, N);
  const concurrent = await rounds(async (f) => { await Promise.all(Array.from({ length: CONC }, f)); }, CONC);
  window.__bench = { ok: true, userAgent: navigator.userAgent, sequential, concurrent };
} catch (err) {
  window.__bench = { ok: false, error: String(err && err.stack || err) };
}
document.getElementById('state').textContent = 'done';
