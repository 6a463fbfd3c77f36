// OAuth as servers now ask for it, through the JS API in Node, against
// authtest (make test passes AUTHTEST_URL): DPoP (RFC 9449) with PAR (RFC
// 9126), client assertions (RFC 7523), registration (RFC 7591) and
// resource metadata (RFC 9728).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { BASE } from '../authtest.mjs';

let authlib;
before(async () => { authlib = await load(); });

async function stats() {
  return (await (await fetch(BASE + '/stats')).json()).exchanges;
}

// login runs the authorization code flow with dpop and par as given, the
// browser's part done by fetch (authtest approves at once).
async function login(settings) {
  const a = await authlib.oauth2.authorize(settings);
  const r = await fetch(a.url, { redirect: 'manual' });
  const callback = r.headers.get('location');
  const token = await authlib.oauth2.exchange({ ...settings, dpop: a.dpopKey ? { keyPair: a.dpopKey } : undefined, callback, state: a.state, codeVerifier: a.codeVerifier });
  return { a, token };
}

const publicClient = { issuer: BASE, clientId: 'public-app', redirectURI: 'http://127.0.0.1/cb', scope: 'read:user' };

test('DPoP with PAR: the pushed request and the code are bound to a new non-extractable key, and the token goes as DPoP with a proof, never as Bearer', async () => {
  const before = await stats();
  const { a, token } = await login({ ...publicClient, dpop: true, par: true });
  const q = new URL(a.url).searchParams;
  assert.deepEqual([...q.keys()].sort(), ['client_id', 'request_uri'], 'a pushed request leaves client_id and request_uri only');
  assert.equal(token.token_type, 'DPoP');
  assert.ok(a.dpopKey.privateKey instanceof CryptoKey && a.dpopKey.privateKey.extractable === false);
  await assert.rejects(crypto.subtle.exportKey('jwk', a.dpopKey.privateKey), 'the private key cannot be exported');
  const jwk = await crypto.subtle.exportKey('jwk', a.dpopKey.publicKey);
  assert.equal(jwk.kty, 'EC');
  const c = authlib.client({ auth: { type: 'oauth2', ...publicClient, token, dpop: a.dpopKey } });
  try {
    for (let i = 0; i < 5; i++) {
      const res = await c.fetch(BASE + '/oauth/api/user');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { login: 'public-app', scope: 'read:user', token_type: 'DPoP' });
    }
  } finally {
    c.close();
  }
  const after = await stats();
  const d = (k) => (after[k] ?? 0) - (before[k] ?? 0);
  assert.equal(d('par'), 1);
  assert.equal(d('dpop:resource'), 5, 'five requests with a proof the resource took');
  assert.equal(d('dpop:use_dpop_nonce:rs'), 1, "the resource's nonce challenge costs one request, once");
  assert.equal(d('/oauth/api/user'), 6);
  assert.equal(d('dpop:sent_as_bearer'), 0);
});

test('a DPoP token given to a client with another key, or with none, is not sent', async () => {
  const { token } = await login({ ...publicClient, dpop: true });
  const before = await stats();
  const other = await authlib.oauth2.dpopKey();
  for (const dpop of [other, undefined]) {
    const c = authlib.client({ auth: { type: 'oauth2', ...publicClient, token, dpop } });
    try {
      await assert.rejects(c.fetch(BASE + '/oauth/api/user'), (e) => e instanceof AuthError && e.code === 'invalid_credentials' && !e.message.includes(token.access_token));
    } finally {
      c.close();
    }
  }
  assert.equal(((await stats())['/oauth/api/user'] ?? 0) - (before['/oauth/api/user'] ?? 0), 0, 'nothing reached the resource');
});

test('an EdDSA DPoP key, and a refresh with DPoP after expiry: one token request for 20 concurrent calls', async () => {
  const { a, token } = await login({ ...publicClient, dpop: { alg: 'EdDSA' } });
  assert.equal(a.dpopKey.privateKey.algorithm.name, 'Ed25519');
  const expired = { ...token, expires_in: 0, expires_at: Math.floor(Date.now() / 1000) - 10 };
  const before = await stats();
  const seen = [];
  const c = authlib.client({ auth: { type: 'oauth2', ...publicClient, token: expired, dpop: a.dpopKey, onToken: (t) => seen.push(t) } });
  try {
    const all = await Promise.all(Array.from({ length: 20 }, () => c.fetch(BASE + '/oauth/api/user')));
    assert.deepEqual(all.map((r) => r.status), Array(20).fill(200));
  } finally {
    c.close();
  }
  const after = await stats();
  const d = (k) => (after[k] ?? 0) - (before[k] ?? 0);
  // One refresh: its first request answered use_dpop_nonce (this client's
  // key has no nonce of the server's yet), then the one that got the token.
  assert.equal(d('dpop:use_dpop_nonce:as'), 1);
  assert.equal(d('grant:refresh_token'), 2);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].token_type, 'DPoP');
});

test('dpop and client keys of the wrong kind are refused before anything is sent', async () => {
  for (const dpop of ['yes', 1, { keyPair: {} }, { alg: 'RS256' }]) {
    await assert.rejects(authlib.oauth2.authorize({ ...publicClient, dpop }), (e) => e instanceof AuthError && e.code === 'invalid_credentials', String(dpop));
  }
  assert.throws(() => authlib.client({ auth: { type: 'oauth2', ...publicClient, dpop: 'yes' } }), (e) => e instanceof AuthError && e.code === 'invalid_credentials');
  await assert.rejects(authlib.oauth2.exchange({ ...publicClient, clientAuth: 'private_key_jwt', callback: 'http://127.0.0.1/cb?code=x&state=s', state: 's', codeVerifier: 'v'.repeat(43) }),
    (e) => e instanceof AuthError && e.code === 'invalid_credentials' && /clientKey/.test(e.message));
});

test('private_key_jwt: a client registers its public key (RFC 7591), then authenticates with assertions signed by the non-extractable private key', async () => {
  for (const [alg, params] of [['ES256', { name: 'ECDSA', namedCurve: 'P-256' }], ['PS256', { name: 'RSA-PSS', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }], ['EdDSA', { name: 'Ed25519' }]]) {
    const pair = await crypto.subtle.generateKey(params, false, ['sign', 'verify']);
    const pub = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const reg = await authlib.oauth2.register({ issuer: BASE, metadata: { token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'], jwks: { keys: [{ ...pub, kid: 'k-' + alg }] } } });
    assert.match(reg.client_id, /^dyn-/);
    assert.equal(reg.client_secret, undefined);
    const settings = { issuer: BASE, clientId: reg.client_id, clientAuth: 'private_key_jwt', clientKey: pair.privateKey, clientKeyId: 'k-' + alg };
    const c = authlib.client({ auth: { type: 'oauth2', ...settings } });
    try {
      const res = await c.fetch(BASE + '/oauth/api/user');
      assert.equal(res.status, 200, alg);
      assert.equal((await res.json()).login, reg.client_id);
    } finally {
      c.close();
    }
    // Another key for the same kid is refused by the server.
    const wrong = await crypto.subtle.generateKey(params, false, ['sign', 'verify']);
    const bad = authlib.client({ auth: { type: 'oauth2', ...settings, clientKey: wrong.privateKey } });
    try {
      await assert.rejects(bad.fetch(BASE + '/oauth/api/user'), (e) => e instanceof AuthError && e.code === 'oauth' && e.error === 'invalid_client');
    } finally {
      bad.close();
    }
  }
});

test('client_secret_jwt: the secret signs the assertion and is not sent', async () => {
  const c = authlib.client({ auth: { type: 'oauth2', issuer: BASE, clientId: 'my-app', clientSecret: 'p@ss: 100% +sure', clientAuth: 'client_secret_jwt' } });
  try {
    assert.equal((await c.fetch(BASE + '/oauth/api/user')).status, 200);
  } finally {
    c.close();
  }
});

test('register refuses metadata the server will not take, with its RFC 7591 error', async () => {
  await assert.rejects(authlib.oauth2.register({ issuer: BASE, metadata: { token_endpoint_auth_method: 'private_key_jwt' } }),
    (e) => e instanceof AuthError && e.code === 'oauth' && e.error === 'invalid_client_metadata');
  await assert.rejects(authlib.oauth2.register({ issuer: BASE }), (e) => e instanceof AuthError && e.code === 'invalid_request');
});

test('discoverResource reads RFC 9728 metadata, and refuses metadata for another resource', async () => {
  const m = await authlib.oauth2.discoverResource(BASE + '/mcp');
  assert.equal(m.resource, BASE + '/mcp');
  assert.deepEqual(m.authorization_servers, [BASE]);
  await assert.rejects(authlib.oauth2.discoverResource(BASE + '/mcp-elsewhere'), (e) => e instanceof AuthError && e.code === 'oauth' && e.error === 'invalid_metadata');
});

test('login from a bare 401, as MCP clients do: resource metadata, registration, PAR with DPoP, the code for that resource; one walk for concurrent calls', async () => {
  const before = await stats();
  const urls = [];
  const tokens = [];
  const c = authlib.client({
    auth: {
      type: 'oauth2', resource: BASE + '/mcp', redirectURI: 'http://127.0.0.1/cb', dpop: true, par: true,
      onAuthorize: async (url) => {
        urls.push(url);
        return (await fetch(url, { redirect: 'manual' })).headers.get('location');
      },
      onToken: (t) => tokens.push(t),
    },
  });
  try {
    const all = await Promise.all(Array.from({ length: 5 }, () => c.fetch(BASE + '/mcp')));
    assert.deepEqual(all.map((r) => r.status), Array(5).fill(200));
    assert.equal((await all[0].json()).token_type, 'DPoP');
  } finally {
    c.close();
  }
  const after = await stats();
  const d = (k) => (after[k] ?? 0) - (before[k] ?? 0);
  assert.equal(urls.length, 1, 'one authorization');
  assert.deepEqual([...new URL(urls[0]).searchParams.keys()].sort(), ['client_id', 'request_uri']);
  assert.deepEqual([d('resource-metadata'), d('register'), d('par'), tokens.length], [1, 1, 1, 1]);
  assert.equal(tokens[0].token_type, 'DPoP');
});

test('login from a 401 refuses a resource whose metadata names another resource, before registering or authorizing', async () => {
  const before = await stats();
  let called = false;
  await assert.rejects(authlib.fetch(BASE + '/mcp-elsewhere', {
    auth: { type: 'oauth2', resource: BASE + '/mcp-elsewhere', redirectURI: 'http://127.0.0.1/cb', onAuthorize: () => { called = true; } },
  }), (e) => e instanceof AuthError && e.code === 'oauth' && e.error === 'invalid_metadata');
  assert.equal(called, false);
  assert.equal(((await stats()).register ?? 0) - (before.register ?? 0), 0);
});

test("authlib.fetch with a DPoP key pair of the caller's keeps the server's nonce across calls: one challenge, not one a call", async () => {
  const { a, token } = await login({ ...publicClient, dpop: true });
  const auth = { type: 'oauth2', ...publicClient, token, dpop: a.dpopKey };
  const before = await stats();
  for (let i = 0; i < 5; i++) assert.equal((await authlib.fetch(BASE + '/oauth/api/user', { auth: { ...auth } })).status, 200);
  const after = await stats();
  const d = (k) => (after[k] ?? 0) - (before[k] ?? 0);
  assert.equal(d('dpop:use_dpop_nonce:rs'), 1);
  assert.equal(d('/oauth/api/user'), 6);
});

test("a client's concurrent first calls to a resource that requires a DPoP nonce meet its challenge once: the first learns it, the others wait", async () => {
  const { a, token } = await login({ ...publicClient, dpop: true });
  const c = authlib.client({ auth: { type: 'oauth2', ...publicClient, token, dpop: { keyPair: a.dpopKey } } });
  try {
    const before = await stats();
    const all = await Promise.all(Array.from({ length: 50 }, () => c.fetch(BASE + '/oauth/api/user')));
    assert.deepEqual(all.map((r) => r.status), Array(50).fill(200));
    const after = await stats();
    assert.equal((after['dpop:use_dpop_nonce:rs'] ?? 0) - (before['dpop:use_dpop_nonce:rs'] ?? 0), 1, 'one nonce challenge');
    assert.equal(after['/oauth/api/user'] - before['/oauth/api/user'], 51);
  } finally {
    c.close();
  }
});
