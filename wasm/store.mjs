// store.mjs — where an OAuth client keeps its token so that other tabs,
// processes and runs share it (auth { type: 'oauth2', …, store }). Go reads
// the store before each token request and writes it after, under its lock
// (oauth2.TextStore): whoever renews first wins, the others load what it
// saved. The text kept is Go's (oauth2.Config.SavedText), which Go checks
// when it loads it; this module only keeps it.

import { AuthError, isNode, knownKeys, nodeImport } from './common.mjs';

// LOCK_WAIT bounds the wait for another tab's or process's renewal (its
// token request has a 30 s timeout of its own).
const LOCK_WAIT = 65_000;

const fail = (why, code = 'invalid_request') => new AuthError('authlib: store ' + why, code);

// readStore reads the store option once: { file: path } (Node), {
// indexedDB: name } (browsers and Workers), or an object of the caller's
// with load() and save(token, previous) (and, to share it with other tabs
// or processes, lock(), resolving to a function that releases the lock).
// It returns { load, save, lock }: a promise of the text kept ('' for
// none), of saving a text ('' deletes it), and of a release function.
//
// The same store read again is the same object: { file } and { indexedDB }
// by their path or name, a caller's object by itself. So a call's own
// store finds the client made for it the first time (see send.mjs), whose
// token serves without loading the store again.
export function readStore(s) {
  if (s !== null && typeof s === 'object') {
    if (typeof s.file === 'string' && s.file !== '') return knownKeys('store', s, ['file']), named('file:' + s.file, () => fileStore(s.file));
    if (typeof s.indexedDB === 'string' && s.indexedDB !== '') return knownKeys('store', s, ['indexedDB']), named('idb:' + s.indexedDB, () => indexedDBStore(s.indexedDB));
    if (typeof s.load === 'function' && typeof s.save === 'function') {
      let st = callerStores.get(s);
      if (!st) callerStores.set(s, (st = objectStore(s)));
      return st;
    }
  }
  throw fail('is { file: path } (Node), { indexedDB: name } (browsers), or an object with load() and save(token, previous)');
}

const namedStores = new Map(); // 'file:' + path or 'idb:' + name → its store
const callerStores = new WeakMap(); // a caller's store object → ours over it

function named(key, make) {
  let st = namedStores.get(key);
  if (!st) namedStores.set(key, (st = make()));
  return st;
}

// fileStore keeps the text in a file of mode 0600, written to a temporary
// file beside it and renamed over it, so that no reader sees half of it.
// Its lock is the file path + '.lock', in the protocol Go's
// oauth2.FileStore follows too (see lockFile), so that a Go and a Node
// program sharing the file lock each other out.
function fileStore(path) {
  if (!isNode) throw fail('{ file } is for Node; in a browser, use { indexedDB: name }', 'unsupported');
  const fsp = nodeImport('node:fs/promises');
  fsp.catch(() => {});
  return {
    load: () => fsp.then((fs) => fs.readFile(path, 'utf8')).catch((err) => {
      if (err?.code === 'ENOENT') return '';
      throw fail('file ' + path + ' cannot be read (' + err?.code + ')', 'store');
    }),
    save: (text) => fsp.then((fs) => (text === '' ? fs.rm(path, { force: true }) : replaceFile(fs, path, text + '\n'))),
    lock: () => fsp.then((fs) => lockFile(fs, path + '.lock')),
  };
}

async function replaceFile(fs, path, text) {
  const tmp = path + '.' + process.pid + '.' + Math.random().toString(36).slice(2) + '.tmp';
  try {
    const h = await fs.open(tmp, 'wx', 0o600);
    try {
      await h.writeFile(text);
      await h.sync();
    } finally {
      await h.close();
    }
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw fail('file ' + path + ' cannot be written (' + err?.code + ')', 'store');
  }
}

// lockFile takes the lock file, waiting while a live process holds it.
// The protocol (authlib/oauth2/lockfile.go has it in full): the file is
// made exclusively and holds "authlib-lock 1 PID START TOKEN", START the
// holder's start time from /proc ('-' where there is none); it is let go
// by removing it while it still holds TOKEN. A waiter takes over a lock
// whose process is gone, whose PID now names a process started at another
// time (a reused pid: a container's pid 1 restarted), or that names this
// very process but a token it does not hold (a process never waits on
// itself), or a file without its line for 5 s; it renames the file aside
// and puts it back if what it moved is not what it judged stale.
async function lockFile(fs, file) {
  const deadline = Date.now() + LOCK_WAIT;
  const token = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  const line = `authlib-lock 1 ${process.pid} ${await processStart(fs, process.pid)} ${token}\n`;
  for (let wait = 2; ; wait = Math.min(wait * 2, 25)) {
    try {
      const h = await fs.open(file, 'wx', 0o600);
      heldLocks.add(token);
      try {
        await h.writeFile(line);
      } finally {
        await h.close();
      }
      // Let go at once (synchronously: a process may exit right after).
      const sync = await nodeImport('node:fs');
      return () => {
        heldLocks.delete(token);
        try {
          if (sync.readFileSync(file, 'utf8') === line) sync.rmSync(file, { force: true });
        } catch {}
      };
    } catch (err) {
      if (err?.code !== 'EEXIST') throw fail('lock ' + file + ' cannot be made (' + err?.code + ')', 'store');
    }
    const seen = await fs.readFile(file, 'utf8').catch(() => null);
    if (seen !== null && (await staleLock(fs, file, seen))) {
      const aside = file + '.' + token + '.stale';
      if (await fs.rename(file, aside).then(() => true, () => false)) {
        if ((await fs.readFile(aside, 'utf8').catch(() => seen)) !== seen) await fs.link(aside, file).catch(() => {});
        await fs.rm(aside, { force: true }).catch(() => {});
      }
      continue;
    }
    if (Date.now() > deadline) throw fail('lock ' + file + ' is still held by another process after ' + LOCK_WAIT / 1000 + ' s', 'timeout');
    await new Promise((r) => setTimeout(r, wait));
  }
}

const heldLocks = new Set(); // the tokens of the lock files this process holds

async function staleLock(fs, file, text) {
  const f = text.trim().split(/\s+/);
  if (f.length !== 5 || f[0] !== 'authlib-lock' || f[1] !== '1') {
    const st = await fs.stat(file).catch(() => null);
    return st !== null && Date.now() - st.mtimeMs > 5000;
  }
  const pid = Number(f[2]);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return !heldLocks.has(f[4]);
  if (!alive(pid)) return true;
  const start = await processStart(fs, pid);
  return f[3] !== '-' && start !== '-' && start !== f[3];
}

// processStart is the start time of process pid as /proc has it (field 22
// of /proc/PID/stat), or '-' where there is no /proc.
async function processStart(fs, pid) {
  const s = await fs.readFile('/proc/' + pid + '/stat', 'utf8').catch(() => null);
  if (s === null) return '-';
  const f = s.slice(s.lastIndexOf(')') + 1).trim().split(/\s+/);
  return f.length >= 20 ? f[19] : '-';
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err?.code === 'EPERM'; // alive, another user's
  }
}

// indexedDBStore keeps the text in IndexedDB (database name, object store
// 'token'), which every tab and worker of the origin shares; its lock is a
// Web Lock of the same name, which the browser lets go when a tab holding
// it closes.
function indexedDBStore(name) {
  const idb = globalThis.indexedDB;
  if (!idb) throw fail('{ indexedDB } needs IndexedDB (a browser, a Worker); in Node, use { file: path }', 'unsupported');
  const db = () => {
    let p = databases.get(name);
    if (!p) {
      p = new Promise((resolve, reject) => {
        const req = idb.open(name, 1);
        req.onupgradeneeded = () => req.result.createObjectStore('token');
        req.onsuccess = () => {
          const d = req.result;
          d.onversionchange = () => {
            d.close();
            databases.delete(name);
          };
          resolve(d);
        };
        req.onerror = () => reject(req.error);
        req.onblocked = () => reject(new Error('blocked by another tab'));
      });
      p.catch(() => databases.delete(name));
      databases.set(name, p);
    }
    return p;
  };
  const run = (mode, act) => db().then((d) => new Promise((resolve, reject) => {
    const tx = d.transaction('token', mode);
    const req = act(tx.objectStore('token'));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  })).catch((err) => {
    throw fail('IndexedDB ' + name + ' cannot be ' + (mode === 'readonly' ? 'read' : 'written') + ' (' + (err?.name ?? err) + ')', 'store');
  });
  return {
    load: () => run('readonly', (s) => s.get('token')).then((v) => (typeof v === 'string' ? v : '')),
    save: (text) => run('readwrite', (s) => (text === '' ? s.delete('token') : s.put(text, 'token'))).then(() => undefined),
    lock: () => webLock('authlib:' + name, name),
  };
}

const databases = new Map(); // name → a promise of its open IDBDatabase

// webLock takes the Web Lock name (or, where there are no Web Locks, a
// lock of this realm's); it resolves to the function that releases it.
function webLock(name, key) {
  const locks = globalThis.navigator?.locks;
  if (!locks) return localLock(key);
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.timeout(LOCK_WAIT);
    locks.request(name, { signal }, () => new Promise((release) => resolve(release))).catch((err) => {
      reject(err?.name === 'TimeoutError' ? fail('lock ' + name + ' is still held by another tab after ' + LOCK_WAIT / 1000 + ' s', 'timeout') : fail('lock ' + name + ' cannot be taken', 'store'));
    });
  });
}

// localLock serialises the holders of key within this realm (one page,
// one process): a caller's store without a lock of its own.
function localLock(key) {
  const prev = localLocks.get(key) ?? Promise.resolve();
  let release;
  const held = new Promise((r) => (release = r));
  const tail = prev.then(() => held);
  localLocks.set(key, tail);
  tail.then(() => localLocks.get(key) === tail && localLocks.delete(key));
  return prev.then(() => release);
}

const localLocks = new Map();

// objectStore is a store of the caller's: load() resolves to the token
// (an object as onToken gets, or its JSON text) or null; save(token,
// previous) keeps token (null: delete) where previous was (null: none),
// and should fail when it is no longer there. lock(), when it has one,
// resolves to the function that releases it; without one, the lock is
// this page's or process's only. Each call is bounded by timeout (ms,
// LOCK_WAIT unless given): one that never settles (a database that does
// not answer) is an AuthError timeout, not a call that waits for ever; a
// lock that comes after it is released at once.
function objectStore(s) {
  let last = ''; // the text load gave last: what save replaces
  const text = (v) => (v == null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  const parse = (t) => (t === '' ? null : JSON.parse(t));
  const ms = s.timeout ?? LOCK_WAIT;
  if (typeof ms !== 'number' || !(ms > 0)) throw fail('timeout is a number of milliseconds above 0');
  const call = (what, f) => new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new AuthError('authlib: the store\'s ' + what + ' did not settle within ' + ms + ' ms', 'timeout'));
    }, ms);
    Promise.resolve().then(f).then((v) => {
      clearTimeout(timer);
      if (late && what === 'lock' && typeof v === 'function') v(); // nobody holds it now
      resolve(v);
    }, (err) => {
      clearTimeout(timer);
      reject(new AuthError('authlib: the store\'s ' + what + ' failed', 'store', { cause: err }));
    });
  });
  return {
    load: () => call('load', () => s.load()).then((v) => (last = text(v))),
    save: (t) => call('save', () => s.save(parse(t), parse(last))).then(() => void (last = t)),
    lock: () => (typeof s.lock === 'function' ? call('lock', () => s.lock()).then((release) => {
      if (typeof release !== 'function') throw new AuthError('authlib: the store\'s lock() must resolve to a function that releases the lock', 'store');
      return release;
    }) : localLock(s)),
  };
}
