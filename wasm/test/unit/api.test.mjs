// The JS API, against authtest on loopback (make test passes AUTHTEST_URL).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { BASE, uniq, exchanges } from '../authtest.mjs';

const OTHER = BASE.replace('127.0.0.1', 'localhost'); // a second origin, same server
const SECRET = 'S3NT1NEL-hunter2';

let authlib;
before(async () => { authlib = await load(); });

async function rejects(promise, code) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AuthError, `not an AuthError: ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`resolved; wanted AuthError ${code}`);
}

test('load: one namespace, also on globalThis, with a version', async () => {
  assert.equal(await load(), authlib);
  assert.equal(globalThis.authlib, authlib);
  assert.match(authlib.version, /^\d+\.\d+\.\d+$/);
  assert.equal(authlib.AuthError, AuthError);
});

test('basic and bearer build header values, and throw AuthError on bad input', () => {
  assert.equal(authlib.basic('Aladdin', 'open sesame'), 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  assert.equal(authlib.basic('test', '123£'), 'Basic dGVzdDoxMjPCow==');
  assert.equal(authlib.bearer('ghp_abc=='), 'Bearer ghp_abc==');
  for (const bad of [() => authlib.basic('a:b', 'x'), () => authlib.basic('a', 'x\n'), () => authlib.basic('a'),
    () => authlib.bearer('tok en'), () => authlib.bearer(42)]) {
    assert.throws(bad, (e) => e instanceof AuthError && e.code === 'invalid_credentials');
  }
});

test('every auth form', async () => {
  const cases = [
    [['user', 'pass'], '/basic-auth/user/pass', 200],
    [['user', 'wrong'], '/basic-auth/user/pass', 401],
    [{ type: 'basic', username: 'user', password: 'pass' }, '/basic-auth/user/pass', 200],
    [{ username: 'user', password: 'pass' }, '/basic-auth/user/pass', 200],
    [{ type: 'digest', username: 'user', password: 'pass' }, '/digest-auth/auth/user/pass/SHA-256', 200],
    [{ type: 'digest', username: 'user', password: 'nope' }, '/digest-auth/auth-int/user/pass/SHA-512-256', 401],
    [{ type: 'bearer', token: 'ghp_abc' }, '/bearer/ghp_abc', 200],
    [{ type: 'header', name: 'X-TokenAuth', value: 'tok' }, '/token-auth/tok', 200],
    // The seed's TokenAuth, as a function; and an async one.
    [(r) => { r.headers.set('X-TokenAuth', '12345abcde-token'); }, '/token-auth/12345abcde-token', 200],
    [async (r) => { await null; r.headers.set('X-TokenAuth', 'late'); }, '/token-auth/late', 200],
    [null, '/basic-auth/user/pass', 401],
  ];
  for (const [auth, path, want] of cases) {
    const res = await authlib.fetch(BASE + path, { auth });
    assert.ok(res instanceof Response, 'a real WHATWG Response');
    assert.equal(res.status, want, `${JSON.stringify(auth)} ${path}`);
    assert.equal(res.ok, want === 200);
    const body = await res.json();
    assert.equal(body.authenticated, want === 200);
  }
});

test('a 401 resolves with its challenge readable', async () => {
  const res = await authlib.fetch(BASE + '/basic-auth/user/pass', { auth: ['user', 'bad'] });
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate'), /^Basic realm="authtest"/);
});

test('an auth function that throws rejects only that call', async () => {
  const boom = new Error('boom');
  const e = await rejects(authlib.fetch(BASE + '/headers', { auth: () => { throw boom; } }), 'invalid_credentials');
  assert.equal(e.cause, boom);
  await rejects(authlib.fetch(BASE + '/headers', { auth: async () => { throw boom; } }), 'invalid_credentials');
  const res = await authlib.fetch(BASE + '/basic-auth/user/pass', { auth: ['user', 'pass'] });
  assert.equal(res.status, 200, 'the Go program survived');
});

test('client(): Digest costs N+1 exchanges across calls', async () => {
  const user = uniq('n');
  const c = authlib.client({ auth: { type: 'digest', username: user, password: 'p' }, baseURL: BASE });
  for (let i = 0; i < 10; i++) {
    const res = await c.fetch(`/digest-auth/auth/${user}/p/SHA-256`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  }
  assert.equal(await exchanges(`/digest-auth/auth/${user}/p/SHA-256`), 11);
  // A nonce gone stale comes back to Go from the one-call path: one more
  // exchange each time (after uses 3 and 6 of 7).
  const stale = uniq('s');
  const cs = authlib.client({ auth: { type: 'digest', username: stale, password: 'p' } });
  for (let i = 0; i < 7; i++) {
    assert.equal((await cs.fetch(`${BASE}/digest-auth/auth/${stale}/p/MD5?stale_after=3`)).status, 200);
  }
  assert.equal(await exchanges(`/digest-auth/auth/${stale}/p/MD5`), 10);
  cs.close();
  // Without a client each call starts over: two exchanges each.
  const u2 = uniq('m');
  for (let i = 0; i < 3; i++) {
    await authlib.fetch(`${BASE}/digest-auth/auth/${u2}/p/MD5`, { auth: { type: 'digest', username: u2, password: 'p' } });
  }
  assert.equal(await exchanges(`/digest-auth/auth/${u2}/p/MD5`), 6);
  c.close();
  assert.equal(c.fetch, undefined);
});

test('client(): a repeat Digest request to any URL of the origin is answered in one lean call', async () => {
  // Absolute URLs take the JS path: Go prepared the first answer; each next
  // request gets only a new Authorization from Go (its nonce counted, its
  // uri this request's). A wrong uri or a repeated count would cost a 401
  // and one more exchange each, against a server that refuses any reuse.
  const user = uniq('a');
  const path = `/digest-auth/auth/${user}/p/SHA-256`;
  const c = authlib.client({ auth: { type: 'digest', username: user, password: 'p' } });
  const statuses = [];
  for (let i = 0; i < 12; i++) {
    const res = await c.fetch(`${BASE}${path}?strict_nc=true&i=${i}`);
    statuses.push(res.status);
    await res.arrayBuffer();
  }
  assert.deepEqual(statuses, Array(12).fill(200));
  assert.equal(await exchanges(path), 13);
  // Concurrent ones too all succeed: an answer that arrives after a higher
  // count was refused, and answered again (so some cost two exchanges).
  const many = await Promise.all(Array.from({ length: 16 }, (_, i) => c.fetch(`${BASE}${path}?strict_nc=true&j=${i}`).then((r) => r.status)));
  assert.deepEqual(many, Array(16).fill(200));
  const n = await exchanges(path);
  assert.ok(n >= 29 && n <= 13 + 32, `${n} exchanges for 12 + 16 requests`);
  c.close();
});

test('bodies of every kind are sent as fetch would send them', async () => {
  const echo = async (body, init = {}) => (await (await authlib.fetch(BASE + '/anything', { method: 'POST', body, ...init })).json());
  assert.equal((await echo('plain')).data, 'plain');
  assert.equal((await echo('plain')).headers['Content-Type'], 'text/plain;charset=UTF-8');
  assert.equal((await echo(new Uint8Array([104, 105]))).data, 'hi');
  const form = await echo(new URLSearchParams({ a: '1', b: 'x y' }));
  assert.equal(form.data, 'a=1&b=x+y');
  assert.match(form.headers['Content-Type'], /application\/x-www-form-urlencoded/);
  const json = await echo(JSON.stringify({ k: 1 }), { headers: { 'Content-Type': 'application/json' } });
  assert.equal(json.headers['Content-Type'], 'application/json');
  const req = new Request(BASE + '/anything', { method: 'PUT', body: 'from a Request', headers: { 'X-A': 'b' } });
  const fromReq = await (await authlib.fetch(req)).json();
  assert.equal(fromReq.method, 'PUT');
  assert.equal(fromReq.data, 'from a Request');
  assert.equal(fromReq.headers['X-A'], 'b');
  // Digest auth-int signs the body; a retry after the challenge resends it.
  const res = await authlib.fetch(BASE + '/digest-auth/auth-int/u/p/SHA-256', { method: 'POST', body: 'signed', auth: { type: 'digest', username: 'u', password: 'p' } });
  assert.equal(res.status, 200);
});

test('headers of every form reach the server and the auth function, read in JS and handed to Go as one string', async () => {
  const seen = [];
  const auth = (r) => {
    seen.push([r.method, r.url, r.headers.get('x-a'), r.headers.get('x-n')]);
    r.headers.set('X-TokenAuth', 'tok');
  };
  for (const headers of [new Headers({ 'X-A': 'h', 'X-N': '1' }), [['X-A', 'h'], ['X-N', 1]], { 'X-A': 'h', 'X-N': 1 }]) {
    const got = await (await authlib.fetch(BASE + '/headers', { headers, auth })).json();
    assert.equal(got.headers['X-A'], 'h');
    assert.equal(got.headers['X-N'], '1');
    assert.equal(got.headers['X-Tokenauth'], 'tok');
  }
  assert.deepEqual(seen, Array(3).fill(['GET', BASE + '/headers', 'h', '1']));
  // init's fields win over a Request's, and the auth function sees them.
  const req = new Request(BASE + '/anything', { method: 'PUT', body: 'req body', headers: { 'X-A': 'from request' } });
  const over = await (await authlib.fetch(req, { method: 'POST', headers: { 'X-A': 'from init' }, auth })).json();
  assert.equal(over.method, 'POST');
  assert.equal(over.data, 'req body');
  assert.equal(over.headers['X-A'], 'from init');
  assert.equal(seen.at(-1)[0], 'POST');
  // What the lines cannot carry, and what is no header, is refused before
  // anything is sent.
  await rejects(authlib.fetch(BASE + '/headers', { headers: { 'X-Bad': {} } }), 'invalid_request');
  await rejects(authlib.fetch(BASE + '/headers', { headers: [['X-A']] , body: 'x', method: 'POST' }), 'invalid_request');
  await rejects(authlib.fetch(BASE + '/headers', { headers: { 'X\nY': 'v' } }), 'invalid_request');
  await rejects(authlib.fetch(BASE + '/headers', { headers: { 'X Y': 'v' } }), 'invalid_request');
  await rejects(authlib.fetch(BASE + '/headers', { headers: 'X-A: 1' }), 'invalid_request');
  await rejects(authlib.fetch(42), 'invalid_url');
  // A URL, or an object like one, is its href.
  assert.equal((await authlib.fetch(new URL(BASE + '/basic-auth/u/p'), { auth: ['u', 'p'] })).status, 200);
  assert.equal((await authlib.fetch({ href: BASE + '/basic-auth/u/p' }, { auth: ['u', 'p'] })).status, 200);
});

test('a POST with a body: 307 and 308 send it again, 303 turns it into a GET, each with the credentials on the same origin', async () => {
  const to = encodeURIComponent('/anything');
  for (const [code, method, data] of [[307, 'POST', 'the body'], [308, 'POST', 'the body'], [303, 'GET', ''], [302, 'GET', '']]) {
    const res = await authlib.fetch(`${BASE}/redirect-to?url=${to}&status_code=${code}`, { method: 'POST', body: 'the body', auth: ['u', 'p'] });
    const got = await res.json();
    assert.equal(got.method, method, `${code}`);
    assert.equal(got.data, data, `${code}`);
    assert.equal(got.headers.Authorization, 'Basic ' + btoa('u:p'), `${code}`);
  }
  // What is reused for the next POST never carries the last one's body.
  for (const b of ['one', 'two', 'three']) {
    const got = await (await authlib.fetch(BASE + '/anything', { method: 'POST', body: b, auth: ['u', 'p'] })).json();
    assert.equal(got.data, b);
  }
  // A Digest POST with auth-int signs the body on the JS path too.
  const c = authlib.client({ auth: { type: 'digest', username: 'u', password: 'p' } });
  for (let i = 0; i < 3; i++) {
    const res = await c.fetch(BASE + '/digest-auth/auth-int/u/p/SHA-256', { method: 'POST', body: 'signed ' + i });
    assert.equal(res.status, 200);
  }
  c.close();
  // Digest answers for the method sent: HEAD and GET alternate, each
  // answered at once after the first challenge.
  const user = uniq('h');
  const path = `/digest-auth/auth/${user}/p/MD5`;
  const d = authlib.client({ auth: { type: 'digest', username: user, password: 'p' } });
  for (let i = 0; i < 6; i++) assert.equal((await d.fetch(BASE + path, { method: i % 2 ? 'HEAD' : 'GET' })).status, 200);
  assert.equal(await exchanges(path), 7);
  d.close();
});

test('redirects in Node: the Client follows, and strips every credential off-origin', async () => {
  const to = encodeURIComponent(OTHER + '/headers');
  const auth = (r) => { r.headers.set('Authorization', 'Bearer tok'); r.headers.set('X-TokenAuth', 'tok'); };
  const off = await (await authlib.fetch(`${BASE}/redirect-to?url=${to}`, { auth })).json();
  assert.equal(off.headers.Authorization, undefined);
  assert.equal(off.headers['X-Tokenauth'], undefined);
  const same = await (await authlib.fetch(`${BASE}/redirect-to?url=%2Fheaders`, { auth })).json();
  assert.equal(same.headers.Authorization, 'Bearer tok');
  assert.equal(same.headers['X-Tokenauth'], 'tok');
  const listed = authlib.client({ auth, origins: [OTHER] });
  const wide = await (await listed.fetch(`${BASE}/redirect-to?url=${to}`)).json();
  assert.equal(wide.headers['X-Tokenauth'], 'tok');
  const manual = await authlib.fetch(`${BASE}/redirect-to?url=${to}`, { redirect: 'manual' });
  assert.equal(manual.status, 302);
});

test('redirects on the fast path (a scheme that only adds headers) are followed by the Client too', async () => {
  const to = encodeURIComponent(OTHER + '/headers');
  for (const auth of [['user', 'pass'], { type: 'header', name: 'X-TokenAuth', value: 'tok' }, { type: 'bearer', token: 'tok' }]) {
    const off = await (await authlib.fetch(`${BASE}/redirect-to?url=${to}`, { auth })).json();
    assert.equal(off.headers.Authorization, undefined, JSON.stringify(auth));
    assert.equal(off.headers['X-Tokenauth'], undefined, JSON.stringify(auth));
    const same = await (await authlib.fetch(`${BASE}/redirect-to?url=%2Fheaders`, { auth })).json();
    assert.ok(same.headers.Authorization || same.headers['X-Tokenauth'], `same origin kept ${JSON.stringify(auth)}`);
  }
  // A 303 after HEAD, and the redirect count bound, on the same path.
  const chain = (n) => { let u = BASE + '/headers'; for (let i = 0; i < n; i++) u = `${BASE}/redirect-to?url=${encodeURIComponent(u)}`; return u; };
  await rejects(authlib.fetch(chain(11), { auth: ['user', 'pass'] }), 'too_many_redirects');
  assert.equal((await authlib.fetch(chain(3), { auth: ['user', 'pass'] })).status, 200);
});

test('every AuthError code that can be provoked in Node', async () => {
  const e = await rejects(authlib.fetch('hppts://api.github.com/user', { auth: ['u', 'p'] }), 'invalid_url');
  assert.match(e.message, /did you mean "https:\/\/"\?/);
  await rejects(authlib.fetch(`https://user:${SECRET}@example.com/`), 'invalid_url');
  await rejects(authlib.fetch('/relative/without/base'), 'invalid_url');
  await rejects(authlib.fetch(BASE + '/headers', { auth: ['u:x', SECRET] }), 'invalid_credentials');
  await rejects(authlib.fetch(BASE + '/headers', { auth: { type: 'nope' } }), 'invalid_credentials');
  await rejects(authlib.fetch(BASE + '/headers', { headers: { 'X-Bad': 'a\r\nb' } }), 'invalid_request');
  await rejects(authlib.fetch('http://api.example.com/', { auth: ['u', SECRET] }), 'insecure_transport');
  await rejects(authlib.fetch(BASE + '/basic-auth/u/p', { auth: { type: 'digest', username: 'u', password: 'p' } }), 'challenge');
  await rejects(authlib.fetch(`${BASE}/redirect-to?url=${encodeURIComponent('ftp://example.com/')}`), 'redirect_blocked');
  await rejects(authlib.fetch('http://127.0.0.1:1/', { auth: ['u', SECRET] }), 'network');
  await rejects(authlib.fetch('http://127.0.0.1:1/', { retry: { max: 1, base: 1 } }), 'retries_exhausted');
  await rejects(authlib.fetch(BASE + '/delay/3', { timeout: 100 }), 'timeout');
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  await rejects(authlib.fetch(BASE + '/delay/3', { signal: ac.signal }), 'aborted');
  await rejects(authlib.fetch(BASE + '/headers', { signal: AbortSignal.abort() }), 'aborted');
  // With credentials too, through a client, and a signal that times out.
  const c = authlib.client({ auth: ['u', 'p'] });
  const ac2 = new AbortController();
  setTimeout(() => ac2.abort(), 50);
  await rejects(c.fetch(BASE + '/delay/3', { signal: ac2.signal }), 'aborted');
  await rejects(c.fetch(BASE + '/delay/3', { signal: AbortSignal.timeout(50) }), 'timeout');
  assert.equal((await c.fetch(BASE + '/basic-auth/u/p', { signal: new AbortController().signal })).status, 200);
  // A timeout, the client's or the call's, ends the request; with a signal
  // of the caller's, whichever ends first.
  const slow = authlib.client({ auth: ['u', 'p'], timeout: 100 });
  await rejects(slow.fetch(BASE + '/delay/3'), 'timeout');
  assert.equal((await slow.fetch(BASE + '/basic-auth/u/p')).status, 200);
  await rejects(slow.fetch(BASE + '/delay/3', { timeout: 50, signal: new AbortController().signal }), 'timeout');
  const early = new AbortController();
  setTimeout(() => early.abort(), 30);
  await rejects(slow.fetch(BASE + '/delay/3', { signal: early.signal }), 'aborted');
  assert.equal((await slow.fetch(BASE + '/basic-auth/u/p', { timeout: 0 })).status, 200);
  // The timeout bounds reading the body too, on either path (the JS one,
  // and Go's with a retry).
  for (const init of [{}, { retry: { max: 1, base: 1 } }]) {
    const res = await slow.fetch(BASE + '/drip/3', { ...init, timeout: 300 });
    assert.equal(res.status, 200);
    await assert.rejects(res.arrayBuffer(), (e) => ['AbortError', 'TimeoutError'].includes(e.name), JSON.stringify(init));
  }
  // A redirect followed by Go keeps the time left, not a new one.
  const t0 = Date.now();
  await rejects(slow.fetch(`${BASE}/redirect-to?url=${encodeURIComponent('/delay/3')}`), 'timeout');
  assert.ok(Date.now() - t0 < 1000, 'the redirect got more time');
  slow.close();
  // What is reused never keeps a signal: each request has its own.
  const gone = new AbortController();
  gone.abort();
  assert.equal((await c.fetch(BASE + '/basic-auth/u/p', { signal: new AbortController().signal })).status, 200);
  await rejects(c.fetch(BASE + '/basic-auth/u/p', { signal: gone.signal }), 'aborted');
  assert.equal((await c.fetch(BASE + '/basic-auth/u/p')).status, 200);
  c.close();
});

test('too many redirects', async () => {
  const chain = (n) => { let u = BASE + '/headers'; for (let i = 0; i < n; i++) u = `${BASE}/redirect-to?url=${encodeURIComponent(u)}`; return u; };
  assert.equal((await authlib.fetch(chain(10))).status, 200);
  await rejects(authlib.fetch(chain(11)), 'too_many_redirects');
});

test('retry: idempotent requests are retried on 503, POST is not', async () => {
  const key = uniq('k');
  const res = await authlib.fetch(`${BASE}/flaky/2/503/${key}`, { retry: { max: 3, base: 1 } });
  assert.equal(res.status, 200);
  assert.equal(await exchanges(`/flaky/2/503/${key}`), 3);
  const k2 = uniq('p');
  const post = await authlib.fetch(`${BASE}/flaky/1/503/${k2}`, { method: 'POST', body: 'x', retry: 3 });
  assert.equal(post.status, 503);
});

test('no error message contains the secret', async () => {
  const attempts = [
    () => authlib.fetch(BASE + '/headers', { auth: [`u:${SECRET}`, SECRET] }),
    () => authlib.fetch(BASE + '/headers', { auth: ['u', SECRET + '\n'] }),
    () => authlib.fetch(BASE + '/headers', { auth: { type: 'bearer', token: SECRET + ' x' } }),
    () => authlib.fetch(BASE + '/headers', { auth: { type: 'header', name: 'X-TokenAuth', value: SECRET + '\r\n' } }),
    () => authlib.fetch(BASE + '/headers', { auth: { type: 'digest', username: 'u', password: SECRET + '\0' } }),
    () => authlib.fetch(BASE + '/headers', { auth: (r) => { r.headers.set('X-Sig', SECRET + 'é'); } }),
    () => authlib.fetch(BASE + '/headers', { headers: { Authorization: 'Bearer ' + SECRET + '\n' } }),
    () => authlib.fetch(`https://u:${SECRET}@example.com/`),
    () => authlib.fetch(`hppts://u:${SECRET}@example.com/`),
    () => authlib.fetch(`http://api.example.com/?token=${SECRET}`, { auth: ['u', SECRET] }),
    () => authlib.fetch(`http://127.0.0.1:1/?token=${SECRET}`, { auth: { type: 'bearer', token: SECRET } }),
    () => authlib.fetch(`http://127.0.0.1:1/?token=${SECRET}`, { auth: ['u', SECRET], retry: { max: 1, base: 1 } }),
    () => authlib.fetch(`${BASE}/delay/3?token=${SECRET}`, { auth: ['u', SECRET], timeout: 50 }),
    () => authlib.fetch(`${BASE}/redirect-to?url=${encodeURIComponent(`http://u:${SECRET}@127.0.0.1/`)}`, { auth: ['u', SECRET] }),
  ];
  const sync = [() => authlib.basic(`u:${SECRET}`, SECRET), () => authlib.bearer(SECRET + '\n'), () => authlib.client({ auth: { type: 'bearer', token: 1 } })];
  const errors = [];
  for (const p of attempts) {
    try { await p(); assert.fail('resolved'); } catch (e) { errors.push(e); }
  }
  for (const f of sync) {
    try { f(); assert.fail('returned'); } catch (e) { errors.push(e); }
  }
  assert.equal(errors.length, attempts.length + sync.length);
  for (const e of errors) {
    assert.ok(e instanceof AuthError, String(e));
    for (const s of [e.message, String(e), e.stack, JSON.stringify(e)]) {
      assert.ok(!String(s).includes(SECRET), `${e.code}: ${s}`);
    }
  }
});

test('a failed request is sent once: no hidden retry', async () => {
  const { createServer } = await import('node:http');
  let hits = 0;
  const srv = createServer((req) => { hits++; req.socket.destroy(); });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${srv.address().port}/?token=${SECRET}`;
  try {
    const e = await rejects(authlib.fetch(url, { auth: ['u', SECRET] }), 'network');
    assert.ok(!e.message.includes(SECRET), e.message);
    assert.equal(hits, 1, 'authlib.fetch');
    const c = authlib.client({ auth: { type: 'bearer', token: SECRET } });
    await rejects(c.fetch(url), 'network');
    c.close();
    assert.equal(hits, 2, 'client.fetch');
    // With retries asked for, it is retried.
    await rejects(authlib.fetch(url, { auth: ['u', SECRET], retry: { max: 2, base: 1 } }), 'retries_exhausted');
    assert.equal(hits, 5, 'retry: 2 → 3 attempts');
  } finally {
    srv.close();
  }
});

test('repeat requests reuse what Go prepared, per origin and credentials, and never carry it elsewhere', async () => {
  const path = uniq('/token-auth/tok-');
  const token = path.split('/').pop();
  const auth = { type: 'header', name: 'X-TokenAuth', value: token };
  for (let i = 0; i < 3; i++) assert.equal((await authlib.fetch(BASE + path, { auth })).status, 200);
  // Other credentials are other entries: a wrong token stays wrong, the right one right.
  assert.equal((await authlib.fetch(BASE + path, { auth: { ...auth, value: 'wrong' } })).status, 401);
  assert.equal((await authlib.fetch(BASE + path, { auth })).status, 200);
  // With the origin's entry warm, a redirect to another origin still goes
  // through Go, which strips the credential there.
  const res = await authlib.fetch(`${BASE}/redirect-to?url=${encodeURIComponent(OTHER + '/headers')}`, { auth });
  const seen = (await res.json()).headers;
  assert.equal(seen['X-Tokenauth'], undefined, 'the token followed a redirect to another origin');
  // Headers are part of what is reused: each set reaches the server as it
  // was given, the credential with it.
  for (let i = 0; i < 4; i++) {
    const headers = i % 2 ? { 'X-A': 'odd' } : new Headers({ 'X-A': 'even', 'X-B': String(i) });
    const got = (await (await authlib.fetch(BASE + '/headers', { auth, headers, method: 'GET' })).json()).headers;
    assert.equal(got['X-A'], i % 2 ? 'odd' : 'even');
    assert.equal(got['X-B'], i % 2 ? undefined : String(i));
    assert.equal(got['X-Tokenauth'], token);
  }
  // A client's entries go with it.
  const c = authlib.client({ auth: ['user', 'pass'] });
  for (let i = 0; i < 3; i++) assert.equal((await c.fetch(BASE + '/basic-auth/user/pass')).status, 200);
  c.close();
  assert.equal(c.fetch, undefined);
});

test('options of the wrong kind are refused, naming the option, before anything is sent', async () => {
  const path = uniq('/anything/bad-options-');
  const bad = [
    [{ timeout: 'soon' }, 'invalid_request', /timeout/],
    [{ timeout: -1 }, 'invalid_request', /timeout/],
    [{ retry: -1 }, 'invalid_request', /retry/],
    [{ retry: 101 }, 'invalid_request', /retry/],
    [{ retry: 'twice' }, 'invalid_request', /retry/],
    [{ retry: { max: 'a' } }, 'invalid_request', /retry\.max/],
    [{ retry: { base: -5 } }, 'invalid_request', /retry\.base/],
    [{ allowInsecure: 'yes' }, 'invalid_request', /allowInsecure/],
    [{ baseURL: 5 }, 'invalid_url', /baseURL/],
    [{ baseURL: 'hppts://x.example/' }, 'invalid_url', /https/],
    [{ origins: 'http://a.example' }, 'invalid_url', /origins/],
    [{ origins: [5] }, 'invalid_url', /origins/],
    [{ redirect: 'error' }, 'invalid_request', /redirect/],
    [{ auth: 42 }, 'invalid_credentials', /auth/],
    [{ auth: ['u'] }, 'invalid_credentials', /\[user, password\]/],
    [{ auth: { type: 'bearer', token: 7 } }, 'invalid_credentials', /auth\.token/],
    [{ auth: { type: 'digest', username: 'u' } }, 'invalid_credentials', /auth\.password/],
  ];
  for (const [opts, code, msg] of bad) {
    for (const call of [() => authlib.fetch(BASE + path, { ...opts, auth: opts.auth ?? ['u', SECRET] }),
      async () => authlib.client({ ...opts, auth: opts.auth ?? ['u', SECRET] }).fetch(BASE + path)]) {
      let e;
      try {
        e = await rejects(call(), code);
      } catch (thrown) {
        // client() itself throws on bad options.
        if (!(thrown instanceof AuthError)) throw thrown;
        e = thrown;
        assert.equal(e.code, code, e.message);
      }
      assert.match(e.message, msg, JSON.stringify(opts));
      assert.ok(!e.message.includes(SECRET));
    }
  }
  assert.equal(await exchanges(path), 0);
});
