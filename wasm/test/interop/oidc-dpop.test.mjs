// OAuth as servers now ask for it, through the JS API in Node, against
// oidc-provider (pinned, in bin/npm) with DPoP (nonces required),
// pushed authorization requests, registration, resource indicators and
// client assertions switched on; the resource server checks DPoP proofs
// with jose (oidc-provider's own JOSE library), not with anything of ours
// (web/tools/oidc-provider.mjs serves both).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { start, browse as browseTo, HS_SECRET } from '../../../web/tools/oidc-provider.mjs';

const REDIRECT = 'http://127.0.0.1/cb';

let authlib, server, issuer, API, seen, clientPair;

before(async () => {
  authlib = await load();
  clientPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  server = await start({ redirect: REDIRECT, clientJWK: await crypto.subtle.exportKey('jwk', clientPair.publicKey) });
  ({ issuer, api: API, seen } = server);
});

after(() => server?.close());

const browse = (url) => browseTo(url, REDIRECT);

const spa = () => ({ issuer, clientId: 'spa', redirectURI: REDIRECT, scope: 'openid offline_access api:read', resource: API });

test('PKCE with DPoP and PAR: a DPoP-bound token for the API, sent with proofs jose verifies; the nonces of both servers answered', async () => {
  const a = await authlib.oauth2.authorize({ ...spa(), dpop: true, par: true, params: { prompt: 'consent' } });
  const q = new URL(a.url).searchParams;
  assert.ok(q.get('request_uri')?.startsWith('urn:ietf:params:oauth:request_uri:'), a.url);
  const callback = await browse(a.url);
  const tok = await authlib.oauth2.exchange({ ...spa(), dpop: { keyPair: a.dpopKey }, callback, state: a.state, codeVerifier: a.codeVerifier });
  assert.equal(tok.token_type, 'DPoP');
  assert.ok(tok.refresh_token);
  const before = { ...seen };
  const saved = [];
  const c = authlib.client({ auth: { type: 'oauth2', ...spa(), token: tok, dpop: a.dpopKey, onToken: (t) => saved.push(t) } });
  try {
    for (let i = 0; i < 3; i++) {
      const res = await c.fetch(API);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { client: 'spa', bound: true });
    }
    assert.equal(seen.proofs - before.proofs, 3);
    assert.equal(seen.nonceChallenges - before.nonceChallenges, 1, "the API's nonce costs one request, once");
    assert.equal(seen.bearer, 0);
  } finally {
    c.close();
  }
  // Refresh with the same key, after expiry; the refresh token is bound too.
  const r = authlib.client({ auth: { type: 'oauth2', ...spa(), token: { ...tok, expires_at: 0 }, dpop: a.dpopKey, onToken: (t) => saved.push(t) } });
  try {
    assert.equal((await r.fetch(API)).status, 200);
    assert.equal(saved.length, 1);
    assert.equal(saved[0].token_type, 'DPoP');
  } finally {
    r.close();
  }
  // Another key cannot refresh it: oidc-provider refuses.
  const other = authlib.client({ auth: { type: 'oauth2', ...spa(), token: { ...saved[0], expires_at: 0, dpop_jkt: undefined }, dpop: true } });
  try {
    await assert.rejects(other.fetch(API), (e) => e instanceof AuthError && e.code === 'oauth' && /invalid_grant|invalid_dpop_proof/.test(e.error));
  } finally {
    other.close();
  }
});

test('private_key_jwt (ES256, a non-extractable key) and client_secret_jwt, client credentials for the API', async () => {
  for (const auth of [
    { clientId: 'svc-jwt', clientAuth: 'private_key_jwt', clientKey: clientPair.privateKey, clientKeyId: 'svc-key' },
    { clientId: 'svc-hs', clientSecret: HS_SECRET, clientAuth: 'client_secret_jwt' },
  ]) {
    const c = authlib.client({ auth: { type: 'oauth2', issuer, resource: API, scope: 'api:read', ...auth } });
    try {
      const res = await c.fetch(API);
      assert.equal(res.status, 200, auth.clientId);
      assert.deepEqual(await res.json(), { client: auth.clientId, bound: false });
    } finally {
      c.close();
    }
  }
  const wrong = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  await assert.rejects(authlib.fetch(API, { auth: { type: 'oauth2', issuer, clientId: 'svc-jwt', clientAuth: 'private_key_jwt', clientKey: wrong.privateKey, clientKeyId: 'svc-key' } }),
    (e) => e instanceof AuthError && e.code === 'oauth' && e.error === 'invalid_client');
});

test('private_key_jwt with DPoP: the client credentials token is bound to the DPoP key', async () => {
  const c = authlib.client({ auth: { type: 'oauth2', issuer, resource: API, scope: 'api:read', clientId: 'svc-jwt', clientAuth: 'private_key_jwt', clientKey: clientPair.privateKey, clientKeyId: 'svc-key', dpop: true } });
  try {
    const res = await c.fetch(API);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { client: 'svc-jwt', bound: true });
  } finally {
    c.close();
  }
});

test('registration (RFC 7591), then a login with the new client', async () => {
  const reg = await authlib.oauth2.register({ issuer, metadata: { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] } });
  assert.ok(reg.client_id && !reg.client_secret);
  const opts = { ...spa(), clientId: reg.client_id, scope: 'openid api:read' };
  const a = await authlib.oauth2.authorize(opts);
  const tok = await authlib.oauth2.exchange({ ...opts, callback: await browse(a.url), state: a.state, codeVerifier: a.codeVerifier });
  assert.equal(tok.token_type, 'Bearer');
  assert.equal((await authlib.fetch(API, { auth: { type: 'bearer', token: tok.access_token } })).status, 200);
  await assert.rejects(authlib.oauth2.register({ issuer, metadata: { redirect_uris: ['not a url'] } }), (e) => e instanceof AuthError && e.code === 'oauth' && /invalid_redirect_uri|invalid_client_metadata/.test(e.error));
});

test('login from a bare 401, as MCP clients do: the API names its metadata (RFC 9728), the client registers with oidc-provider, logs in with PKCE and DPoP for that API, and calls it', async () => {
  const urls = [];
  const tokens = [];
  const c = authlib.client({
    auth: {
      type: 'oauth2', resource: API, redirectURI: REDIRECT, dpop: true, par: true,
      onAuthorize: (url) => { urls.push(url); return browse(url); },
      onToken: (t) => tokens.push(t),
    },
  });
  try {
    const all = await Promise.all([c.fetch(API), c.fetch(API), c.fetch(API)]);
    assert.deepEqual(all.map((r) => r.status), [200, 200, 200]);
    const body = await all[0].json();
    assert.equal(body.bound, true);
    assert.match(body.client, /./);
    assert.notEqual(body.client, 'spa', 'a client of its own, registered');
  } finally {
    c.close();
  }
  assert.equal(urls.length, 1, 'one login for three calls');
  assert.ok(new URL(urls[0]).searchParams.get('request_uri'), 'pushed');
  assert.equal(tokens.length, 1);
  assert.equal(tokens[0].token_type, 'DPoP');
});
