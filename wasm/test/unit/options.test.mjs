// A misspelt option is an error, not an option ignored: an unknown key in
// an auth object or in authlib's own option objects is invalid_request,
// naming the key and the nearest known one, before anything is sent; a
// fetch init passes unknown keys on, as fetch does, but refuses one an
// edit or two from an authlib option (make test passes AUTHTEST_URL).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { BASE, exchanges, uniq } from '../authtest.mjs';

let authlib;
before(async () => { authlib = await load(); });

const refused = (key, near) => (e) => e instanceof AuthError && e.code === 'invalid_request' && e.message.includes(JSON.stringify(key)) &&
  (near === undefined ? !e.message.includes('did you mean') : e.message.includes('did you mean ' + near + '?'));

test('an unknown key in an auth object is refused, naming the nearest option, and nothing is sent', async () => {
  const path = uniq('/anything/');
  const url = BASE + path;
  const oauth = { type: 'oauth2', issuer: BASE, clientId: 'my-app', clientSecret: 'p@ss: 100% +sure' };
  for (const [auth, key, near] of [
    [{ ...oauth, calback: 'http://127.0.0.1/cb' }, 'calback', 'callback'],
    [{ ...oauth, redirectUri: 'http://127.0.0.1/cb' }, 'redirectUri', 'redirectURI'],
    [{ ...oauth, clientMetadataUrl: 'https://app.example/client.json' }, 'clientMetadataUrl', undefined],
    [{ type: 'basic', username: 'u', pasword: 'p' }, 'pasword', 'password'],
    [{ username: 'u', password: 'p', realm: 'x' }, 'realm', undefined],
    [{ type: 'bearer', tokn: 't' }, 'tokn', 'token'],
    [{ type: 'aws4', accessKeyId: 'AKID', secretAccessKey: 's', regoin: 'us-east-1' }, 'regoin', 'region'],
    [{ type: 'oauth1', clientKey: 'k', clientSecret: 's', signatureMethd: 'PLAINTEXT' }, 'signatureMethd', 'signatureMethod'],
    [{ type: 'httpsig', keyId: 'k', key: new Uint8Array(32), compnents: ['@method'] }, 'compnents', 'components'],
  ]) {
    await assert.rejects(authlib.fetch(url, { auth }), refused(key, near), key);
    assert.throws(() => authlib.client({ auth }), refused(key, near), key);
  }
  assert.equal(await exchanges(path), 0, 'nothing sent');
});

test("authlib's own option objects refuse an unknown key: client, retry, proxy, store, and every flow", async () => {
  const path = uniq('/anything/');
  assert.throws(() => authlib.client({ timout: 5000 }), refused('timout', 'timeout'));
  assert.throws(() => authlib.client({ baseUrl: BASE }), refused('baseUrl', 'baseURL'));
  await assert.rejects(authlib.fetch(BASE + path, { retry: { maxx: 2 } }), refused('maxx', 'max'));
  await assert.rejects(authlib.fetch(BASE + path, { proxy: { url: 'http://127.0.0.1:9', uath: ['u', 'p'] } }), refused('uath', 'auth'));
  await assert.rejects(authlib.fetch(BASE + path, { auth: { type: 'oauth2', issuer: BASE, clientId: 'public-app', store: { file: '/tmp/x', mode: 0o600 } } }), refused('mode'));
  const o = { issuer: BASE, clientId: 'public-app', redirectURI: 'http://127.0.0.1/cb' };
  await assert.rejects(authlib.oauth2.authorize({ ...o, parms: { a: 'b' } }), refused('parms', 'params'));
  await assert.rejects(authlib.oauth2.exchange({ ...o, calback: 'x', state: 's', codeVerifier: 'v' }), refused('calback', 'callback'));
  await assert.rejects(authlib.oauth2.device({ ...o, onCod: () => {} }), refused('onCod', 'onCode'));
  await assert.rejects(authlib.oauth2.register({ issuer: BASE, metadata: {}, initialAccesToken: 't' }), refused('initialAccesToken', 'initialAccessToken'));
  await assert.rejects(authlib.oauth2.revoke({ ...o, token: 't', tokenTypeHnt: 'refresh_token' }), refused('tokenTypeHnt', 'tokenTypeHint'));
  await assert.rejects(authlib.oauth2.discover(BASE, { signl: null }), refused('signl', 'signal'));
  await assert.rejects(authlib.oauth2.dpopKey({ alq: 'EdDSA' }), refused('alq', 'alg'));
  await assert.rejects(authlib.oauth1.requestToken(BASE + '/oauth1/request_token', { clientKey: 'k', clientSecret: 's', calback: 'oob' }), refused('calback', 'callback'));
  await assert.rejects(authlib.aws4.presign(BASE + '/aws4/s3/k', { accessKeyId: 'AKID', secretAccessKey: 's', region: 'us-east-1', service: 's3', expire: 60 }), refused('expire', 'expires'));
  assert.equal(await exchanges(path), 0, 'nothing sent');
});

test('a fetch init passes unknown keys on, as fetch does, but refuses one an edit or two from an authlib option', async () => {
  const path = uniq('/anything/');
  await assert.rejects(authlib.fetch(BASE + path, { auht: ['u', 'p'] }), refused('auht', 'auth'));
  await assert.rejects(authlib.fetch(BASE + path, { timout: 100 }), refused('timout', 'timeout'));
  await assert.rejects(authlib.fetch(BASE + path, { allowInsecur: true }), refused('allowInsecur', 'allowInsecure'));
  assert.equal(await exchanges(path), 0, 'nothing sent');
  assert.equal((await authlib.fetch(BASE + path, { somethingElse: 1, duplex: 'half' })).status, 200);
});

test("one object of OAuth settings serves as the auth option and in the flows: type 'oauth2' is taken there, another type is not", async () => {
  const settings = { type: 'oauth2', issuer: BASE, clientId: 'public-app', redirectURI: 'http://127.0.0.1/cb' };
  assert.match((await authlib.oauth2.authorize(settings)).url, /^http/);
  await assert.rejects(authlib.oauth2.authorize({ ...settings, type: 'oauth1' }), (e) => e.code === 'invalid_request' && /type/.test(e.message));
});

test("errors speak the JS API's language: its option names, and a URL without a scheme gets the hint", async () => {
  await assert.rejects(authlib.fetch('http://api.example.com/', { auth: ['u', 'p'] }),
    (e) => e.code === 'insecure_transport' && /allowInsecure/.test(e.message) && !/AllowInsecure/.test(e.message));
  await assert.rejects(authlib.fetch('https://host.example/x', { auth: { type: 'aws4', accessKeyId: 'AKID', secretAccessKey: 's' } }),
    (e) => /give region and service/.test(e.message) && !/Region/.test(e.message));
  for (const u of ['127.0.0.1:8080/x', 'api.github.com/user']) {
    await assert.rejects(authlib.fetch(u), (e) => e.code === 'invalid_url' && /start it with http:\/\/ or https:\/\//.test(e.message), u);
  }
});
