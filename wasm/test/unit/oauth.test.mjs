// OAuth 2.0 through the JS API, against authtest's mock authorization
// server on loopback (make test passes AUTHTEST_URL).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { load, AuthError } from '../../../web/dist/authlib.mjs';

const BASE = process.env.AUTHTEST_URL;
if (!BASE) throw new Error('AUTHTEST_URL is not set: run through make test, which starts authtest');
const SECRET = 'p@ss: 100% +sure'; // authtest's client secret: ':', '%', '+' and spaces
const client = { issuer: BASE, clientId: 'my-app', clientSecret: SECRET };

let authlib;
before(async () => { authlib = await load(); });

async function grants(g) {
  const s = await (await fetch(BASE + '/stats')).json();
  return s.exchanges['grant:' + g] ?? 0;
}

async function apiCalls() {
  const s = await (await fetch(BASE + '/stats')).json();
  return s.exchanges['/oauth/api/user'] ?? 0;
}

async function oauthError(promise, error) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AuthError, `not an AuthError: ${e}`);
    assert.equal(e.code, 'oauth', e.message);
    assert.equal(e.error, error, e.message);
    assert.ok(!e.message.includes(SECRET));
    return e;
  }
  assert.fail(`resolved; wanted AuthError oauth ${error}`);
}

// login runs the authorization code flow as a browser would: go to the
// URL, follow the redirect back by hand, exchange.
async function login() {
  const opts = { ...client, redirectURI: 'http://127.0.0.1/callback', scope: ['read:user'] };
  const { url, state, codeVerifier } = await authlib.oauth2.authorize(opts);
  assert.match(url, /code_challenge_method=S256/);
  const back = (await fetch(url, { redirect: 'manual' })).headers.get('location');
  return authlib.oauth2.exchange({ ...opts, callback: back, state, codeVerifier });
}

test('discover reads the metadata', async () => {
  const m = await authlib.oauth2.discover(BASE);
  assert.equal(m.issuer, BASE);
  assert.equal(m.token_endpoint, BASE + '/oauth/token');
  assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
});

test('client credentials, Basic and post, with a secret of :, %, + and spaces', async () => {
  for (const clientAuth of ['basic', 'post', undefined]) {
    const before = await grants('client_credentials');
    const api = authlib.client({ auth: { type: 'oauth2', ...client, clientAuth, scope: 'read:user' } });
    for (let i = 0; i < 3; i++) {
      const res = await api.fetch(BASE + '/oauth/api/user');
      assert.equal(res.status, 200, clientAuth);
      assert.deepEqual(await res.json(), { login: 'my-app', scope: 'read:user' });
    }
    api.close();
    assert.equal(await grants('client_credentials') - before, 1, 'one token for three calls');
  }
  await oauthError(authlib.fetch(BASE + '/oauth/api/user', { auth: { type: 'oauth2', ...client, clientSecret: 'wrong' } }), 'invalid_client');
});

test('refresh: an expired token is renewed once, and onToken sees the rotation', async () => {
  const tok = await login();
  assert.ok(tok.refresh_token && tok.access_token && tok.expires_at > Date.now() / 1000);
  const saved = [];
  const expired = { ...tok, expires_at: Math.floor(Date.now() / 1000) - 60, expires_in: undefined };
  const api = authlib.client({ auth: { type: 'oauth2', ...client, token: expired, onToken: (t) => saved.push(t) } });
  const before = await grants('refresh_token');
  const results = await Promise.all(Array.from({ length: 20 }, () => api.fetch(BASE + '/oauth/api/user')));
  assert.deepEqual(results.map((r) => r.status), Array(20).fill(200));
  assert.equal(await grants('refresh_token') - before, 1, 'one refresh for 20 concurrent calls');
  assert.equal(saved.length, 1);
  assert.notEqual(saved[0].refresh_token, tok.refresh_token, 'the refresh token rotated');
  assert.equal(saved[0].token_type, 'Bearer');
  api.close();
  // The old refresh token is spent: a client holding it gets invalid_grant.
  const stale = authlib.client({ auth: { type: 'oauth2', ...client, token: expired } });
  await oauthError(stale.fetch(BASE + '/oauth/api/user'), 'invalid_grant');
});

test('device flow: onCode once, then the token', async () => {
  const codes = [];
  const tok = await authlib.oauth2.device({
    issuer: BASE, clientId: 'public-app', scope: 'read:user',
    onCode: (c) => { codes.push(c); fetch(c.verification_uri_complete); }, // the user approves
  });
  assert.equal(codes.length, 1);
  assert.match(codes[0].user_code, /^[A-Z]{4}-[A-Z]{4}$/);
  assert.equal(codes[0].verification_uri, BASE + '/oauth/device/approve');
  assert.ok(codes[0].verification_uri_complete.startsWith(codes[0].verification_uri + '?'));
  assert.equal(typeof codes[0].expires_in, 'number');
  assert.ok(codes[0].expires_in > 0);
  const res = await authlib.fetch(BASE + '/oauth/api/user', { auth: { type: 'oauth2', issuer: BASE, clientId: 'public-app', token: tok } });
  assert.equal(res.status, 200);

  await oauthError(authlib.oauth2.device({
    issuer: BASE, clientId: 'public-app',
    onCode: (c) => { fetch(c.verification_uri_complete + '&deny=1'); },
  }), 'access_denied');

  const ctl = new AbortController();
  const p = authlib.oauth2.device({ issuer: BASE, clientId: 'public-app', signal: ctl.signal, onCode: () => ctl.abort() });
  await assert.rejects(p, (e) => e instanceof AuthError && e.code === 'aborted');
});

test('every flow takes a signal: one already aborted ends it before anything is sent', async () => {
  const signal = AbortSignal.abort();
  const before = await grants('authorization_code');
  const aborted = (e) => e instanceof AuthError && e.code === 'aborted';
  await assert.rejects(authlib.oauth2.discover(BASE, { signal }), aborted);
  await assert.rejects(authlib.oauth2.authorize({ ...client, redirectURI: 'http://127.0.0.1/callback', signal }), aborted);
  await assert.rejects(authlib.oauth2.exchange({ ...client, redirectURI: 'http://127.0.0.1/callback', callback: 'http://127.0.0.1/callback?code=c&state=s', state: 's', codeVerifier: 'v'.repeat(43), signal }), aborted);
  assert.equal(await grants('authorization_code'), before);
  // A flow that ends takes its listener off a signal that lives on.
  const live = new AbortController().signal;
  await authlib.oauth2.discover(BASE, { signal: live });
  await assert.rejects(authlib.oauth2.exchange({ ...client, callback: 'http://127.0.0.1/callback?state=x', state: 'y', codeVerifier: 'v'.repeat(43), signal: live }));
  assert.equal(getEventListeners(live, 'abort').length, 0);
});

test('OAuth failures are AuthError oauth with the RFC code', async () => {
  const opts = { ...client, redirectURI: 'http://127.0.0.1/callback' };
  const { url, state, codeVerifier } = await authlib.oauth2.authorize({ ...opts, params: { login_hint: 'deny' } });
  const back = (await fetch(url, { redirect: 'manual' })).headers.get('location');
  const e = await oauthError(authlib.oauth2.exchange({ ...opts, callback: back, state, codeVerifier }), 'access_denied');
  assert.equal(e.errorDescription, 'The user said no');
  const ok = await authlib.oauth2.authorize(opts);
  const back2 = (await fetch(ok.url, { redirect: 'manual' })).headers.get('location');
  await oauthError(authlib.oauth2.exchange({ ...opts, callback: back2, state: 'forged-state-value', codeVerifier: ok.codeVerifier }), 'invalid_callback');
  await oauthError(authlib.oauth2.exchange({ ...opts, callback: back2, state: ok.state, codeVerifier: ok.codeVerifier + 'x' }), 'invalid_grant');
  await assert.rejects(authlib.oauth2.device({ clientId: 'x' }), (e) => e.code === 'invalid_request');
});

test('OAuth settings of the wrong kind are refused, by name, before anything is sent', async () => {
  const PROBE = BASE + '/probe-oauth-settings';
  const c = { tokenURL: PROBE + '/token', clientId: 'my-app', clientSecret: SECRET };
  const bad = [
    [{ ...c, clientSecret: 42 }, /clientSecret must be a string/],
    [{ ...c, clientId: 'my-app\nX-Injected: 1' }, /clientId must be a string.*without line breaks/],
    [{ ...c, scope: ['read:user', 7] }, /scope must be a string/],
    [{ ...c, clientAuth: 'mtls' }, /clientAuth is "basic", "post", "none", "private_key_jwt" or "client_secret_jwt"/],
    [{ ...c, token: 'not json' }, /saved token is not a JSON object/],
    [{ ...c, clientId: undefined }, /needs clientId/],
  ];
  for (const [o, msg] of bad) {
    await assert.rejects(authlib.fetch(PROBE + '/api', { auth: { type: 'oauth2', ...o } }), (e) => {
      assert.ok(e instanceof AuthError && e.code !== 'network', `${e.code}: ${e.message}`);
      assert.match(e.message, msg);
      assert.ok(!e.message.includes(SECRET));
      return true;
    });
  }
  await assert.rejects(authlib.oauth2.authorize(null), (e) => e.code === 'invalid_request' && /options are an object/.test(e.message));
  const s = await (await fetch(BASE + '/stats')).json();
  assert.deepEqual(Object.keys(s.exchanges).filter((k) => k.startsWith('/probe-oauth-settings')), []);
});

test('a scope given as an array or with extra spaces is sent as names joined by one space', async () => {
  for (const scope of [['read:user', 'write:user'], '  read:user \t write:user ']) {
    const api = authlib.client({ auth: { type: 'oauth2', ...client, scope } });
    const res = await api.fetch(BASE + '/oauth/api/user');
    assert.deepEqual(await res.json(), { login: 'my-app', scope: 'read:user write:user' });
  }
});

test('a revoked token: the 401 comes back to Go, which renews the token once', async () => {
  const tok = await login();
  const saved = [];
  const api = authlib.client({ auth: { type: 'oauth2', ...client, token: tok, onToken: (t) => saved.push(t) } });
  assert.equal((await api.fetch(BASE + '/oauth/api/user')).status, 200);
  await fetch(BASE + '/oauth/revoke', { method: 'POST', body: new URLSearchParams({ token: tok.access_token, client_id: 'my-app', client_secret: SECRET }) });
  const before = await grants('refresh_token');
  const res = await api.fetch(BASE + '/oauth/api/user');
  assert.equal(res.status, 200);
  assert.equal(await grants('refresh_token') - before, 1);
  assert.equal(saved.length, 1);
  // The old token, which JS had kept for reuse, is dropped with the 401:
  // the next requests carry the new one at once.
  const calls = await apiCalls();
  for (let i = 0; i < 3; i++) assert.equal((await api.fetch(BASE + '/oauth/api/user')).status, 200);
  assert.equal(await apiCalls() - calls, 3);
  // A 403 for a missing scope is the answer as it is: no renewal.
  assert.equal((await api.fetch(BASE + '/oauth/api/admin')).status, 403);
  assert.equal(await grants('refresh_token') - before, 1);
  api.close();
});

test('a cached token costs what a Bearer costs, until Skew before it expires', async () => {
  // A token for 2 s, used until 1.5 s from now: the Skew (10 s) is held to
  // a quarter of the lifetime the server gave.
  const api = authlib.client({ auth: { type: 'oauth2', tokenURL: BASE + '/oauth/token?lifetime=2', clientId: 'my-app', clientSecret: SECRET } });
  const before = await grants('client_credentials');
  for (let i = 0; i < 5; i++) assert.equal((await api.fetch(BASE + '/oauth/api/user')).status, 200);
  assert.equal(await grants('client_credentials') - before, 1);
  await new Promise((r) => setTimeout(r, 1600));
  assert.equal((await api.fetch(BASE + '/oauth/api/user')).status, 200);
  assert.equal(await grants('client_credentials') - before, 2, 'the token was not renewed Skew before it expired');
  api.close();
});

async function revocations() {
  const s = await (await fetch(BASE + '/stats')).json();
  return [s.exchanges['revoke:refresh_token'] ?? 0, s.exchanges['revoke:access_token'] ?? 0];
}

const live = async (access) => (await fetch(BASE + '/oauth/api/user', { headers: { Authorization: 'Bearer ' + access } })).status === 200;

test('oauth2.revoke revokes a token at the issuer\'s revocation_endpoint (RFC 7009); a refresh token takes its grant with it', async () => {
  const tok = await login();
  assert.ok(await live(tok.access_token));
  const [r0, a0] = await revocations();
  await authlib.oauth2.revoke({ ...client, token: tok.refresh_token, tokenTypeHint: 'refresh_token' });
  assert.deepEqual(await revocations(), [r0 + 1, a0]);
  assert.equal(await live(tok.access_token), false, 'the access token of the revoked grant still works');
  // A token the server does not know: revoked already.
  await authlib.oauth2.revoke({ ...client, token: 'never-issued' });
  await rejectsWith(authlib.oauth2.revoke({ ...client, token: tok.access_token, tokenTypeHint: 'id_token' }), 'invalid_request');
  await rejectsWith(authlib.oauth2.revoke({ ...client }), 'invalid_request');
  await oauthError(authlib.oauth2.revoke({ ...client, clientSecret: 'wrong', token: tok.access_token }), 'invalid_client');
});

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof AuthError, String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
}

test('a client\'s logout revokes the refresh token, then the access token, forgets both, and reuses nothing prepared with them', async () => {
  const tok = await login();
  const saved = [];
  const api = authlib.client({ auth: { type: 'oauth2', ...client, token: tok, onToken: (t) => saved.push(t) } });
  assert.equal((await api.fetch(BASE + '/oauth/api/user')).status, 200);
  const [r0, a0] = await revocations();
  await api.logout();
  assert.deepEqual(await revocations(), [r0 + 1, a0 + 1]);
  assert.equal(await live(tok.access_token), false);
  // The next call gets a token anew (this client has a secret: client
  // credentials), not the old one from what JS had prepared.
  const before = await grants('client_credentials'), calls = await apiCalls();
  const res = await api.fetch(BASE + '/oauth/api/user');
  assert.equal(res.status, 200);
  assert.equal(await grants('client_credentials'), before + 1);
  assert.equal(await apiCalls(), calls + 1, 'the revoked token was sent again');
  assert.equal(saved.length, 1);
  assert.notEqual(saved[0].access_token, tok.access_token);
  const basic = authlib.client({ auth: ['u', 'p'] });
  await rejectsWith(basic.logout(), 'invalid_request');
  basic.close();
  api.close();
  await rejectsWith(api.logout(), 'aborted');
});

test('authlib.fetch with a store of its own: the token loaded serves the next calls without loading the store again', async () => {
  let loads = 0, saved = null;
  const store = {
    load: () => { loads++; return saved; },
    save: (t) => { saved = t; },
  };
  const auth = { type: 'oauth2', ...client, store };
  const before = await grants('client_credentials');
  let first;
  for (let i = 0; i < 5; i++) {
    const res = await authlib.fetch(BASE + '/oauth/api/user', { auth });
    assert.equal(res.status, 200);
    if (i === 0) first = loads;
  }
  assert.equal(await grants('client_credentials') - before, 1, 'one token for five calls');
  assert.ok(first > 0 && loads === first, `the store is loaded by the first call only (${first}, then ${loads})`);
  // The same file store given again as a new { file } object is the same store.
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const file = (await mkdtemp(tmpdir() + '/authlib-')) + '/token.json';
  const b2 = await grants('client_credentials');
  for (let i = 0; i < 3; i++) {
    const res = await authlib.fetch(BASE + '/oauth/api/user', { auth: { type: 'oauth2', ...client, store: { file } } });
    assert.equal(res.status, 200);
  }
  assert.equal(await grants('client_credentials') - b2, 1);
});
