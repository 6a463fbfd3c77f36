// authlib-sw.mjs — authlib in a service worker: the page's own requests
// (fetch, <img>, forms) to the URLs it was registered for go out with
// credentials the worker adds, and the tokens stay in the worker. The page
// registers it with sw.mjs's register:
//
//   navigator.serviceWorker.register('/authlib-sw.mjs?allow=' + …, { type: 'module' })
//
// The worker's state (the scheme's settings and secrets, the OAuth token,
// a login under way, the DPoP key) is in IndexedDB, so that it survives
// the browser stopping the worker and an update of it: secrets and tokens
// sealed with an AES-GCM key that cannot be exported, a DPoP key as a
// CryptoKey that cannot be exported. The web has no storage a worker has
// and its pages have not: a script of the page that knows this layout can
// ask WebCrypto to open the seal in that browser (never elsewhere), which
// is why the README advises DPoP (a stolen token is of no use without its
// key).

import './wasm_exec.js';
import { load } from './authlib.mjs';
import { DB, idb, seal, unseal } from './sw-sealed.mjs';

// ALLOW: the URL prefixes the worker may add credentials to (an origin,
// or an origin and a path ending in '/'), from its registration URL: it
// must be known at once, when a request comes, before IndexedDB answers.
const ALLOW = new URL(self.location.href).searchParams.getAll('allow');
const allowed = (url) => ALLOW.some((p) => url.startsWith(p));
// wholeOrigin reports a URL allowed by an origin (a prefix of path '/'):
// where fetch may follow a redirect with the credentials, since it drops
// Authorization across origins and every path of this one is allowed.
const wholeOrigin = (url) => ALLOW.some((p) => url.startsWith(p) && new URL(p).pathname === '/');

// state: a promise of { authlib, client, config } once the worker has
// loaded authlib and what IndexedDB holds; reset when configure changes it.
let state = null;
let lastError = null;
const started = Date.now(); // this run of the worker's: a restart or an update makes another

const boot = () => (state ??= start().catch((err) => {
  state = null;
  throw err;
}));

async function start() {
  let [authlib, config] = await Promise.all([load(), unseal('config').then((t) => (t ? JSON.parse(t) : null))]);
  // The settings were given for the URLs of the registration that gave
  // them. A registration with others (a script of the page adding its own
  // origin, say) ends the login: the credentials never go where they were
  // not set up to go.
  if (config && JSON.stringify(config.allow) !== JSON.stringify(ALLOW)) {
    await forget();
    config = { auth: config.auth, allow: ALLOW };
    if (config.auth?.type !== 'oauth2') config = null; // a password or token given for other URLs
    if (config) await seal('config', JSON.stringify(config));
    else await idb('readwrite', (st) => st.delete('config'));
  }
  return { authlib, config, client: config ? await makeClient(authlib, config) : null };
}

// forget ends an OAuth login: its token, a login under way, its key.
function forget() {
  return idb('readwrite', (st) => {
    st.delete('token');
    st.delete('pending');
    return st.delete('dpop');
  });
}

// makeClient makes the client that sends the allowed requests: the
// configured auth, an OAuth token kept in the sealed store, a DPoP key
// from IndexedDB.
async function makeClient(authlib, config) {
  const origins = [...new Set(ALLOW.map((p) => new URL(p).origin))];
  return authlib.client({ auth: await authOf(config), origins });
}

async function authOf(config) {
  const a = config.auth;
  if (a?.type !== 'oauth2') return a;
  const out = { ...a, store: tokenStore };
  if (a.dpop) out.dpop = (await idb('readonly', (s) => s.get('dpop'))) ?? true;
  return out;
}

// tokenStore is the OAuth store (see store.mjs's object stores): the
// token sealed in IndexedDB, under a Web Lock.
const tokenStore = {
  load: () => unseal('token'),
  save: (token) => (token ? seal('token', JSON.stringify(token)) : idb('readwrite', (s) => s.delete('token'))),
  lock: () => new Promise((resolve) => navigator.locks.request(DB + ':token', () => new Promise((release) => resolve(release)))),
};

self.addEventListener('install', (e) => e.waitUntil(self.skipWaiting()));
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (e) => {
  const req = e.request;
  // The callback of a login this worker started: the worker exchanges the
  // code, and the page gets the page without it.
  if (req.mode === 'navigate' && req.method === 'GET' && req.url.startsWith(self.location.origin + '/')) {
    const u = new URL(req.url);
    if (u.searchParams.has('state') && (u.searchParams.has('code') || u.searchParams.has('error'))) {
      e.respondWith(callbackNavigation(req));
      return;
    }
  }
  if (!allowed(req.url)) return; // not ours: untouched
  e.respondWith(send(req));
});

async function send(req) {
  let s;
  try {
    s = await boot();
  } catch (err) {
    lastError = err;
    return Response.error();
  }
  if (!s.client) return fetch(req); // not configured: untouched
  // The request as a script could make it: the browser adds the headers
  // it keeps to itself (Sec-*, Cookie, Origin, …) again when the worker
  // sends it.
  const headers = new Headers();
  req.headers.forEach((v, k) => {
    if (!FORBIDDEN.has(k) && !k.startsWith('sec-') && !k.startsWith('proxy-')) headers.append(k, v);
  });
  // The page's fields, but for a mode that would drop the credentials
  // (no-cors: an <img>) or that a worker cannot give (navigate): those go
  // as cors. Redirects: what the page asked for, except that fetch follows
  // one with the credentials only within an allowed origin; from a URL
  // allowed by a path alone, the worker sees the redirect (manual) and
  // follows it not (a browser hides its target from the worker, and a
  // same-origin redirect may leave the path). A navigation's mode is
  // manual: the browser follows it as a new request, which comes through
  // here again and gets credentials only where they are allowed.
  const init = { method: req.method, headers, credentials: req.credentials, signal: req.signal, cache: req.cache,
    redirect: req.redirect === 'follow' && wholeOrigin(req.url) ? 'follow' : 'manual' };
  if (req.integrity) init.integrity = req.integrity;
  if (req.mode === 'cors' || req.mode === 'same-origin') init.mode = req.mode;
  if (req.referrer && req.referrer !== 'about:client') init.referrer = req.referrer;
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') init.body = new Uint8Array(await req.arrayBuffer());
    const res = await s.client.fetch(req.url, init);
    if (res.type === 'opaqueredirect' && req.redirect !== 'manual') {
      lastError = codeError(req.redirect === 'error' ? 'the server redirected, and the page asked for redirect: "error"'
        : 'the server redirected from a URL allowed by its path, and the worker follows no such redirect (the browser hides where it goes): request the final URL, or allow its whole origin', 'redirect_blocked');
      return Response.error();
    }
    // A navigation (a form) takes no response marked as redirected.
    return req.mode === 'navigate' && res.redirected ? new Response(res.body, res) : res;
  } catch (err) {
    if (err?.code === 'login_required') return fetch(req); // the API's own 401 says so
    lastError = err;
    return Response.error();
  }
}

// FORBIDDEN are the request headers a script cannot set (Fetch's
// forbidden request-headers, less the Sec- and Proxy- prefixes).
const FORBIDDEN = new Set(['accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'access-control-request-private-network', 'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host',
  'keep-alive', 'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via']);

async function callbackNavigation(req) {
  const pending = await unseal('pending').then((t) => (t ? JSON.parse(t) : null)).catch(() => null);
  if (!pending || new URL(req.url).searchParams.get('state') !== pending.state) return fetch(req); // not ours
  try {
    await exchange(await boot(), req.url, pending);
  } catch (err) {
    lastError = err;
  }
  const back = new URL(req.url);
  for (const k of ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state']) back.searchParams.delete(k);
  return Response.redirect(pending.returnTo ?? back.href, 303);
}

async function exchange(s, callback, pending) {
  const sp = state;
  const a = s.config?.auth;
  if (a?.type !== 'oauth2') throw new Error('authlib: not an OAuth configuration');
  await idb('readwrite', (st) => st.delete('pending'));
  const dpop = a.dpop ? await idb('readonly', (st) => st.get('dpop')) : undefined;
  await s.authlib.oauth2.exchange({ ...a, dpop, store: tokenStore, callback, state: pending.state, codeVerifier: pending.codeVerifier });
  // The client was made with the key of before (or none): the next one
  // has the login's.
  if (a.dpop && state === sp) {
    s.client?.close();
    state = null;
  }
}

// The page's messages (sw.mjs): { op, … } with a MessagePort to answer
// on. No answer carries a token or a secret.
self.addEventListener('message', (e) => {
  const port = e.ports[0];
  if (!port) return;
  const done = handle(e.data ?? {}).then(
    (r) => port.postMessage({ ok: true, ...r }),
    (err) => port.postMessage({ ok: false, code: err?.code ?? 'internal', message: String(err?.message ?? err) }),
  );
  e.waitUntil(done);
});

async function handle(m) {
  switch (m.op) {
    case 'configure': return configure(m.auth);
    case 'status': return status();
    case 'claim': return self.clients.claim().then(() => ({}));
    case 'login': return login(m.returnTo, m.params);
    case 'callback': {
      const pending = await unseal('pending').then((t) => (t ? JSON.parse(t) : null));
      if (!pending || new URL(m.url).searchParams.get('state') !== pending.state) throw codeError('no login of this worker is waiting for that callback', 'invalid_callback');
      await exchange(await boot(), m.url, pending);
      return status();
    }
    case 'logout': return logout();
  }
  throw codeError('no such operation', 'invalid_request');
}

function codeError(message, code) {
  const err = new Error('authlib: ' + message);
  err.code = code;
  return err;
}

// configure keeps the scheme's settings (sealed), with the URLs they are
// for: OAuth's, Basic's pair, Digest's or a Bearer token. Settings that
// change end the login.
async function configure(auth) {
  if (auth == null || (typeof auth !== 'object')) throw codeError('configure needs auth: OAuth settings, [user, password], { type: \'digest\', … } or { type: \'bearer\', token }', 'invalid_request');
  const text = JSON.stringify({ auth, allow: ALLOW });
  const s = await boot().catch(() => null);
  if (s?.config && JSON.stringify(s.config) === text) return status();
  await forget();
  await seal('config', text);
  s?.client?.close();
  state = null;
  await boot();
  return status();
}

async function status() {
  const s = await boot();
  const a = s.config?.auth;
  const out = { started, configured: !!s.config, allow: ALLOW, controls: (await self.clients.matchAll()).length, scheme: Array.isArray(a) ? 'basic' : a?.type ?? null };
  if (a?.type === 'oauth2') {
    const t = await unseal('token').then((x) => (x ? JSON.parse(x) : null)).catch(() => null);
    out.loggedIn = !!t;
    if (t?.expires_at) out.expiresAt = t.expires_at;
    out.loginPending = !!(await idb('readonly', (st) => st.get('pending')));
  } else {
    out.loggedIn = !!s.config;
  }
  if (lastError) out.lastError = { code: lastError.code ?? 'internal', message: String(lastError.message ?? lastError) };
  return out;
}

// login starts the authorization code flow with PKCE: the worker keeps
// state and verifier (and makes the DPoP key), and the page goes to url.
async function login(returnTo, params) {
  const s = await boot();
  const a = s.config?.auth;
  if (a?.type !== 'oauth2') throw codeError('login is for OAuth settings', 'invalid_request');
  let dpop;
  if (a.dpop) {
    dpop = await s.authlib.oauth2.dpopKey({ alg: typeof a.dpop === 'object' ? a.dpop.alg : undefined });
    await idb('readwrite', (st) => st.put(dpop, 'dpop'));
  }
  const r = await s.authlib.oauth2.authorize({ ...a, dpop, params });
  await seal('pending', JSON.stringify({ state: r.state, codeVerifier: r.codeVerifier, returnTo: sameOrigin(returnTo) }));
  return { url: r.url };
}

// sameOrigin is returnTo when it is a URL of the worker's origin (the
// page to come back to), else undefined: the callback then returns to
// itself, without the code.
function sameOrigin(returnTo) {
  if (typeof returnTo !== 'string') return undefined;
  try {
    const u = new URL(returnTo, self.location.href);
    return u.origin === self.location.origin ? u.href : undefined;
  } catch {
    return undefined;
  }
}

async function logout() {
  const s = await boot();
  if (s.config?.auth?.type === 'oauth2' && s.client) await s.client.logout().catch((err) => { lastError = err; });
  else if (s.config) {
    await idb('readwrite', (st) => st.delete('config'));
    s.client?.close();
    state = null;
  }
  return status();
}
