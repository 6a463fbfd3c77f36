// HTTP Message Signatures (RFC 9421) from the JS API, checked by an
// RFC 9421 verifier nobody here wrote (http-message-signatures from npm,
// pinned): a loopback server verifies each request's signature with the
// public key, and its Content-Digest against the body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { webcrypto } from 'node:crypto';
import { load, AuthError } from '../../../web/dist/authlib.mjs';

const { subtle } = webcrypto;
// The verifier the Chromium test uses too (web/demo/testdata): POST /keys
// registers a public JWK under a keyid; every other request is verified.
const verifier = fileURLToPath(new URL('../../../web/demo/testdata/httpsig-verifier.mjs', import.meta.url));
const lib = fileURLToPath(new URL('../../../bin/npm/node_modules/http-message-signatures/lib/index.js', import.meta.url));

let authlib, server, base;
before(async () => {
  authlib = await load();
  server = spawn(process.execPath, [verifier, lib], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    createInterface({ input: server.stdout }).once('line', resolve);
    server.once('exit', (code) => reject(new Error('httpsig-verifier.mjs exited ' + code)));
  });
  base = `http://127.0.0.1:${port.trim()}`;
});
after(() => server.stdin.end());

const register = (keyid, alg, jwk) => fetch(base + '/keys', { method: 'POST', body: JSON.stringify({ keyid, alg, jwk }) });

const pem = async (key) => '-----BEGIN PRIVATE KEY-----\n' + Buffer.from(await subtle.exportKey('pkcs8', key)).toString('base64') + '\n-----END PRIVATE KEY-----\n';

test('httpsig: the npm verifier accepts every algorithm, from a CryptoKey (non-extractable too), a JWK, a PEM and bytes', async () => {
  const cases = [];
  const add = async (name, genAlg, alg, extractable = true) => {
    const pair = await subtle.generateKey(genAlg, extractable, ['sign', 'verify']);
    await register(name, alg, await subtle.exportKey('jwk', pair.publicKey));
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
  await register('hmac', 'hmac-sha256', { kty: 'oct', k: Buffer.from(secret).toString('base64url') });
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
    // One query parameter (RFC 9421 §2.2.8), its value with a space (%20 both ways).
    const qp = await authlib.fetch(base + '/q?b=1&c=x+y', { auth: { ...auth, components: ['@method', '@query-param;name="c"'] } });
    assert.equal(qp.status, 200, `${name} @query-param: ${await qp.text()}`);
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
