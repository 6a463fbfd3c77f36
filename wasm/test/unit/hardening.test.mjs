// Defects an independent test of the JS API found (issue "Hardening"),
// each pinned here against authtest on loopback.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { BASE, uniq, exchanges } from '../authtest.mjs';


let authlib;
before(async () => { authlib = await load(); });

async function outcome(p) {
  try {
    const res = await p;
    return res.status;
  } catch (e) {
    assert.ok(e instanceof AuthError, `not an AuthError: ${e}`);
    return e.code;
  }
}

test('a method given as an object is sent as the string it makes, and what is reused is keyed by what was sent', async () => {
  const auth = ['u', 'p'];
  const method = { toString() { return 'DELETE'; } };
  const got = await (await authlib.fetch(BASE + '/anything', { auth, method })).json();
  assert.equal(got.method, 'DELETE');
  // The next plain DELETE to that origin with that auth, and a GET.
  assert.equal((await (await authlib.fetch(BASE + '/anything', { auth, method: 'DELETE' })).json()).method, 'DELETE');
  assert.equal((await (await authlib.fetch(BASE + '/anything', { auth })).json()).method, 'GET');
  const c = authlib.client({ auth });
  assert.equal((await (await c.fetch(BASE + '/anything', { method })).json()).method, 'DELETE');
  assert.equal((await (await c.fetch(BASE + '/anything', { method: 'DELETE' })).json()).method, 'DELETE');
  c.close();
});

test('an auth object is read once: getters that answer differently cannot send one user\'s request with another\'s credentials', async () => {
  // Each read of a getter gives the next user: JS and Go used to read it
  // apart, so the cache key named one user and the header held another.
  const fickle = () => {
    let n = 0;
    return { type: 'basic', get username() { return ++n % 2 ? 'alice' : 'bob'; }, password: 'pw' };
  };
  const who = async (auth) => (await (await authlib.fetch(BASE + '/headers', { auth })).json()).headers.Authorization;
  const basic = (u) => authlib.basic(u, 'pw');
  assert.equal(await who({ type: 'basic', username: 'alice', password: 'pw' }), basic('alice'));
  // The first read of a fresh fickle object says alice: that is what is sent.
  assert.equal(await who(fickle()), basic('alice'));
  assert.equal(await who({ type: 'basic', username: 'bob', password: 'pw' }), basic('bob'));
  assert.equal(await who(fickle()), basic('alice'));
  // An array too.
  let reads = 0;
  const arr = ['carol', 'pw'];
  Object.defineProperty(arr, 0, { get() { reads++; return reads === 1 ? 'carol' : 'mallory'; }, enumerable: true });
  assert.equal(await who(arr), basic('carol'));
});

// Spellings that the runtime's URL parser (WHATWG) reads otherwise than a
// strict one: each gets the same outcome, and goes to the same place,
// whether or not the origin's preparation is cached.
test('a URL spelling gets the same outcome cold and with the origin cached', async () => {
  const origin = new URL(BASE);
  const hostPort = origin.host;
  const port = origin.port;
  const spellings = [
    `http://0x7f.1:${port}/anything`, `http://0177.0.0.1:${port}/anything`, `http://2130706433:${port}/anything`,
    `http:/${hostPort}/anything`, `http:${hostPort}/anything`, `http:\\\\${hostPort}\\anything`,
    `http://:@${hostPort}/anything`, `http://@${hostPort}/anything`, `HTTP://${hostPort}/anything`,
    `http://${hostPort}/any%zzthing`, `http://${hostPort}/a%`, `http://${hostPort}/anything?q=%zz`,
    ` http://${hostPort}/anything `, `http://${hostPort}/any\tthing`, `http://${hostPort}/any\nthing`,
    `http://${hostPort}./anything`, `http://127.0.0.1.:${port}/anything`, `http://${hostPort}/anything#frag`,
    `http://u:p@${hostPort}/anything`, `http://${hostPort}:/anything`, `http://[::ffff:127.0.0.1]:${port}/anything`,
  ];
  const auth = ['u', 'p'];
  for (const s of spellings) {
    const cold = authlib.client({ auth });
    const coldOut = await outcome(cold.fetch(s));
    cold.close();
    const warm = authlib.client({ auth });
    assert.equal(await outcome(warm.fetch(BASE + '/anything')), 200);
    const warmOut = await outcome(warm.fetch(s));
    warm.close();
    assert.equal(warmOut, coldOut, `${JSON.stringify(s)}: ${coldOut} cold, ${warmOut} with the origin cached`);
    // The one-call API shares a cache across calls.
    assert.equal(await outcome(authlib.fetch(BASE + '/anything', { auth })), 200);
    assert.equal(await outcome(authlib.fetch(s, { auth })), coldOut, JSON.stringify(s));
  }
});

test('a BigInt anywhere is refused by name as invalid, never an internal error', async () => {
  const url = BASE + uniq('/anything/bigint-');
  const cases = [
    [10n, {}], [url, { timeout: 10n }], [url, { retry: 2n }], [url, { retry: { max: 2n } }], [url, { retry: { base: 1n } }],
    [url, { allowInsecure: 1n }], [url, { baseURL: 1n }], [url, { origins: [1n] }], [url, { redirect: 1n }],
    [url, { method: 1n }], [url, { headers: { 'X-A': 1n } }], [url, { headers: [['X-A', 1n]] }],
    [url, { auth: 1n }], [url, { auth: [1n, 'p'] }], [url, { auth: { type: 'bearer', token: 1n } }],
    [url, { auth: { type: 'basic', username: 'u', password: 1n } }], [url, { auth: { type: 1n } }],
    [url, { auth: { type: 'oauth2', clientId: 1n, tokenURL: url } }], [url, { signal: 1n }],
  ];
  for (const [input, init] of cases) {
    for (const call of [() => authlib.fetch(input, init), () => authlib.client({}).fetch(input, init)]) {
      let p;
      assert.doesNotThrow(() => { p = call(); }, `${JSON.stringify(init, (_, v) => typeof v === 'bigint' ? `${v}n` : v)} threw synchronously`);
      const e = await p.then(() => null, (err) => err);
      assert.ok(e instanceof AuthError, `resolved or not an AuthError: ${e}`);
      assert.notEqual(e.code, 'internal', e.message);
      assert.doesNotMatch(e.message, /report it/);
    }
  }
  for (const bad of [() => authlib.client({ timeout: 1n }), () => authlib.client({ auth: [1n, 'p'] }), () => authlib.basic(1n, 'p'), () => authlib.bearer(1n)]) {
    assert.throws(bad, (e) => e instanceof AuthError && e.code !== 'internal');
  }
  assert.equal(await exchanges(new URL(url).pathname), 0);
});

test('bad arguments reject; they never throw from fetch', async () => {
  for (const args of [[undefined], [null], [42], [{}], [BASE, 'init'], [BASE, { headers: 5 }], [BASE, { headers: [[1]] }],
    [BASE, { auth: Symbol('x') }], [BASE, { method: Symbol('x') }], [BASE, { headers: { 'X-A': 'a\nb' } }]]) {
    let p;
    assert.doesNotThrow(() => { p = authlib.fetch(...args); }, String(args[1]));
    await assert.rejects(p, (e) => e instanceof AuthError);
    const c = authlib.client({});
    assert.doesNotThrow(() => { p = c.fetch(...args); });
    await assert.rejects(p, (e) => e instanceof AuthError);
    c.close();
  }
});

test('header names that are Object.prototype\'s are sent as fetch sends them', async () => {
  // Node 20's fetch itself drops __proto__ (Chromium sends it; the demo
  // test checks that): authlib sends what fetch sends.
  const headers = JSON.parse('{"__proto__": "p", "constructor": "c", "toString": "t", "X-A": "a"}');
  const raw = Object.keys((await (await fetch(BASE + '/headers', { headers })).json()).headers).sort();
  for (const auth of [['u', 'p'], undefined]) {
    for (let i = 0; i < 2; i++) { // cold, then reused
      const got = (await (await authlib.fetch(BASE + '/headers', { auth, headers })).json()).headers;
      assert.deepEqual(Object.keys(got).filter((k) => k !== 'Authorization').sort(), raw);
      assert.equal(got.Constructor, 'c');
      assert.equal(got.Tostring, 't');
    }
  }
});

test('a Headers object is read when the call is made, as fetch snapshots it, body or not', async () => {
  for (const body of [undefined, 'data', new Blob(['blob'])]) {
    const headers = new Headers({ 'X-When': 'at-call' });
    const p = authlib.fetch(BASE + '/anything', { auth: ['u', 'p'], method: 'POST', headers, body });
    headers.set('X-When', 'later');
    headers.set('X-Added', 'later');
    const got = (await (await p).json()).headers;
    assert.equal(got['X-When'], 'at-call', `body ${body}`);
    assert.equal(got['X-Added'], undefined);
  }
});

// within fails when p has not settled after ms: a call that never settles
// is the defect.
function within(p, ms, what) {
  let t;
  const timer = new Promise((_, reject) => { t = setTimeout(() => reject(new Error(`${what}: not settled after ${ms} ms`)), ms); });
  return Promise.race([p, timer]).finally(() => clearTimeout(t));
}

test('close() while calls are in flight settles each as aborted, redirects and failures included', async () => {
  const dead = 'http://127.0.0.1:9/never'; // nothing listens there
  const cases = [
    ['a redirect', ['u', 'p'], `${BASE}/redirect-to?url=${encodeURIComponent('/delay/1')}`],
    ['a slow answer', ['u', 'p'], `${BASE}/delay/1`],
    ['a failed fetch', ['u', 'p'], dead],
    ['the Go path, a redirect', (r) => { r.headers.set('X-A', 'b'); }, `${BASE}/redirect-to?url=${encodeURIComponent('/headers')}`],
    ['Digest', { type: 'digest', username: 'u', password: 'p' }, `${BASE}/digest-auth/auth/u/p/SHA-256`],
  ];
  const errors = [];
  const error = console.error;
  console.error = (...a) => errors.push(a.map(String).join(' '));
  try {
    for (const [what, auth, url] of cases) {
      const c = authlib.client({ auth });
      const p = c.fetch(url);
      c.close();
      const e = await within(p.then(() => null, (err) => err), 5000, what);
      assert.ok(e instanceof AuthError, `${what}: ${e}`);
      assert.equal(e.code, 'aborted', `${what}: ${e.message}`);
    }
    // The work of those calls ends later; it finds the Go functions it
    // calls still there (they are freed after it).
    await new Promise((r) => setTimeout(r, 2500));
  } finally {
    console.error = error;
  }
  assert.deepEqual(errors.filter((m) => /released/.test(m)), []);
  // What was in flight when the client closed still ends in Go (it is
  // freed after): the process goes on serving other calls.
  assert.equal((await authlib.fetch(BASE + '/basic-auth/u/p', { auth: ['u', 'p'] })).status, 200);
});

const SECRET = 'p@ss: 100% +sure'; // authtest's client secret
const oauthClient = { type: 'oauth2', tokenURL: BASE + '/oauth/token', clientId: 'my-app', clientSecret: SECRET };
async function grants(g) {
  const s = await (await fetch(BASE + '/stats')).json();
  return s.exchanges['grant:' + g] ?? 0;
}

test('an onToken that throws or rejects neither ends the process nor loses the token: a warning says so', async () => {
  const warnings = [];
  const warn = console.warn;
  console.warn = (...a) => warnings.push(a.map(String).join(' '));
  try {
    for (const onToken of [() => { throw new Error('disk full'); }, async () => { throw new Error('disk full'); }]) {
      warnings.length = 0;
      const before = await grants('client_credentials');
      const c = authlib.client({ auth: { ...oauthClient, onToken } });
      for (let i = 0; i < 3; i++) assert.equal((await c.fetch(BASE + '/oauth/api/user')).status, 200);
      await new Promise((r) => setTimeout(r, 20)); // a rejection is seen a tick later
      assert.equal(await grants('client_credentials') - before, 1, 'the token was lost and fetched again');
      assert.equal(warnings.length, 1, 'one warning');
      assert.match(warnings[0], /onToken/);
      assert.ok(!warnings[0].includes(SECRET));
      c.close();
    }
  } finally {
    console.warn = warn;
  }
});

test('a revoked token costs one token request, however many calls meet it and under however many cache keys', async () => {
  let token;
  const c = authlib.client({ auth: { ...oauthClient, onToken: (t) => { token = t; } } });
  assert.equal((await c.fetch(BASE + '/oauth/api/user')).status, 200);
  // Warm several cache entries: other headers, other methods.
  for (const h of [{ 'X-A': '1' }, { 'X-A': '2' }, undefined]) assert.equal((await c.fetch(BASE + '/oauth/api/user', { headers: h })).status, 200);
  await fetch(BASE + '/oauth/revoke', { method: 'POST', body: new URLSearchParams({ token: token.access_token, client_id: 'my-app', client_secret: SECRET }) });
  const before = await grants('client_credentials');
  const calls = [];
  for (let i = 0; i < 200; i++) {
    const headers = i % 3 === 0 ? undefined : { 'X-A': String(i % 3) };
    calls.push(c.fetch(BASE + '/oauth/api/user', { headers }));
  }
  const statuses = (await Promise.all(calls)).map((r) => r.status);
  assert.deepEqual([...new Set(statuses)], [200]);
  assert.equal(await grants('client_credentials') - before, 1, 'token requests after the revocation');
  c.close();
});

test('the Go path leaves nothing on the caller\'s signal once a call is over', async () => {
  const { getEventListeners } = await import('node:events');
  const ac = new AbortController();
  const auth = (r) => { r.headers.set('X-A', 'b'); }; // an auth function runs in Go
  for (let i = 0; i < 100; i++) {
    const res = await authlib.fetch(BASE + '/headers', { auth, signal: ac.signal, retry: 1 });
    await res.text();
  }
  // One that fails, and one that is aborted, too.
  await authlib.fetch('http://127.0.0.1:9/', { auth, signal: ac.signal }).catch(() => {});
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  // The signal still ends a body's read after the call resolved.
  const res = await authlib.fetch(BASE + '/drip/2', { auth, signal: ac.signal });
  ac.abort();
  await assert.rejects(res.text(), (e) => e.name === 'AbortError');
});

test('a timeout ends a read that outlives it, and a timeout\'s timer does not keep Node alive after the work is done', async () => {
  const { spawnSync } = await import('node:child_process');
  const mod = new URL('../../../web/dist/authlib.mjs', import.meta.url).href;
  const scripts = {
    'the Go path with a timeout': `const r = await a.fetch(B + '/headers', { auth: (r) => { r.headers.set('X-A', 'b'); }, timeout: 20000 }); await r.text();`,
    'the fast path with a timeout': `const r = await a.fetch(B + '/headers', { auth: ['u', 'p'], timeout: 20000 }); await r.text();`,
    'a client with a timeout': `const c = a.client({ auth: ['u', 'p'], timeout: 20000 }); await (await c.fetch(B + '/headers')).text();`,
    'an OAuth token': `const c = a.client({ auth: ${JSON.stringify(oauthClient)} }); await (await c.fetch(B + '/oauth/api/user')).text();`,
  };
  for (const [what, body] of Object.entries(scripts)) {
    const src = `import { load } from ${JSON.stringify(mod)}; const a = await load(); const B = ${JSON.stringify(BASE)}; ${body}`;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', timeout: 15000 });
    const took = Date.now() - t0;
    assert.equal(r.status, 0, `${what}: ${r.stderr}`);
    assert.ok(took < 5000, `${what}: the process took ${took} ms to exit`);
  }
  // The timeout still bounds the body's read on the Go path.
  const res = await authlib.fetch(BASE + '/drip/3', { auth: (r) => { r.headers.set('X-A', 'b'); }, timeout: 500 });
  await assert.rejects(res.text(), (e) => e.name === 'TimeoutError' || e.name === 'AbortError');
});

test('the Go entry of the OAuth flows refuses a flow it does not know (it ran a device flow)', async () => {
  const { spawnSync } = await import('node:child_process');
  const mod = new URL('../../../web/dist/authlib.mjs', import.meta.url).href;
  // The raw namespace Go hands authlib.mjs, caught on its way.
  const src = `
    let raw;
    Object.defineProperty(globalThis, '__authlib_boot', { configurable: true,
      get() { return this.b; },
      set(v) { const ready = v.ready; v.ready = (ns) => { raw = ns; ready(ns); }; this.b = v; } });
    const { load } = await import(${JSON.stringify(mod)});
    await load();
    const B = ${JSON.stringify(BASE)};
    const settings = ['', '', B + '/oauth/device', '', 'public-app', '', '', '', '', '', '', '', ''].join('\\n');
    const out = await new Promise((resolve) => raw.oauth2('bogus', settings, undefined, undefined, () => resolve('resolved'), (e) => resolve(e.code)));
    console.log(out);`;
  const before = await exchanges('/oauth/device');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', timeout: 15000 });
  assert.equal(r.stdout.trim(), 'invalid_request', r.stderr);
  assert.equal(await exchanges('/oauth/device') - before, 0, 'a device authorization request was sent');
});

test('a client dropped without close() has its Go functions freed when it is collected', async () => {
  const { spawnSync } = await import('node:child_process');
  const mod = new URL('../../../web/dist/authlib.mjs', import.meta.url).href;
  // Count the Go clients closed, by wrapping the raw client() on its way.
  const src = `
    let closed = 0;
    Object.defineProperty(globalThis, '__authlib_boot', { configurable: true,
      get() { return this.b; },
      set(v) { const ready = v.ready; v.ready = (ns) => {
        const client = ns.client;
        ns.client = (o) => { const c = client(o); const close = c.close; c.close = () => { closed++; close(); }; return c; };
        ready(ns); }; this.b = v; } });
    const { load } = await import(${JSON.stringify(mod)});
    const a = await load();
    const B = ${JSON.stringify(BASE)};
    for (let i = 0; i < 50; i++) { const c = a.client({ auth: ['u', 'p'] }); await (await c.fetch(B + '/basic-auth/u/p')).text(); }
    for (let i = 0; i < 10 && closed < 50; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
    console.log(closed);`;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', src], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Number(r.stdout.trim()) >= 45, `${r.stdout.trim()} of 50 dropped clients were freed`);
});

test('a token saved by requests-oauthlib (scope a list, expires_at a float) is used as it is', async () => {
  const res = await fetch(BASE + '/oauth/token', { method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read:user', client_id: 'my-app', client_secret: SECRET }) });
  const t = await res.json();
  // As requests-oauthlib's OAuth2Session saves it.
  const saved = { ...t, scope: t.scope.split(' '), expires_at: Date.now() / 1000 + t.expires_in - 0.25 };
  const before = await grants('client_credentials');
  const c = authlib.client({ auth: { ...oauthClient, token: saved } });
  assert.equal((await c.fetch(BASE + '/oauth/api/user')).status, 200);
  assert.equal(await grants('client_credentials') - before, 0, 'the saved token was not used');
  c.close();
  // A bad saved token is called one.
  const e = await authlib.fetch(BASE + '/oauth/api/user', { auth: { ...oauthClient, token: { access_token: 'x', scope: ['a', 1] } } }).catch((err) => err);
  assert.ok(e instanceof AuthError);
  assert.match(e.message, /saved token/);
});

test('the OAuth flows reject bad arguments as AuthErrors, never internal ones or a throw', async () => {
  const o = { issuer: BASE, clientId: 'public-app' };
  const calls = [
    () => authlib.oauth2.discover(BASE, { signal: 1n }), () => authlib.oauth2.discover(1n),
    () => authlib.oauth2.authorize({ ...o, signal: 'no' }), () => authlib.oauth2.authorize({ ...o, clientId: 1n }),
    () => authlib.oauth2.exchange({ ...o, signal: {} }), () => authlib.oauth2.device({ ...o, signal: 1n }),
  ];
  for (const call of calls) {
    let p;
    assert.doesNotThrow(() => { p = call(); }, String(call));
    const e = await p.then(() => null, (err) => err);
    assert.ok(e instanceof AuthError, `${call}: ${e}`);
    assert.notEqual(e.code, 'internal', `${call}: ${e.message}`);
  }
});

test('a header name with a colon is refused, not sent as another header', async () => {
  const path = uniq('/anything/colon-');
  for (const headers of [{ 'X-A:B': 'c' }, [['X-A:B', 'c']], [[':authority', 'x']]]) {
    for (const auth of [['u', 'p'], (r) => { r.headers.set('X-F', '1'); }]) {
      const e = await authlib.fetch(BASE + path, { auth, headers }).then(() => null, (err) => err);
      assert.ok(e instanceof AuthError, JSON.stringify(headers));
      assert.equal(e.code, 'invalid_request');
    }
  }
  assert.equal(await exchanges(path), 0);
});

test('origins on a call replace a client\'s, an empty list included; an empty entry is refused', async () => {
  const OTHER = BASE.replace('127.0.0.1', 'localhost');
  const hop = `${BASE}/redirect-to?url=${encodeURIComponent(OTHER + '/headers')}`;
  const c = authlib.client({ auth: { type: 'bearer', token: 'tok' }, origins: [OTHER] });
  const seen = async (init) => (await (await c.fetch(hop, init)).json()).headers.Authorization;
  assert.equal(await seen(), 'Bearer tok', 'the client lists the other origin');
  assert.equal(await seen({ origins: [] }), undefined, 'origins: [] on the call lists none');
  const e = await c.fetch(hop, { origins: [''] }).then(() => null, (err) => err);
  assert.ok(e instanceof AuthError);
  assert.equal(e.code, 'invalid_url');
  c.close();
});
