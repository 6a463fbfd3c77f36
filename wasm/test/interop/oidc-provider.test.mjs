// OAuth 2.0 through the JS API against oidc-provider, an OpenID Connect
// and OAuth 2.0 server nobody on this project wrote (pinned, installed into
// bin/npm by make test), running in this process on loopback: discovery,
// client credentials with both client authentication methods, the device
// flow, the authorization code with PKCE, refresh with rotation,
// revocation (RFC 7009), and the server's errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { fork } from 'node:child_process';
import { mkdtemp, readFile, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { browse as browseTo } from '../../../web/tools/oidc-provider.mjs';
import { redisStore } from '../../../web/dist/redis.mjs';
import { startRedis } from '../authtest.mjs';

const { default: Provider } = await import(new URL('../../../bin/npm/node_modules/oidc-provider/lib/index.js', import.meta.url));
const SECRET = 'p@ss: 100% +sure'; // ':', '%', '+' and spaces: RFC 6749 §2.3.1's encoding matters
const REDIRECT = 'http://127.0.0.1/cb';

let authlib, provider, issuer, as, api, API;
let refreshes = 0; // refresh_token grants the provider granted

before(async () => {
  authlib = await load();
  const quiet = { warn: console.warn, info: console.info };
  console.warn = console.info = () => {}; // its development-mode notices
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  provider = new Provider(issuer, {
    clients: [
      { client_id: 'svc-basic', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      { client_id: 'svc-post', client_secret: SECRET, grant_types: ['client_credentials'], redirect_uris: [], response_types: [],
        token_endpoint_auth_method: 'client_secret_post' },
      { client_id: 'cli', token_endpoint_auth_method: 'none', response_types: ['code'], redirect_uris: [REDIRECT],
        grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token', 'authorization_code'] },
    ],
    features: { clientCredentials: { enabled: true }, deviceFlow: { enabled: true }, devInteractions: { enabled: true }, revocation: { enabled: true } },
    issueRefreshToken: async () => true,
    scopes: ['openid', 'offline_access'],
  });
  provider.on('grant.success', (ctx) => { if (ctx.oidc.params?.grant_type === 'refresh_token') refreshes++; });
  as = provider.listen(port, '127.0.0.1');
  console.warn = quiet.warn; console.info = quiet.info;
  // A resource server that asks the provider whether a token is live.
  api = createServer(async (req, res) => {
    const tok = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const found = (await provider.AccessToken.find(tok)) ?? (await provider.ClientCredentials.find(tok));
    if (!found) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ client: found.clientId }));
  });
  await new Promise((r) => api.listen(0, '127.0.0.1', r));
  API = `http://127.0.0.1:${api.address().port}/`;
});

after(() => { as?.close(); api?.close(); });

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// A browser's part (web/tools/oidc-provider.mjs): the device code
// confirmation, the development login, the consent.
const browse = (url) => browseTo(url, REDIRECT);

async function oauthError(promise, error) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AuthError, String(e));
    assert.equal(e.code, 'oauth', e.message);
    assert.equal(e.error, error, e.message);
    assert.ok(!e.message.includes(SECRET));
    return;
  }
  assert.fail('resolved');
}

test('discovery falls back to OpenID Connect and checks the issuer', async () => {
  const m = await authlib.oauth2.discover(issuer);
  assert.equal(m.issuer, issuer);
  assert.equal(m.token_endpoint, issuer + '/token');
});

test('client credentials, Basic (form-urlencoded) and post', async () => {
  for (const [clientId, clientAuth] of [['svc-basic', 'basic'], ['svc-post', 'post']]) {
    const client = authlib.client({ auth: { type: 'oauth2', issuer, clientId, clientSecret: SECRET, clientAuth } });
    for (let i = 0; i < 2; i++) {
      const res = await client.fetch(API);
      assert.equal(res.status, 200, clientId);
      assert.deepEqual(await res.json(), { client: clientId });
    }
    client.close();
  }
  await oauthError(authlib.fetch(API, { auth: { type: 'oauth2', issuer, clientId: 'svc-basic', clientSecret: SECRET + 'x' } }), 'invalid_client');
});

test('device flow, then refresh with rotation', async () => {
  let approved;
  const tok = await authlib.oauth2.device({
    issuer, clientId: 'cli', scope: 'openid offline_access',
    onCode: (c) => { approved = browse(c.verification_uri_complete); },
  });
  await approved;
  assert.ok(tok.access_token && tok.refresh_token && tok.id_token, JSON.stringify(Object.keys(tok)));
  assert.equal(tok.token_type, 'Bearer');

  const saved = [];
  const client = authlib.client({ auth: { type: 'oauth2', issuer, clientId: 'cli', token: { ...tok, expires_at: 0 }, onToken: (t) => saved.push(t) } });
  const res = await client.fetch(API);
  assert.equal(res.status, 200);
  assert.equal(saved.length, 1, 'one refresh');
  assert.notEqual(saved[0].refresh_token, tok.refresh_token, 'the server rotated the refresh token');
  client.close();
  // The rotated-out refresh token is refused.
  const stale = authlib.client({ auth: { type: 'oauth2', issuer, clientId: 'cli', token: { ...tok, expires_at: 0 } } });
  await oauthError(stale.fetch(API), 'invalid_grant');
});

test('authorization code with PKCE', async () => {
  const opts = { issuer, clientId: 'cli', redirectURI: REDIRECT, scope: 'openid' };
  const { url, state, codeVerifier } = await authlib.oauth2.authorize(opts);
  const callback = await browse(url);
  const tok = await authlib.oauth2.exchange({ ...opts, callback, state, codeVerifier });
  assert.ok(tok.access_token && tok.id_token);
  assert.equal((await authlib.fetch(API, { auth: { type: 'bearer', token: tok.access_token } })).status, 200);
  // The server checks the verifier: a wrong one is invalid_grant.
  const again = await authlib.oauth2.authorize(opts);
  const cb2 = await browse(again.url);
  await oauthError(authlib.oauth2.exchange({ ...opts, callback: cb2, state: again.state, codeVerifier: codeVerifier }), 'invalid_grant');
  // RFC 9207: the provider names itself in the callback (iss); another
  // issuer there is a mix-up, refused before the code is sent anywhere.
  const third = await authlib.oauth2.authorize(opts);
  const cb3 = new URL(await browse(third.url));
  assert.equal(cb3.searchParams.get('iss'), issuer);
  cb3.searchParams.set('iss', 'https://as.example');
  await oauthError(authlib.oauth2.exchange({ ...opts, callback: cb3.href, state: third.state, codeVerifier: third.codeVerifier }), 'invalid_callback');
});

test('revocation (RFC 7009): a client\'s logout revokes both tokens, found from the metadata; oauth2.revoke revokes one', async () => {
  const login = async () => {
    let approved;
    const tok = await authlib.oauth2.device({
      issuer, clientId: 'cli', scope: 'openid offline_access',
      onCode: (c) => { approved = browse(c.verification_uri_complete); },
    });
    await approved;
    return tok;
  };
  const tok = await login();
  const client = authlib.client({ auth: { type: 'oauth2', issuer, clientId: 'cli', token: tok } });
  assert.equal((await client.fetch(API)).status, 200);
  await client.logout();
  client.close();
  assert.equal(await provider.RefreshToken.find(tok.refresh_token), undefined, 'the provider still has the refresh token');
  assert.equal((await authlib.fetch(API, { auth: { type: 'bearer', token: tok.access_token } })).status, 401);

  const other = await login();
  await authlib.oauth2.revoke({ issuer, clientId: 'cli', token: other.access_token, tokenTypeHint: 'access_token' });
  assert.equal((await authlib.fetch(API, { auth: { type: 'bearer', token: other.access_token } })).status, 401);
  // (oidc-provider revokes the grant with an access token: RFC 7009 §2.1 lets it.)
  // A confidential client authenticates as at the token endpoint; a wrong secret is refused.
  await oauthError(authlib.oauth2.revoke({ issuer, clientId: 'svc-basic', clientSecret: SECRET + 'x', token: other.refresh_token }), 'invalid_client');
});

// Four processes sharing one store (store.test.mjs's processes), 25
// requests each after the token expired: the provider rotates refresh
// tokens and, seeing one used twice, revokes the whole grant, so a second
// refresh would fail every process after it. kept reads the saved text and
// writes it back; redis, when given, is where the processes keep it.
async function fourProcessesRefreshOnce(store, kept, redis) {
  const settings = { issuer, clientId: 'cli', scope: 'openid offline_access' };
  let approved;
  const tok = await authlib.oauth2.device({ ...settings, store, onCode: (c) => { approved = browse(c.verification_uri_complete); } });
  await approved;
  const saved = JSON.parse(await kept.read());
  assert.equal(saved.refresh_token, tok.refresh_token);
  await kept.write(JSON.stringify({ ...saved, expires_at: Math.floor(Date.now() / 1000) - 60, expires_in: undefined }));
  const before = refreshes;
  const child = new URL('../e2e/store.test.mjs', import.meta.url);
  const runs = await Promise.all(Array.from({ length: 4 }, () => new Promise((resolve, reject) => {
    const p = fork(child, [], { env: { ...process.env, AUTHLIB_STORE_CHILD: JSON.stringify(['requests', store.file ?? '', redis ? { ...settings, redis } : settings, API]) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    p.once('message', resolve);
    p.once('exit', (code) => reject(new Error('a process exited with ' + code)));
  })));
  assert.deepEqual(runs.flat(), Array(100).fill(200));
  assert.equal(refreshes - before, 1, 'one refresh for four processes');
  assert.notEqual(JSON.parse(await kept.read()).refresh_token, tok.refresh_token, 'rotated');
}

test('four processes sharing a file store refresh once', async () => {
  const path = join(await mkdtemp(join(tmpdir(), 'authlib-oidc-store-')), 'token.json');
  await fourProcessesRefreshOnce({ file: path }, { read: () => readFile(path, 'utf8'), write: (t) => writeFile(path, t) });
  assert.equal((await stat(path)).mode & 0o777, 0o600);
});

test('four processes sharing a Redis store (redis.mjs) refresh once', async () => {
  const redis = await startRedis();
  const m = await import(new URL('../../../bin/npm/node_modules/redis/dist/index.js', import.meta.url));
  const rc = await (m.createClient ?? m.default.createClient)({ url: redis.url }).connect();
  try {
    const key = 'authlib:token:cli';
    await fourProcessesRefreshOnce(redisStore(rc, key), { read: () => rc.get(key), write: (t) => rc.set(key, t) }, { url: redis.url, key });
  } finally {
    await rc.quit();
    redis.stop();
  }
});
