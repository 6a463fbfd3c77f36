// OAuth 1.0a from the JS API, checked by oauthlib (requests-oauthlib's
// server side): authlib/nethttp/testdata/oauthlib_verify.py answers 200
// only when oauthlib accepts the signature.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { BASE } from '../authtest.mjs';

const script = fileURLToPath(new URL('../../../authlib/nethttp/testdata/oauthlib_verify.py', import.meta.url));
// Debian's python3 holds apt's packages; PyPI may be out of reach.
const python = ['python3', '/usr/bin/python3'].find((py) => {
  try {
    execFileSync(py, ['-c', 'import oauthlib, jwt'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
if (!python) throw new Error('python3 with oauthlib and PyJWT is needed (Debian: apt-get install python3-oauthlib python3-jwt)');

const servers = [];
async function oauthlib(...keys) {
  const p = spawn(python, [script, ...keys], { stdio: ['pipe', 'pipe', 'inherit'] });
  servers.push(p);
  const port = await new Promise((resolve, reject) => {
    createInterface({ input: p.stdout }).once('line', resolve);
    p.once('exit', (code) => reject(new Error('oauthlib_verify.py exited ' + code)));
  });
  return 'http://127.0.0.1:' + port.trim();
}

let authlib;
before(async () => { authlib = await load(); });
after(() => { for (const p of servers) p.stdin.end(); });

test('oauth1: oauthlib accepts every signature method and placement, through fetch and a client', async () => {
  const keys = { clientKey: 'client-key', clientSecret: 'client secret & more', resourceOwnerKey: 'token-key', resourceOwnerSecret: 'token/secret+=' };
  const base = await oauthlib(keys.clientKey, keys.clientSecret, keys.resourceOwnerKey, keys.resourceOwnerSecret);
  // oauthlib decodes query and body parameters twice: PLAINTEXT there needs secrets of unreserved characters.
  const plain = { ...keys, clientSecret: 'client-secret', resourceOwnerSecret: 'token.secret' };
  const plainBase = await oauthlib(plain.clientKey, plain.clientSecret, plain.resourceOwnerKey, plain.resourceOwnerSecret);
  const requests = [
    ['/items?b=2&a=1&a=0&sp=a%20b&plus=a+b&u=%C3%BC', {}],
    ['/items?x=1', { method: 'POST', body: new URLSearchParams({ name: 'a b', note: '✓', empty: '' }) }],
    ['/items/1', { method: 'PUT', body: JSON.stringify({ name: 'x' }), headers: { 'Content-Type': 'application/json' } }],
    ['/items/1', { method: 'DELETE' }],
  ];
  for (const signatureMethod of ['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT']) {
    for (const signatureType of ['header', 'query', 'body']) {
      const k = signatureMethod === 'PLAINTEXT' && signatureType !== 'header' ? plain : keys;
      const b = k === plain ? plainBase : base;
      const auth = { type: 'oauth1', ...k, signatureMethod, signatureType, realm: 'Example' };
      const client = authlib.client({ auth });
      for (const [path, init] of requests) {
        const form = init.body instanceof URLSearchParams;
        if (signatureType === 'body' && !form) continue;
        const a = { ...auth, bodyHash: init.method === 'PUT' };
        for (const res of [await authlib.fetch(b + path, { ...init, auth: a }), await client.fetch(b + path, { ...init, auth: a })]) {
          assert.equal(res.status, 200, `${signatureMethod} in the ${signatureType}, ${init.method ?? 'GET'} ${path}: ${await res.text()}`);
        }
      }
      client.close();
    }
  }
  // A wrong secret is refused: the check can fail.
  const res = await authlib.fetch(base + '/items', { auth: { type: 'oauth1', ...keys, clientSecret: 'wrong' } });
  assert.equal(res.status, 401);
});

test('oauth1 refuses, before sending, what it cannot sign, naming it without a secret', async () => {
  const secret = 'S3CR3T-oauth1';
  const path = '/anything/oauth1-refused';
  for (const [auth, code, want] of [
    [{ type: 'oauth1', clientSecret: secret }, 'invalid_credentials', /auth.clientKey must be a string/],
    [{ type: 'oauth1', clientKey: 'k', clientSecret: secret, signatureMethod: 'MD5' }, 'invalid_credentials', /HMAC-SHA1, HMAC-SHA256, PLAINTEXT, RSA-SHA1 or RSA-SHA256/],
    [{ type: 'oauth1', clientKey: 'k', clientSecret: secret, signatureType: 'body' }, 'invalid_request', /needs a form body/],
    [{ type: 'oauth1', clientKey: 'k', clientSecret: secret + '\n' }, 'invalid_credentials', /control character/],
    [{ type: 'oauth1', clientKey: 'k', clientSecret: secret, bodyHash: 'yes' }, 'invalid_credentials', /bodyHash must be a boolean/],
  ]) {
    await assert.rejects(authlib.fetch(BASE + path, { auth }), (e) => {
      assert.ok(e instanceof AuthError, String(e));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, want);
      assert.ok(!e.message.includes(secret));
      return true;
    });
  }
  const stats = await (await fetch(BASE + '/stats')).json();
  assert.equal(stats.exchanges[path] ?? 0, 0, 'nothing was sent');
});

test('oauth1 RSA-SHA1 and RSA-SHA256 with a non-extractable WebCrypto key (rsaKey), a JWK and a PEM: oauthlib accepts them', async () => {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { subtle } = globalThis.crypto;
  for (const [method, hash] of [['RSA-SHA1', 'SHA-1'], ['RSA-SHA256', 'SHA-256']]) {
    const gen = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash };
    const sealed = await subtle.generateKey(gen, false, ['sign', 'verify']);
    const open = await subtle.generateKey(gen, true, ['sign', 'verify']);
    for (const [pair, keys] of [[sealed, [sealed.privateKey]], [open, [await subtle.exportKey('jwk', open.privateKey),
      '-----BEGIN PRIVATE KEY-----\n' + Buffer.from(await subtle.exportKey('pkcs8', open.privateKey)).toString('base64') + '\n-----END PRIVATE KEY-----']]]) {
      const spki = Buffer.from(await subtle.exportKey('spki', pair.publicKey)).toString('base64');
      const file = join(mkdtempSync(join(tmpdir(), 'authlib-rsa-')), 'pub.pem');
      writeFileSync(file, `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g).join('\n')}\n-----END PUBLIC KEY-----\n`);
      const base = await oauthlib('client-key', 'unused', 'token-key', 'token-secret', file);
      for (const rsaKey of keys) {
        const auth = { type: 'oauth1', clientKey: 'client-key', resourceOwnerKey: 'token-key', resourceOwnerSecret: 'token-secret', signatureMethod: method, rsaKey };
        for (const signatureType of ['header', 'query']) {
          const res = await authlib.fetch(base + '/items?a=1', { auth: { ...auth, signatureType } });
          assert.equal(res.status, 200, `${method} ${typeof rsaKey === 'string' ? 'PEM' : rsaKey.kty ? 'JWK' : 'CryptoKey'} in the ${signatureType}: ${await res.text()}`);
        }
      }
    }
  }
  await assert.rejects(authlib.fetch(BASE + '/anything', { auth: { type: 'oauth1', clientKey: 'k', signatureMethod: 'HMAC-SHA1', rsaKey: 'x' } }),
    (e) => e.code === 'invalid_credentials' && /rsaKey is for signatureMethod RSA-SHA1 or RSA-SHA256/.test(e.message));
  await assert.rejects(authlib.fetch(BASE + '/anything', { auth: { type: 'oauth1', clientKey: 'k', signatureMethod: 'RSA-SHA1' } }),
    (e) => e.code === 'invalid_credentials' && /needs an RSA key/.test(e.message));
});
