// OAuth token stores through the JS API (issue 21): a file shared by Node
// processes, an object of the caller's, and what a store given bad data
// does; against authtest, which rotates refresh tokens and refuses a used
// one (make test passes AUTHTEST_URL).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile, stat, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, AuthError } from '../../../web/dist/authlib.mjs';

const BASE = process.env.AUTHTEST_URL;
const API = BASE + '/oauth/api/user';
const client = { issuer: BASE, clientId: 'public-app', scope: 'read:user' };
const child = process.env.AUTHLIB_STORE_CHILD;
if (!BASE && !child) throw new Error('AUTHTEST_URL is not set: run through make test, which starts authtest');

let authlib;
if (child) {
  // One of the processes: what the parent asks for (by default against
  // authtest; the interop tests give another server's settings and API),
  // then its statuses.
  authlib = await load();
  const [what, path, settings = client, url = API, count = 25] = JSON.parse(child);
  if (what === 'requests') {
    // settings.redis ({ url, key }): the token is kept in Redis (redis.mjs)
    // in place of the file.
    const { redis, ...oauth } = settings;
    let store = { file: path }, rc;
    if (redis) {
      const m = await import(new URL('../../../bin/npm/node_modules/redis/dist/index.js', import.meta.url));
      const createClient = m.createClient ?? m.default.createClient;
      rc = await createClient({ url: redis.url }).connect();
      store = (await import('../../../web/dist/redis.mjs')).redisStore(rc, redis.key);
    }
    const api = authlib.client({ auth: { type: 'oauth2', ...oauth, store } });
    const statuses = await Promise.all(Array.from({ length: count }, () => api.fetch(url).then((r) => r.status, (e) => e.code + ': ' + e.message)));
    api.close();
    await rc?.quit();
    process.send(statuses, () => process.exit(0));
  } else if (what === 'hold') {
    // Holds the file's lock as a process in the middle of a refresh does.
    const { readStore } = await import('../../../web/dist/store.mjs');
    await readStore({ file: path }).lock();
    process.send('locked');
    setInterval(() => {}, 1000);
  }
} else {
  before(async () => { authlib = await load(); });
}

async function stats() {
  return (await (await fetch(BASE + '/stats')).json()).exchanges;
}

const refreshes = async () => (await stats())['grant:refresh_token'] ?? 0;

// login gets a token with a refresh token through the device flow (the
// user approves at once), saving it in store when one is given.
function login(store) {
  return authlib.oauth2.device({ ...client, store, onCode: (c) => { fetch(c.verification_uri_complete); } });
}

const expire = (text) => {
  const t = JSON.parse(text);
  t.expires_at = Math.floor(Date.now() / 1000) - 60;
  delete t.expires_in;
  return JSON.stringify(t);
};

function run(what, path, settings) {
  return new Promise((resolve, reject) => {
    const p = fork(new URL(import.meta.url), [], { env: { ...process.env, AUTHLIB_STORE_CHILD: JSON.stringify(settings ? [what, path, settings] : [what, path]) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    p.once('message', (m) => resolve({ proc: p, message: m }));
    p.once('exit', (code) => reject(new Error(what + ' process exited with ' + code)));
  });
}

if (!child) {
  test('a program logs in once: the device flow saves the token in a 0600 file, and a client (a later run) needing only the store uses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'authlib-store-'));
    const store = { file: join(dir, 'token.json') };
    const api = authlib.client({ auth: { type: 'oauth2', ...client, store } });
    await assert.rejects(api.fetch(API), (e) => e instanceof AuthError && e.code === 'login_required' && /log in/.test(e.message));
    const tok = await login(store);
    assert.equal((await stat(store.file)).mode & 0o777, 0o600);
    const saved = JSON.parse(await readFile(store.file, 'utf8'));
    assert.equal(saved.access_token, tok.access_token);
    assert.equal(saved.client_id, 'public-app');
    assert.equal(saved.server, BASE);
    // The client that found no token finds the saved one now.
    assert.equal((await api.fetch(API)).status, 200);
    api.close();
    const { proc, message } = await run('requests', store.file);
    proc.removeAllListeners('exit');
    assert.deepEqual(message, Array(25).fill(200));
    assert.deepEqual((await readdir(dir)).sort(), ['token.json'], 'no temporary or lock file left');
  });

  test('four processes share one file: 25 requests each after the token expired, one refresh, and the file valid and 0600 after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'authlib-store-'));
    const path = join(dir, 'token.json');
    const tok = await login({ file: path });
    await writeFile(path, expire(await readFile(path, 'utf8')));
    const before = await refreshes();
    const done = await Promise.all(Array.from({ length: 4 }, () => run('requests', path)));
    for (const { proc } of done) proc.removeAllListeners('exit');
    assert.deepEqual(done.map((d) => d.message).flat(), Array(100).fill(200));
    assert.equal(await refreshes() - before, 1, 'one token request for four processes');
    const after = JSON.parse(await readFile(path, 'utf8'));
    assert.notEqual(after.refresh_token, tok.refresh_token, 'the refresh token rotated');
    assert.ok(after.expires_at > Date.now() / 1000);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  test('a process killed while it holds the lock (mid-refresh) leaves the lock free and the file whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'authlib-store-'));
    const path = join(dir, 'token.json');
    await login({ file: path });
    await writeFile(path, expire(await readFile(path, 'utf8')));
    const whole = await readFile(path, 'utf8');
    const { proc } = await run('hold', path);
    proc.removeAllListeners('exit');
    const before = await refreshes();
    const api = authlib.client({ auth: { type: 'oauth2', ...client, store: { file: path } } });
    const res = api.fetch(API);
    const first = await Promise.race([res.then(() => 'done', () => 'done'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
    assert.equal(first, 'waiting', 'the lock was free while another process held it');
    assert.equal(await readFile(path, 'utf8'), whole);
    proc.kill('SIGKILL');
    assert.equal((await res).status, 200);
    assert.equal(await refreshes() - before, 1);
    api.close();
  });

  test('a lock file whose pid is now another process\'s (a restarted pid 1), or this process\'s own, is taken over at once; a live holder\'s is not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'authlib-store-'));
    const path = join(dir, 'token.json');
    await login({ file: path });
    const sleeper = spawn('sleep', ['30']);
    await new Promise((r) => sleeper.once('spawn', r));
    const statOf = async (pid) => (await readFile('/proc/' + pid + '/stat', 'utf8')).split(') ')[1].split(' ')[19];
    try {
      for (const [name, line, held] of [
        ['a reused pid', `authlib-lock 1 ${sleeper.pid} 1 abc\n`, false],
        ['this process, not holding it', `authlib-lock 1 ${process.pid} ${await statOf(process.pid)} abc\n`, false],
        ['a live holder', `authlib-lock 1 ${sleeper.pid} ${await statOf(sleeper.pid)} abc\n`, true],
      ]) {
        await writeFile(path, expire(await readFile(path, 'utf8'))); // the call needs the lock
        await writeFile(path + '.lock', line);
        const api = authlib.client({ auth: { type: 'oauth2', ...client, store: { file: path } } });
        const res = api.fetch(API + '?' + name.replaceAll(' ', '-'));
        const first = await Promise.race([res.then((r) => r.status, (e) => e.code), new Promise((r) => setTimeout(() => r('waiting'), 1000))]);
        assert.equal(first, held ? 'waiting' : 200, name);
        await rm(path + '.lock', { force: true });
        await res.catch(() => {});
        api.close();
      }
    } finally {
      sleeper.kill();
    }
  });

  test('a Go process and a Node process share one file and one lock: one refresh between them, against a server that rotates refresh tokens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'authlib-store-'));
    const path = join(dir, 'token.json');
    // The Go side: authlib/oauth2's TestFileStoreChild, 25 requests through
    // a FileStore with these settings.
    const bin = join(dir, 'oauth2.test');
    await new Promise((resolve, reject) => execFile('go', ['test', '-c', '-o', bin, './authlib/oauth2'], { cwd: new URL('../../..', import.meta.url).pathname }, (err, _o, e) => (err ? reject(new Error(e)) : resolve())));
    const confidential = { tokenURL: BASE + '/oauth/token', clientId: 'my-app', clientSecret: 'p@ss: 100% +sure', scope: 'read:user' };
    const o = { ...confidential, authorizationURL: BASE + '/oauth/authorize', redirectURI: 'http://127.0.0.1/callback', store: { file: path } };
    const a = await authlib.oauth2.authorize(o);
    const tok = await authlib.oauth2.exchange({ ...o, callback: (await fetch(a.url, { redirect: 'manual' })).headers.get('location'), state: a.state, codeVerifier: a.codeVerifier });
    await writeFile(path, expire(await readFile(path, 'utf8')));
    const before = await refreshes();
    const goRun = () => new Promise((resolve) => execFile(bin, ['-test.run=^TestFileStoreChild$', '-test.count=1'], { env: { ...process.env, AUTHLIB_STORE_CHILD: path, AUTHTEST_URL: BASE } }, (err, out) => resolve(err ? 'go: ' + out : 'ok')));
    const [go1, go2, ...node] = await Promise.all([goRun(), goRun(), run('requests', path, confidential), run('requests', path, confidential)]);
    for (const { proc } of node) proc.removeAllListeners('exit');
    assert.deepEqual([go1, go2], ['ok', 'ok']);
    assert.deepEqual(node.map((d) => d.message).flat(), Array(50).fill(200));
    assert.equal(await refreshes() - before, 1, 'one token request for the four processes');
    assert.notEqual(JSON.parse(await readFile(path, 'utf8')).refresh_token, tok.refresh_token);
    assert.deepEqual((await readdir(dir)).sort(), ['oauth2.test', 'token.json'], 'no lock or temporary file left');
  });

  test('a store given bad data (cut short, another client\'s or server\'s token, another scope) is no token: an AuthError store, nothing sent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'authlib-store-'));
    const path = join(dir, 'token.json');
    const tok = await login({ file: path });
    const good = await readFile(path, 'utf8');
    const cases = {
      'cut short': [good.slice(0, good.length / 2), client],
      'another client': [good, { ...client, clientId: 'my-app', clientSecret: undefined, clientAuth: 'none' }],
      'another server': [good.replace(BASE, 'http://127.0.0.1:9'), client],
      'another scope': [good, { ...client, scope: 'admin' }],
    };
    for (const [name, [text, settings]] of Object.entries(cases)) {
      await writeFile(path, text);
      const before = await stats();
      const api = authlib.client({ auth: { type: 'oauth2', ...settings, store: { file: path } } });
      await assert.rejects(api.fetch(API), (e) => {
        assert.ok(e instanceof AuthError, name);
        assert.equal(e.code, 'store', name + ': ' + e.message);
        assert.ok(!e.message.includes(tok.access_token) && !e.message.includes(tok.refresh_token), name);
        return true;
      });
      api.close();
      const after = await stats();
      for (const k of ['/oauth/api/user', '/oauth/token']) assert.equal(after[k] ?? 0, before[k] ?? 0, name + ': ' + k + ' was sent to');
    }
  });

  test('an object store of the caller\'s: two clients with its lock refresh once, save gets the token and the one it replaces', async () => {
    const tok = await login();
    let kept = null;
    const saves = [];
    let held = Promise.resolve();
    let locks = 0;
    const store = {
      load: () => kept,
      save: (t, prev) => {
        assert.equal(prev?.access_token ?? null, kept?.access_token ?? null, 'previous is what the store holds');
        saves.push([t, prev]);
        kept = t;
      },
      lock: () => {
        locks++;
        let release;
        const next = new Promise((r) => (release = r));
        const mine = held.then(() => release);
        held = held.then(() => next);
        return mine;
      },
    };
    await login(store);
    kept = { ...kept, expires_at: Math.floor(Date.now() / 1000) - 60, expires_in: undefined };
    const old = kept;
    const before = await refreshes();
    const a = authlib.client({ auth: { type: 'oauth2', ...client, store } });
    const b = authlib.client({ auth: { type: 'oauth2', ...client, store } });
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).fetch(API)));
    assert.deepEqual(res.map((r) => r.status), Array(40).fill(200));
    assert.equal(await refreshes() - before, 1);
    assert.ok(locks >= 2, 'the store\'s own lock was taken: ' + locks);
    const last = saves.at(-1);
    assert.equal(last[1].refresh_token, old.refresh_token);
    assert.notEqual(last[0].refresh_token, old.refresh_token);
    assert.equal(last[0].client_id, 'public-app');
    assert.notEqual(tok.access_token, last[0].access_token);
    a.close();
    b.close();
  });

  test('a store option of the wrong kind, and IndexedDB in Node, are refused before anything is sent', async () => {
    for (const store of [{}, 'token.json', { file: '' }, { load: () => null }]) {
      assert.throws(() => authlib.client({ auth: { type: 'oauth2', ...client, store } }), (e) => e instanceof AuthError && e.code === 'invalid_request' && /store is/.test(e.message));
    }
    assert.throws(() => authlib.client({ auth: { type: 'oauth2', ...client, store: { indexedDB: 'tokens' } } }), (e) => e instanceof AuthError && e.code === 'unsupported' && /file/.test(e.message));
    await assert.rejects(authlib.fetch(API, { auth: { type: 'oauth2', ...client, store: { nope: 1 } } }), (e) => e.code === 'invalid_request');
  });

  test('a store of the caller\'s whose load or lock never settles ends the call at its timeout, and a lock that comes later is let go', async () => {
    const never = () => new Promise(() => {});
    const alive = setInterval(() => {}, 1000); // a promise never settled holds no process alive; the test's timer does
    try {
      for (const store of [{ load: never, save: () => {}, timeout: 200 }, { load: () => null, save: () => {}, lock: never, timeout: 200 }]) {
        const started = Date.now();
        await assert.rejects(authlib.fetch(API, { auth: { type: 'oauth2', ...client, store } }),
          (e) => e instanceof AuthError && e.code === 'store' && /did not settle within 200 ms/.test(e.message + ' ' + e.cause?.message));
        assert.ok(Date.now() - started < 5000);
      }
      let released = 0;
      const late = { load: () => null, save: () => {}, timeout: 100, lock: () => new Promise((r) => setTimeout(() => r(() => released++), 300)) };
      await assert.rejects(authlib.fetch(API, { auth: { type: 'oauth2', ...client, store: late } }), (e) => e.code === 'store');
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(released, 1);
      assert.throws(() => authlib.client({ auth: { type: 'oauth2', ...client, store: { load: never, save: never, timeout: -1 } } }), (e) => e.code === 'invalid_request');
    } finally {
      clearInterval(alive);
    }
  });

  test('a store whose load throws is an AuthError store, its error the cause; a logout removes the saved token', async () => {
    const api = authlib.client({ auth: { type: 'oauth2', ...client, store: { load: () => { throw new Error('db down'); }, save: () => {} } } });
    await assert.rejects(api.fetch(API), (e) => e.code === 'store' && /load/.test(e.message));
    api.close();
    const dir = await mkdtemp(join(tmpdir(), 'authlib-store-'));
    const store = { file: join(dir, 'token.json') };
    await login(store);
    const out = authlib.client({ auth: { type: 'oauth2', ...client, revocationURL: BASE + '/oauth/revoke', store } });
    assert.equal((await out.fetch(API)).status, 200);
    await out.logout();
    assert.deepEqual(await readdir(dir), []);
    out.close();
  });
}
