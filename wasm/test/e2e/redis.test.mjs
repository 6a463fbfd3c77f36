// Tokens shared by a fleet: one login in Redis (redis.mjs in Node, Go's
// authlib/oauth2/redisstore), one refresh between Go and Node processes,
// against authtest, which rotates refresh tokens and refuses a used one;
// and what the store refuses (make test passes AUTHTEST_URL and installs
// redis-server and the redis package).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, AuthError } from '../../../web/dist/authlib.mjs';
import { redisStore } from '../../../web/dist/redis.mjs';
import { BASE, startRedis } from '../authtest.mjs';

const m = await import(new URL('../../../bin/npm/node_modules/redis/dist/index.js', import.meta.url));
const createClient = m.createClient ?? m.default.createClient;
const SECRET = 'p@ss: 100% +sure';
const settings = { tokenURL: BASE + '/oauth/token', clientId: 'my-app', clientSecret: SECRET, scope: 'read:user' };
const KEY = 'authlib:token:fleet'; // as the Go processes (redisstore's TestChild) name it

let authlib, redis, rc;
before(async () => {
  authlib = await load();
  redis = await startRedis();
  rc = await createClient({ url: redis.url }).connect();
});
after(async () => {
  await rc?.quit();
  redis?.stop();
});

const refreshes = async () => (await (await fetch(BASE + '/stats')).json()).exchanges['grant:refresh_token'] ?? 0;

// login saves a token with a refresh token under KEY, expired.
async function loginExpired() {
  const o = { ...settings, authorizationURL: BASE + '/oauth/authorize', redirectURI: 'http://127.0.0.1/callback', store: redisStore(rc, KEY) };
  const a = await authlib.oauth2.authorize(o);
  const tok = await authlib.oauth2.exchange({ ...o, callback: (await fetch(a.url, { redirect: 'manual' })).headers.get('location'), state: a.state, codeVerifier: a.codeVerifier });
  const saved = JSON.parse(await rc.get(KEY));
  assert.equal(saved.refresh_token, tok.refresh_token);
  await rc.set(KEY, JSON.stringify({ ...saved, expires_at: Math.floor(Date.now() / 1000) - 60, expires_in: undefined }));
  return tok;
}

test('ten processes, five Go and five Node, on one Redis key: 50 requests each after expiry, one refresh, every response 200', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'authlib-redis-'));
  const bin = join(dir, 'redisstore.test');
  await new Promise((resolve, reject) => execFile('go', ['test', '-c', '-o', bin, './authlib/oauth2/redisstore'], { cwd: new URL('../../..', import.meta.url).pathname },
    (err, _o, e) => (err ? reject(new Error(e)) : resolve())));
  const tok = await loginExpired();
  const before = await refreshes();
  const goRun = () => new Promise((resolve) => execFile(bin, ['-test.run=^TestChild$', '-test.count=1', '-test.v'],
    { env: { ...process.env, REDISSTORE_CHILD: 'requests', REDIS_ADDR: redis.addr, AUTHTEST_URL: BASE } }, (err, out) => resolve(err ? 'go: ' + out : out)));
  const nodeRun = () => new Promise((resolve, reject) => {
    const p = fork(new URL('./store.test.mjs', import.meta.url), [], {
      env: { ...process.env, AUTHLIB_STORE_CHILD: JSON.stringify(['requests', '', { ...settings, redis: { url: redis.url, key: KEY } }, BASE + '/oauth/api/user', 50]) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    p.once('message', (msg) => { p.removeAllListeners('exit'); resolve(msg); });
    p.once('exit', (code) => reject(new Error('a Node process exited with ' + code)));
  });
  const runs = await Promise.all([...Array.from({ length: 5 }, goRun), ...Array.from({ length: 5 }, nodeRun)]);
  for (const out of runs.slice(0, 5)) assert.match(out, /50 of 50/);
  assert.deepEqual(runs.slice(5).flat(), Array(250).fill(200));
  assert.equal(await refreshes() - before, 1, 'one refresh for ten processes');
  const after = JSON.parse(await rc.get(KEY));
  assert.notEqual(after.refresh_token, tok.refresh_token, 'rotated');
  assert.ok(after.expires_at > Date.now() / 1000);
  assert.equal(await rc.exists(KEY + ':lock'), 0, 'the lock let go');
});

test('a holder whose lease ran out cannot save; a lock another holds is waited for, and released only by its owner', async () => {
  const key = 'authlib:token:lease';
  const a = redisStore(rc, key, { lease: 300 });
  const b = redisStore(rc, key, { lease: 300 });
  await rc.set(key, '{"access_token":"first"}');
  const releaseA = await a.lock();
  await a.load();
  // A pauses past its lease (its renewal stopped, as a stopped process's).
  await rc.pExpire(key + ':lock', 1);
  await new Promise((r) => setTimeout(r, 20));
  const releaseB = await b.lock();
  await b.load();
  await b.save({ access_token: 'second' }, { access_token: 'first' });
  await assert.rejects(a.save({ access_token: 'late' }, { access_token: 'first' }), (e) => e instanceof AuthError && e.code === 'store' && /lease ran out/.test(e.message));
  releaseA(); // A's release leaves B's lease
  await new Promise((r) => setTimeout(r, 20));
  assert.notEqual(await rc.get(key + ':lock'), null, 'A released B\'s lock');
  releaseB();
  assert.equal(JSON.parse(await rc.get(key)).access_token, 'second');
});

test('redisStore refuses what it cannot use before anything is sent', () => {
  assert.throws(() => redisStore({}, 'k'), (e) => e.code === 'invalid_request');
  assert.throws(() => redisStore(rc, ''), (e) => e.code === 'invalid_request');
});
