// authlib.wasm built with fewer parts: -tags authlib_nooauthflows keeps the
// OAuth scheme and leaves out the flows of authlib.oauth2; -tags
// authlib_nooauth leaves out OAuth. What is left out rejects as
// unsupported, at once, and the rest works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BASE = process.env.AUTHTEST_URL;
if (!BASE) throw new Error('AUTHTEST_URL is not set: run through make test, which starts authtest');
const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../..');
const client = { issuer: BASE, clientId: 'my-app', clientSecret: 'p@ss: 100% +sure' };

// variant builds authlib.wasm with tag and loads it into a module instance
// of its own (authlib.mjs keeps one instance per module).
async function variant(dir, tag) {
  const out = join(dir, `${tag}.wasm`);
  execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', `-tags=${tag}`, '-o', out, './authlib/cmd/authlib-wasm'],
    { cwd: root, env: { ...process.env, GOOS: 'js', GOARCH: 'wasm' } });
  const { load } = await import(`../../../web/dist/authlib.mjs?${tag}`);
  return load(out);
}

const unsupported = (e) => e?.name === 'AuthError' && e.code === 'unsupported';

test('built without parts of OAuth: what is left out is unsupported, the rest works', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'authlib-variants-'));
  try {
    const scheme = await variant(dir, 'authlib_nooauthflows');
    const api = scheme.client({ auth: { type: 'oauth2', ...client, scope: 'read:user' } });
    const res = await api.fetch(BASE + '/oauth/api/user');
    assert.deepEqual(await res.json(), { login: 'my-app', scope: 'read:user' });
    await assert.rejects(scheme.oauth2.discover(BASE), unsupported);
    await assert.rejects(scheme.oauth2.device({ ...client }), unsupported);

    const none = await variant(dir, 'authlib_nooauth');
    await assert.rejects(none.fetch(BASE + '/oauth/api/user', { auth: { type: 'oauth2', ...client } }), unsupported);
    await assert.rejects(none.oauth2.authorize({ ...client, redirectURI: 'http://127.0.0.1/callback' }), unsupported);
    const basic = await none.fetch(BASE + '/basic-auth/u/p', { auth: ['u', 'p'] });
    assert.equal(basic.status, 200);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
