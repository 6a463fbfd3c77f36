// demoDPoP keeps the demo's DPoP key (RFC 9449): a WebCrypto ECDSA P-256
// key pair whose private key cannot be exported, kept in IndexedDB so that
// it outlives the trip to the authorization server. The Go program signs
// with it through sign; the key never leaves WebCrypto.
window.demoDPoP = (() => {
  const db = () => new Promise((resolve, reject) => {
    const r = indexedDB.open('authlib-demo', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('keys');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const tx = async (mode, fn) => {
    const d = await db();
    return new Promise((resolve, reject) => {
      const r = fn(d.transaction('keys', mode).objectStore('keys'));
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    }).finally(() => d.close());
  };
  const withJWK = async (pair) => {
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    return { pair, jwk: JSON.stringify({ kty, crv, x, y }) };
  };
  return {
    create: async () => {
      const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      await tx('readwrite', (s) => s.put(pair, 'dpop'));
      return withJWK(pair);
    },
    load: async () => {
      const pair = await tx('readonly', (s) => s.get('dpop'));
      return pair ? withJWK(pair) : null;
    },
    sign: async (pair, data) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data)),
  };
})();

// Starts the demo's Go program (demo.wasm); it wires the page itself.
// Until it has, the form must not submit itself (that reloads the page and
// the download): Send stays disabled, and a submit is stopped here.
document.getElementById('form').addEventListener('submit', (e) => e.preventDefault());
(async () => {
  const go = new Go();
  try {
    document.getElementById('summary').textContent = 'Loading the demo (Go compiled to WebAssembly)…';
    const res = await fetch('demo.wasm');
    if (!res.ok) throw new Error('demo.wasm: HTTP ' + res.status);
    const { instance } = res.headers.get('content-type') === 'application/wasm'
      ? await WebAssembly.instantiateStreaming(res, go.importObject)
      : await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject);
    go.run(instance);
  } catch (err) {
    const box = document.getElementById('error');
    box.hidden = false;
    box.textContent = 'The demo could not start: ' + err.message + '. Build it with make demo.';
    document.getElementById('summary').textContent = '';
  }
})();
