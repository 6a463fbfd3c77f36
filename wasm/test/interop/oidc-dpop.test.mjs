// OAuth as servers now ask for it, through the JS API in Node, against
// oidc-provider (pinned, in bin/npm) with DPoP (nonces required),
// pushed authorization requests, registration, resource indicators and
// client assertions switched on; the resource server checks DPoP proofs
// with jose (oidc-provider's own JOSE library), not with anything of ours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { load, AuthError } from '../../../web/dist/authlib.mjs';

const npm = (p) => new URL('../../../bin/npm/node_modules/' + p, import.meta.url);
const { default: Provider } = await import(npm('oidc-provider/lib/index.js'));
const jose = await import(npm('jose/dist/webapi/index.js'));
const REDIRECT = 'http://127.0.0.1/cb';
const HS_SECRET = 'a client secret long enough for HS256, 256 bits';

let authlib, provider, issuer, as, api, API, clientPair;
const rsNonce = randomBytes(12).toString('base64url');
const seen = { proofs: 0, nonceChallenges: 0, bearer: 0 };

before(async () => {
  authlib = await load();
  clientPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const pub = await crypto.subtle.exportKey('jwk', clientPair.publicKey);
  const quiet = { warn: console.warn, info: console.info };
  console.warn = console.info = () => {}; // its development-mode notices
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  api = createServer(resource);
  await new Promise((r) => api.listen(0, '127.0.0.1', r));
  API = `http://127.0.0.1:${api.address().port}/api`;
  provider = new Provider(issuer, {
    clients: [
      { client_id: 'spa', token_endpoint_auth_method: 'none', response_types: ['code'], redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'], dpop_bound_access_tokens: true },
      { client_id: 'svc-jwt', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...pub, kid: 'svc-key' }] },
        grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      { client_id: 'svc-hs', client_secret: HS_SECRET, token_endpoint_auth_method: 'client_secret_jwt',
        grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
    ],
    features: {
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      pushedAuthorizationRequests: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => {
          if (resource !== API) throw new Error('unknown resource');
          return { scope: 'api:read', audience: API, accessTokenFormat: 'opaque' };
        },
      },
      clientCredentials: { enabled: true }, devInteractions: { enabled: true }, revocation: { enabled: true },
    },
    issueRefreshToken: async () => true,
    scopes: ['openid', 'offline_access', 'api:read'],
  });
  as = provider.listen(port, '127.0.0.1');
  console.warn = quiet.warn; console.info = quiet.info;
});

after(() => { as?.close(); api?.close(); });

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// resource is the API: it asks the provider whether the token is live and
// for it, and checks a DPoP-bound token's proof (RFC 9449 §7, §4.3) with
// jose: signature by the header's jwk, typ, htm, htu, ath, the jwk's
// thumbprint the token's, and its own nonce.
async function resource(req, res) {
  const deny = (status, challenge, extra = {}) => res.writeHead(status, { 'WWW-Authenticate': challenge, ...extra }).end();
  const [scheme, tok] = (req.headers.authorization ?? '').split(' ');
  const found = (await provider.AccessToken.find(tok ?? '')) ?? (await provider.ClientCredentials.find(tok ?? ''));
  if (!found) return deny(401, `${scheme === 'DPoP' ? 'DPoP' : 'Bearer'} error="invalid_token"`);
  const jkt = found['x5t#S256'] ? undefined : found.jkt;
  if (!jkt) {
    if (scheme !== 'Bearer') return deny(401, 'Bearer error="invalid_token"');
    seen.bearer++;
    return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ client: found.clientId, bound: false }));
  }
  if (scheme !== 'DPoP') return deny(401, 'DPoP error="invalid_token", error_description="a DPoP-bound token sent as Bearer"');
  try {
    const { payload, protectedHeader } = await jose.jwtVerify(req.headers.dpop, jose.EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256', 'EdDSA'] });
    const ath = jose.base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(tok))));
    const htu = `http://${req.headers.host}${req.url.split('?')[0]}`;
    if (payload.htm !== req.method || payload.htu !== htu || payload.ath !== ath || (await jose.calculateJwkThumbprint(protectedHeader.jwk)) !== jkt) {
      return deny(401, 'DPoP error="invalid_dpop_proof"');
    }
    if (payload.nonce !== rsNonce) {
      seen.nonceChallenges++;
      return deny(401, 'DPoP error="use_dpop_nonce"', { 'DPoP-Nonce': rsNonce });
    }
  } catch (e) {
    return deny(401, 'DPoP error="invalid_dpop_proof"');
  }
  seen.proofs++;
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ client: found.clientId, bound: true }));
}

// A browser's part (the development login and consent), as in
// oidc-provider.test.mjs.
async function browse(url) {
  const jar = new Map();
  let init = {};
  for (let step = 0; step < 30; step++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, headers: { ...init.headers, cookie }, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const kv = c.split(';')[0];
      jar.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1));
    }
    const loc = res.headers.get('location');
    if (loc) {
      url = new URL(loc, url).href;
      init = {};
      if (url.startsWith(REDIRECT)) return url;
      continue;
    }
    const body = await res.text();
    const form = body.match(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/);
    if (!form) throw new Error('no form at ' + url + ': ' + body.slice(0, 300));
    const fields = new URLSearchParams();
    for (const [tag] of form[2].matchAll(/<input[^>]*>/g)) {
      const name = tag.match(/name="([^"]+)"/)?.[1];
      if (name) fields.set(name, tag.match(/value="([^"]*)"/)?.[1] ?? '');
    }
    if (fields.has('login')) fields.set('login', 'jason');
    url = new URL(form[1].replace(/&amp;/g, '&'), url).href;
    init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() };
  }
  throw new Error('the browser got lost at ' + url);
}

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
