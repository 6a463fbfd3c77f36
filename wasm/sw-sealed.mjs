// sw-sealed.mjs — the service worker's state (authlib-sw.mjs) in
// IndexedDB: one database, DB, of one object store, 'kv'; secrets and
// tokens sealed with an AES-GCM key that cannot be exported, kept beside
// them.

// DB is the worker's database, and the prefix of its Web Locks.
export const DB = 'authlib-sw';

// IndexedDB: one object store, 'kv'.
let db = null;
export function idb(mode, act) {
  db ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore('kv');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  }).catch((err) => {
    db = null;
    throw err;
  });
  return db.then((d) => new Promise((resolve, reject) => {
    const tx = d.transaction('kv', mode);
    const r = act(tx.objectStore('kv'));
    tx.oncomplete = () => resolve(r?.result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  }));
}

// seal and unseal keep text under key, encrypted with the worker's
// AES-GCM key (made once, not extractable).
let aes = null;
function sealKey() {
  aes ??= idb('readonly', (s) => s.get('aes')).then(async (k) => {
    if (k) return k;
    const made = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    // Another instance may have made one meanwhile: the first one kept wins.
    await idb('readwrite', (s) => s.add(made, 'aes')).catch(() => {});
    return idb('readonly', (s) => s.get('aes'));
  }).catch((err) => {
    aes = null;
    throw err;
  });
  return aes;
}

export async function seal(key, text) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(key) }, await sealKey(), new TextEncoder().encode(text));
  await idb('readwrite', (s) => s.put({ iv, data }, key));
}

export async function unseal(key) {
  const v = await idb('readonly', (s) => s.get(key));
  if (!v) return '';
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: v.iv, additionalData: new TextEncoder().encode(key) }, await sealKey(), v.data);
  return new TextDecoder().decode(plain);
}
