// sw.mjs — the page's side of service-worker mode (authlib-sw.mjs runs
// authlib in the worker). It needs neither authlib.wasm nor a token:
//
//   import { register } from './sw.mjs';
//   const auth = await register('/authlib-sw.mjs', {
//     allow: ['https://api.example.com'],
//     auth: { type: 'oauth2', issuer, clientId, scope, redirectURI: location.origin + '/' , dpop: true },
//   });
//   if (!(await auth.status()).loggedIn) location.assign((await auth.login()).url);
//   const res = await fetch('https://api.example.com/me'); // the worker adds the token

import { AuthError, knownKeys } from './common.mjs';

/**
 * register installs the worker at scriptURL (authlib-sw.mjs, served from the
 * page's origin; its directory is its scope) for allow, the URLs it may add
 * credentials to (origins, or an origin and a path ending in '/'), and
 * gives it auth (OAuth settings, [user, password], { type: 'digest', … } or
 * { type: 'bearer', token }); settings that change end the login. It
 * resolves, once the worker controls the page, to { status, login,
 * callback, logout, unregister }.
 */
export async function register(scriptURL, options = {}) {
  knownKeys('register', options ?? {}, ['allow', 'auth', 'scope']);
  const { allow, auth, scope } = options ?? {};
  const sw = globalThis.navigator?.serviceWorker;
  if (!sw) throw new AuthError('authlib: service workers are not available here (a secure context — https or localhost — is needed)', 'unsupported');
  const url = new URL(scriptURL, globalThis.location?.href);
  for (const p of readAllow(allow)) url.searchParams.append('allow', p);
  const reg = await sw.register(url.href, { type: 'module', scope, updateViaCache: 'none' });
  const worker = await activeWorker(reg);
  // The page is in the worker's scope, and the worker (this one, not one
  // registered before with other URLs) controls it once it has claimed it.
  if (!globalThis.location?.href.startsWith(reg.scope)) throw new AuthError('authlib: this page is outside the worker\'s scope, ' + reg.scope + ': serve the worker from a folder above it', 'invalid_request');
  if (sw.controller?.scriptURL !== worker.scriptURL) {
    // A page loaded past the worker (Shift+Reload) is claimed on request;
    // one the browser keeps from it stays uncontrolled (status says so).
    const controlled = new Promise((resolve) => {
      const check = () => sw.controller?.scriptURL === worker.scriptURL && (sw.removeEventListener('controllerchange', check), resolve());
      sw.addEventListener('controllerchange', check);
    });
    await ask(worker, { op: 'claim' }).catch(() => {});
    await Promise.race([controlled, new Promise((r) => setTimeout(r, 3000))]);
  }
  const call = (m) => ask(reg.active ?? worker, m);
  if (auth !== undefined) await call({ op: 'configure', auth: plain(auth) });
  return {
    registration: reg,
    /** { configured, loggedIn, scheme, allow, started, expiresAt?, loginPending?, lastError? }: never a token. */
    status: () => call({ op: 'status' }),
    /** Starts an OAuth login: go to url; the worker exchanges the code when the server sends the browser back. */
    login: (o = {}) => call({ op: 'login', returnTo: o.returnTo, params: o.params }),
    /** Exchanges the code of callback (a URL), when the worker did not see the navigation back (a reload that bypassed it). */
    callback: (callbackURL) => call({ op: 'callback', url: String(callbackURL) }),
    /** Logs out: an OAuth token is revoked and forgotten; other credentials are forgotten. */
    logout: () => call({ op: 'logout' }),
    unregister: () => reg.unregister(),
  };
}

function readAllow(allow) {
  if (!Array.isArray(allow) || allow.length === 0) throw new AuthError('authlib: allow is a list of the URLs the worker may add credentials to', 'invalid_request');
  return allow.map((p) => {
    let u;
    try {
      u = new URL(p);
    } catch {
      throw new AuthError('authlib: allow holds a URL that cannot be read', 'invalid_url');
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AuthError('authlib: allow holds http(s) URLs', 'invalid_url');
    if (u.search || u.hash || u.username || u.password) throw new AuthError('authlib: allow holds origins, or an origin and a path ending in /', 'invalid_url');
    if (!u.pathname.endsWith('/')) throw new AuthError('authlib: a path in allow ends in / (it is a prefix)', 'invalid_url');
    return u.origin + u.pathname;
  });
}

// plain checks that auth crosses to the worker as data: no function (an
// onToken, a signer) can.
function plain(auth) {
  try {
    return structuredClone(auth);
  } catch {
    throw new AuthError('authlib: auth for the worker is data (no functions)', 'invalid_request');
  }
}

// activeWorker resolves to the registration's newest worker once it is
// active: one installing (a first registration, other URLs, an update)
// rather than the one it replaces.
function activeWorker(reg) {
  const w = reg.installing ?? reg.waiting;
  if (!w) return Promise.resolve(reg.active);
  return new Promise((resolve, reject) => {
    if (w.state === 'activated') resolve(w);
    w.addEventListener('statechange', () => {
      if (w.state === 'activated') resolve(w);
      if (w.state === 'redundant') reject(new AuthError('authlib: the worker failed to install (see its console)', 'internal'));
    });
  });
}

function ask(worker, m) {
  return new Promise((resolve, reject) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = (e) => {
      ch.port1.close();
      const r = e.data;
      if (r?.ok) {
        delete r.ok;
        resolve(r);
      } else reject(new AuthError(r?.message ?? 'authlib: the worker did not answer', r?.code ?? 'internal'));
    };
    worker.postMessage(m, [ch.port2]);
  });
}
