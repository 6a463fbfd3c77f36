// authlib-lite.wasm through authlib-wasm/lite (lite.mjs): the schemes it
// has work as in the full build; those it lacks are AuthError unsupported
// before anything is sent, naming the full build.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { load as loadLite } from '../../../web/dist/lite.mjs';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { BASE, exchanges } from '../authtest.mjs';

let lite;
before(async () => { lite = await loadLite(); });

test('the lite build answers Basic, Digest (MD5, SHA-256, SHA-512-256), Bearer and header tokens as the full one does', async () => {
  for (const [auth, path, status] of [
    [['user', 'pass'], '/basic-auth/user/pass', 200],
    [{ type: 'digest', username: 'user', password: 'pass' }, '/digest-auth/auth/user/pass/SHA-256', 200],
    [{ type: 'digest', username: 'user', password: 'pass' }, '/digest-auth/auth-int/user/pass/SHA-512-256', 200],
    [{ type: 'digest', username: 'user', password: 'pass' }, '/digest-auth/auth/user/pass/MD5', 200],
    [{ type: 'bearer', token: 't0k' }, '/bearer/t0k', 200],
    [{ type: 'header', name: 'X-TokenAuth', value: 't0k' }, '/token-auth/t0k', 200],
  ]) {
    const res = await lite.fetch(BASE + path, { auth });
    assert.equal(res.status, status, JSON.stringify(auth));
  }
  const c = lite.client({ auth: { type: 'digest', username: 'user', password: 'pass' } });
  for (let i = 0; i < 3; i++) assert.equal((await c.fetch(BASE + '/digest-auth/auth/user/pass/SHA-256')).status, 200);
});

test('what the lite build lacks is unsupported, names the full build, and sends nothing', async () => {
  const before = await exchanges('/anything/lite');
  const unsupported = (e) => e instanceof AuthError && e.code === 'unsupported' && /full build/.test(e.message);
  for (const auth of [
    { type: 'aws4', accessKeyId: 'AKID', secretAccessKey: 's', region: 'us-east-1', service: 's3' },
    { type: 'oauth1', clientKey: 'k', clientSecret: 's' },
    { type: 'httpsig', keyId: 'k', key: new Uint8Array(32) },
    { type: 'oauth2', issuer: BASE, clientId: 'my-app', clientSecret: 's' },
  ]) {
    await assert.rejects(lite.fetch(BASE + '/anything/lite', { auth }), unsupported, auth.type);
    assert.throws(() => lite.client({ auth }), unsupported, auth.type + ' client');
  }
  await assert.rejects(lite.oauth2.discover(BASE), unsupported);
  await assert.rejects(lite.aws4.presign(BASE + '/x', { accessKeyId: 'A', secretAccessKey: 's', region: 'r', service: 's' }), unsupported);
  await assert.rejects(lite.oauth1.requestToken(BASE + '/x', { clientKey: 'k', clientSecret: 's' }), unsupported);
  assert.equal(await exchanges('/anything/lite'), before);
});

test('load takes which build, and refuses another name or key', async () => {
  const full = await load();
  assert.notEqual(full, lite);
  assert.equal(await load({ build: 'lite' }), lite);
  assert.equal(await load({ build: 'full' }), full);
  await assert.rejects(load({ build: 'tiny' }), (e) => e instanceof AuthError && /full.*lite/.test(e.message));
  await assert.rejects(load({ bild: 'lite' }), (e) => e instanceof AuthError && /build/.test(e.message));
});

test('the lite binary holds none of the schemes it leaves out', async () => {
  const { readFile } = await import('node:fs/promises');
  const dist = new URL('../../../web/dist/', import.meta.url);
  const [full, small] = await Promise.all([readFile(new URL('authlib.wasm', dist)), readFile(new URL('authlib-lite.wasm', dist))]);
  // A string each scheme's code writes: present in the full build, absent in the lite one.
  for (const s of ['AWS4-HMAC-SHA256', 'oauth_signature_method', '@signature-params', 'client_assertion_type', 'code_challenge_method']) {
    assert.ok(full.includes(s), `full build: ${s}`);
    assert.ok(!small.includes(s), `lite build: ${s}`);
  }
  assert.ok(small.length < full.length * 0.9);
});
