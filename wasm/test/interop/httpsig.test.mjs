// HTTP Message Signatures (RFC 9421) from the JS API, checked by an
// RFC 9421 verifier nobody here wrote (http-message-signatures from npm,
// pinned): a loopback server verifies each request's signature with the
// public key, and its Content-Digest against the body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createHash, createPublicKey, webcrypto } from 'node:crypto';
import { load, AuthError } from '../../../web/dist/authlib.mjs';

const require = createRequire(import.meta.url);
const { httpbis: { verifyMessage }, createVerifier } = require(new URL('../../../bin/npm/node_modules/http-message-signatures/lib/index.js', import.meta.url).pathname);
const { subtle } = webcrypto;

let authlib, server, base;
const keys = new Map(); // keyid → { alg, verify }
before(async () => {
  authlib = await load();
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const message = { method: req.method, url: 'http://' + req.headers.host + req.url, headers: req.headers };
      let answer = 'ok';
      try {
        const verified = await verifyMessage({ keyLookup: async (p) => keys.get(p.keyid) ?? null }, message);
        if (!verified) answer = 'not verified';
        const cd = req.headers['content-digest'];
        if (body.length > 0 && cd !== 'sha-256=:' + createHash('sha256').update(body).digest('base64') + ':') answer = 'content-digest ' + cd;
      } catch (err) {
        answer = 'refused: ' + err.message;
      }
      res.writeHead(answer === 'ok' ? 200 : 401).end(answer);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const pem = async (key) => '-----BEGIN PRIVATE KEY-----\n' + Buffer.from(await subtle.exportKey('pkcs8', key)).toString('base64') + '\n-----END PRIVATE KEY-----\n';

test('httpsig: the npm verifier accepts every algorithm, from a CryptoKey (non-extractable too), a JWK, a PEM and bytes', async () => {
  const cases = [];
  const add = async (name, genAlg, alg, extractable = true) => {
    const pair = await subtle.generateKey(genAlg, extractable, ['sign', 'verify']);
    const pub = createPublicKey({ key: await subtle.exportKey('jwk', pair.publicKey), format: 'jwk' });
    keys.set(name, { id: name, alg, verify: createVerifier(pub, alg) });
    cases.push([name + ' CryptoKey', { keyId: name, key: pair.privateKey }]);
    if (extractable) {
      cases.push([name + ' JWK', { keyId: name, key: await subtle.exportKey('jwk', pair.privateKey), alg: alg.startsWith('rsa') ? alg : undefined }]);
      cases.push([name + ' PEM', { keyId: name, key: await pem(pair.privateKey), alg: alg.startsWith('rsa') ? alg : undefined }]);
    }
  };
  await add('ed25519-sealed', { name: 'Ed25519' }, 'ed25519', false); // never leaves WebCrypto
  await add('ed25519', { name: 'Ed25519' }, 'ed25519');
  await add('p256', { name: 'ECDSA', namedCurve: 'P-256' }, 'ecdsa-p256-sha256');
  const rsa = { modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };
  await add('rsa-pss', { name: 'RSA-PSS', hash: 'SHA-512', ...rsa }, 'rsa-pss-sha512');
  await add('rsa-v15', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', ...rsa }, 'rsa-v1_5-sha256');
  const secret = new TextEncoder().encode('a shared secret of some length');
  keys.set('hmac', { id: 'hmac', alg: 'hmac-sha256', verify: createVerifier(Buffer.from(secret), 'hmac-sha256') });
  cases.push(['hmac bytes', { keyId: 'hmac', key: secret }]);

  for (const [name, opts] of cases) {
    const auth = { type: 'httpsig', ...opts, expires: 300, nonce: true, tag: 'web-bot-auth' };
    const client = authlib.client({ auth });
    for (const [path, init] of [['/a?b=1&c=x%20y', {}], ['/items', { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'Content-Type': 'application/json' } }]]) {
      for (const res of [await authlib.fetch(base + path, { ...init, auth }), await client.fetch(base + path, init)]) {
        assert.equal(res.status, 200, `${name} ${init.method ?? 'GET'} ${path}: ${await res.text()}`);
      }
    }
    // Chosen components, a header among them.
    const res = await authlib.fetch(base + '/x', { headers: { 'X-Date': 'today' }, auth: { ...auth, components: ['@method', '@path', '@query', 'x-date'] } });
    assert.equal(res.status, 200, `${name} chosen components: ${await res.text()}`);
    client.close();
  }
  // A key that signs something else is refused by the verifier: the check can fail.
  const other = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  const res = await authlib.fetch(base + '/a', { auth: { type: 'httpsig', keyId: 'ed25519', key: other.privateKey } });
  assert.equal(res.status, 401);
});

test('httpsig refuses, before sending, what it cannot sign', async () => {
  const pair = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  for (const [auth, code, want] of [
    [{ type: 'httpsig', key: pair.privateKey }, 'invalid_credentials', /auth.keyId must be a string/],
    [{ type: 'httpsig', keyId: 'k', key: pair.publicKey }, 'invalid_credentials', /private or secret key/],
    [{ type: 'httpsig', keyId: 'k', key: 'not a pem' }, 'invalid_credentials', /PKCS #8/],
    [{ type: 'httpsig', keyId: 'k', key: 42 }, 'invalid_credentials', /CryptoKey, a JWK, a PEM string, or bytes/],
    [{ type: 'httpsig', keyId: 'k', key: pair.privateKey, components: ['x-missing'] }, 'invalid_request', /no x-missing header/],
    [{ type: 'httpsig', keyId: 'k', key: pair.privateKey, components: 'date' }, 'invalid_request', /array of strings/],
  ]) {
    await assert.rejects(authlib.fetch(base + '/refused', { auth }), (e) => {
      assert.ok(e instanceof AuthError, String(e));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, want);
      return true;
    });
  }
});
