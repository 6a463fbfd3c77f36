// authlib.mjs — loads authlib.wasm in browsers and in Node 20.19 or later
// (import, or require()).
//
//   import { load } from './authlib.mjs';
//   const authlib = await load();            // or load(urlOrPathOrBytes)
//   const res = await authlib.fetch(url, { auth: ['user', 'pass'] });
//
// The namespace is also published as globalThis.authlib.

import { Message, decode } from './wire.mjs';

/** AuthError is the one error type of authlib; `code` says which failure. */
export class AuthError extends Error {
  constructor(message, code, options) {
    super(message, options);
    this.name = 'AuthError';
    this.code = code;
  }
}

const isNode = typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';

// nodeImport loads a module that only Node has (node:fs, undici). The name
// is a variable, and bundlers are told to leave the import alone, so that a
// browser build (esbuild, Vite, webpack) neither fails on node: modules nor
// drags them in.
const nodeImport = (name) => import(/* webpackIgnore: true */ /* @vite-ignore */ name);

let loading = null;

/**
 * load instantiates authlib.wasm once and resolves to the authlib namespace.
 * @param {string | URL | ArrayBuffer | ArrayBufferView | Response} [source]
 *   the wasm: a URL or (in Node) a file path, or its bytes; by default
 *   authlib.wasm next to this module.
 */
export function load(source) {
  loading ??= start(source).catch((err) => {
    loading = null;
    throw err;
  });
  return loading;
}

async function start(source) {
  if (isNode && !globalThis.crypto) {
    globalThis.crypto = (await nodeImport('node:crypto')).webcrypto;
  }
  // Read and compile the wasm while wasm_exec.js loads: neither needs the other.
  const compiling = compile(source ?? new URL('./authlib.wasm', import.meta.url));
  if (!globalThis.Go) {
    await import(/* webpackIgnore: true */ /* @vite-ignore */ new URL('./wasm_exec.js', import.meta.url).href);
  }
  const go = new globalThis.Go();
  const ready = new Promise((resolve) => {
    globalThis.__authlib_boot = { AuthError, ready: resolve };
  });
  const instance = await WebAssembly.instantiate(await compiling, go.importObject);
  go.run(instance).catch((err) => console.error('authlib: the Go program stopped:', err));
  const raw = await ready;
  delete globalThis.__authlib_boot;
  const api = Object.freeze({
    version: raw.version,
    AuthError,
    basic: (user, password) => unwrap(raw.basic(scalar('user', user), scalar('password', password))),
    bearer: (token) => unwrap(raw.bearer(scalar('token', token))),
    fetch: (input, init) => attempt(() => sendVia(raw, input, readInit(init))),
    client: (options) => wrapClient(raw, readInit(options, 'options')),
    oauth2: Object.freeze(oauth2API(raw)),
  });
  globalThis.authlib = api;
  return api;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

// send is one call of fetch. For the common request Go prepares it in one
// synchronous call (or JS reuses what Go prepared before, see Prepared) and
// JS sends it (see wasm/fast_js.go); a redirect goes back to Go to follow,
// and so does a 401 to an OAuth token or a Digest answer. When prepare
// declines (retries, an auth function, a token to fetch first), Go runs
// the whole request.
//
// init is what readInit made of the caller's; base resolves a relative URL
// (a client's baseURL; init's own wins; in a page, its address).
function send(api, input, init, cache, base) {
  let msg;
  try {
    msg = leanSync(input, init);
  } catch (err) {
    return Promise.reject(err);
  }
  base = typeof init?.baseURL === 'string' ? init.baseURL : base ?? globalThis.location?.href;
  // A Request or a body is read first, which takes waiting.
  if (msg === null) return leanAsync(input, init).then(([i, o]) => sendLean(api, canonical(i, base), o, cache));
  return sendLean(api, canonical(msg[0], base), msg[1], cache);
}

// canonical returns the URL string as fetch will read it (WHATWG): resolved
// against base, its host mapped (IDNA, IPv4 in any notation), tabs and
// line breaks taken out, without its fragment. Go checks and sends that
// same string, so that the cache, Go and fetch agree on where a request
// goes. A string the parser refuses goes to Go as it is, to be refused
// with the reason.
//
// It returns the URL object (what the cache keys by), or input when the
// parser refuses it or it is not a string.
function canonical(input, base) {
  if (typeof input !== 'string') return input;
  let u;
  try {
    u = new URL(input, base);
  } catch {
    return input;
  }
  u.hash = '';
  return u;
}

// canonicalOrigin is an origins entry as fetch reads it.
function canonicalOrigin(o) {
  if (typeof o !== 'string') return o;
  try {
    const u = new URL(o);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && (u.pathname === '/' || u.pathname === '') && !u.search && !u.username && !u.password) return u.origin;
  } catch {}
  return o;
}

// attempt returns what fn returns, or a rejected Promise for what it
// throws: a call of fetch rejects, it never throws.
function attempt(fn) {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err instanceof AuthError ? err
      : new AuthError('authlib: the arguments cannot be read', 'invalid_request', { cause: err }));
  }
}

// readInit reads the caller's init (or a client's options) once, each
// property once, as fetch reads its init, and returns plain data: the auth
// as a copy of the fields its scheme uses (or an auth function wrapped, or
// OAuth's settings read once, see oauthFields), the method as the string it
// makes, the headers as [name, value] pairs read now (fetch snapshots them
// at the call, and a Headers changed later changes nothing). The cache
// key, the request JS sends and the one Go builds are all made from it, so
// that a getter that answers differently each time cannot make them
// disagree. No BigInt or Symbol reaches Go, which cannot read them.
function readInit(o, what = 'init') {
  if (o == null) return undefined;
  if (typeof o !== 'object') throw new AuthError(`authlib: ${what} must be an object`, 'invalid_request');
  const out = {};
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v !== undefined) out[k] = readOption(k, v);
  }
  return out;
}

function readOption(k, v) {
  switch (k) {
    case 'auth':
      return readAuth(v);
    case 'method':
      if (typeof v === 'string') return v;
      scalar('method', v);
      return String(v); // as fetch reads it: an object by its toString
    case 'headers':
      return v === null ? v : pairs(headerLines(v));
    case 'retry':
      if (v === null || typeof v !== 'object') return scalar('retry', v);
      return Object.fromEntries(['max', 'base', 'cap', 'maxRetryAfter', 'nonIdempotent'].map((f) => [f, scalar('retry.' + f, v[f])]));
    case 'origins':
      // Each as fetch reads it (its host mapped as fetch connects), so that
      // Go compares origins by the hosts fetch reaches; one the parser
      // refuses goes to Go as it is, to be refused with the reason.
      return Array.isArray(v) ? Array.from(v, (x) => canonicalOrigin(scalar('origins', x))) : scalar('origins', v);
    case 'signal':
      if (v !== null && !(typeof AbortSignal !== 'undefined' && v instanceof AbortSignal)) {
        throw new AuthError('authlib: signal is an AbortSignal', 'invalid_request');
      }
      return v;
    case 'body': // read as fetch reads it (bodyBytes)
    case 'dispatcher':
    case 'proxy':
      return v;
  }
  return scalar(k, v);
}

// scalar refuses the values Go cannot read, naming the option.
function scalar(name, v) {
  if (typeof v === 'bigint' || typeof v === 'symbol') {
    const code = /^auth|^user$|^password$|^token$/.test(name) ? 'invalid_credentials' : /^(baseURL|origins)$/.test(name) ? 'invalid_url' : 'invalid_request';
    throw new AuthError(`authlib: ${name} cannot be a ${typeof v}`, code);
  }
  return v;
}

// AUTH_FIELDS are the fields each scheme of the auth option reads.
const AUTH_FIELDS = {
  '': ['username', 'password'], basic: ['username', 'password'], digest: ['username', 'password'], proxy: ['username', 'password'],
  bearer: ['token'], header: ['name', 'value'],
};

// readAuth returns the auth option as Go reads it: a copy of the fields
// its scheme uses, each read once.
function readAuth(a) {
  if (a == null) return a;
  if (typeof a === 'function') return authFunction(a);
  if (Array.isArray(a)) return Array.from(a, (x) => scalar('auth', x));
  if (typeof a !== 'object') return scalar('auth', a);
  const type = scalar('auth.type', a.type);
  if (type === 'oauth2') {
    const auth = { type, oauth: oauthFields(a) };
    const onToken = a.onToken;
    if (typeof onToken === 'function') auth.onToken = tokenHook(onToken);
    return auth;
  }
  const out = { type };
  for (const f of AUTH_FIELDS[typeof type === 'string' ? type.toLowerCase() : ''] ?? []) out[f] = scalar('auth.' + f, a[f]);
  return out;
}

// pairs turns [name, value, name, value, …] into [[name, value], …].
function pairs(lines) {
  const out = [];
  for (let i = 0; i + 1 < lines.length; i += 2) out.push([lines[i], lines[i + 1]]);
  return out;
}

// sendLean is send, with input and init as leanSync or leanAsync left them.
function sendLean(api, target, init, cache) {
  const input = typeof target === 'string' ? target : target.href;
  init = timed(init, cache?.timeout);
  const ck = typeof target === 'string' ? null : cache?.key(target, init);
  // The call's message for Go, made once and only when Go is called.
  let msg;
  const call = () => (msg ??= message(input, init));
  const full = () => new Promise((resolve, reject) => api.fetch(call(), ...beside(init), resolve, reject));
  let p = ck && cache.get(ck.key);
  let url = ck?.url;
  let fi = p?.init;
  const body = init?.body; // bytes; it and the signal are never kept with what is reused
  if (p?.answer) {
    // A Digest request: the same init, with a new answer from Go, which
    // signs no body (auth-int): a request with one asks prepare.
    const h = body == null ? api.answer(url, fi.method ?? 'GET') : null;
    if (h instanceof AuthError) return Promise.reject(h);
    if (typeof h === 'string') fi = { ...p.init, headers: p.init.headers.map(([n, v]) => [n, n === 'Authorization' ? h : v]) };
    else p = null;
  }
  if (!p) {
    const prepared = api.prepare(call(), body);
    if (prepared instanceof AuthError) return Promise.reject(prepared);
    if (prepared === null) return full();
    p = readPrepared(prepared, init);
    url = p.url;
    fi = p.init;
    if (ck && (p.cacheable || p.answer)) cache.set(ck.key, p);
  }
  if (body != null) fi = { ...fi, body };
  // Without AbortSignal.timeout and AbortSignal.any (Node 20.3, current
  // browsers) Go keeps the time.
  if (p.timeout !== undefined) return full();
  if (init?.signal) fi = { ...fi, signal: init.signal };
  const sent = fi.headers;
  return fetch(url, fi).then(
    (res) => {
      if (p.renew && res.status === 401) {
        // Go renews the token or answers the challenge: what it prepared
        // before is stale.
        if (ck) cache.delete(ck.key);
      } else if (!(p.follow && REDIRECTS.has(res.status))) {
        return res;
      }
      // Go takes over, told what was sent (a refused OAuth token is that
      // one, not the token Go holds now).
      return new Promise((resolve, reject) => api.resume(call(), ...beside(init), res, sentMessage(sent), resolve, reject));
    },
    // A failure becomes a typed, scrubbed AuthError without sending the
    // request again (in a browser, a refused redirect is told apart).
    (reason) => new Promise((_, reject) => api.failed(call(), body, beside(init)[2], reason, reject)),
  );
}

// timed returns init with its timeout (or the client's) made a signal
// that ends then, joined with the caller's: a JS timer, which fetch and Go
// share (Go runs with timeout 0 and the signal), and which in Node does
// not keep the process alive once the work is done, as a Go timer does.
// Without AbortSignal.timeout and AbortSignal.any Go keeps the time.
function timed(init, clientTimeout) {
  const ms = init?.timeout ?? clientTimeout;
  if (ms == null || typeof AbortSignal.timeout !== 'function' || typeof AbortSignal.any !== 'function') return init;
  if (typeof ms !== 'number' || !(ms >= 0)) return init; // Go refuses it, by name
  if (ms === 0 || ms > 2 ** 31 - 1) return { ...init, timeout: 0 }; // no bound (a JS timer holds 24.8 days at most)
  const t = AbortSignal.timeout(Math.ceil(ms));
  return { ...init, timeout: 0, signal: init?.signal ? AbortSignal.any([init.signal, t]) : t };
}

// sentMessage is the message of the header pairs JS sent (resume).
function sentMessage(pairs) {
  const m = new Message();
  for (const [n, v] of pairs) m.add('sent', n + ':' + v);
  return m.text();
}

// PASS are the init fields fetch gets unchanged (passThrough in
// wasm/fetch_js.go is the same list).
const PASS = ['cache', 'credentials', 'dispatcher', 'integrity', 'keepalive', 'mode', 'priority', 'referrer', 'referrerPolicy'];

// readPrepared turns what prepare returned (a message of the prepared
// fields, see wasm/wire) into fetch's arguments and what send needs to
// know.
function readPrepared(msg, init) {
  const m = decode(msg);
  const one = (k) => m.get(k)?.[0];
  const fi = { credentials: 'omit' }; // no cookies or cached logins: only the credentials authlib is given
  if (init != null) for (const k of PASS) if (init[k] !== undefined) fi[k] = init[k];
  const method = one('method');
  if (method !== 'GET') fi.method = method;
  // Pairs, not a record: a header named __proto__ is a header too.
  const headers = [];
  for (const h of m.get('header') ?? []) {
    const i = h.indexOf(':');
    headers.push([h.slice(0, i), h.slice(i + 1)]);
  }
  fi.headers = headers;
  fi.redirect = one('redirectMode');
  const p = { url: one('url'), init: fi, follow: m.has('follow'), renew: m.has('renew'), cacheable: m.has('cache'), answer: m.has('answer') };
  if (m.has('until')) p.until = +one('until');
  if (m.has('timeout')) p.timeout = +one('timeout');
  return p;
}

// Go reads a call as a message rather than by walking JS objects (each
// value Go holds costs a call into JS and a finalizer): the input as a URL
// string, and init with its headers as one string of alternating name and
// value lines and its body as bytes, with its Content-Type among the
// headers. Reading a Request, a Headers or a body is JS's job, and cheap
// here.

// leanSync returns [input, init] as Go reads them, or null when that needs
// waiting (a Request, a body): then leanAsync.
// isURL: a URL, or an object like one (a URL from another realm).
const isURL = (v) => v instanceof URL || (typeof v === 'object' && v !== null && typeof v.href === 'string' && !(typeof Request !== 'undefined' && v instanceof Request));

function leanSync(input, init) {
  if (isURL(input)) input = input.href;
  else if (typeof input !== 'string') return null;
  if (init == null) return [input, init];
  if (init.body != null) return null;
  if (init.headers == null) return [input, init];
  return [input, { ...init, headers: headerLines(init.headers).join('\n') }];
}

async function leanAsync(input, init) {
  // Everything but the bodies is read before the first wait, as fetch
  // reads it at the call: a Headers changed afterwards changes nothing.
  let url = input, method, headers, reqBody;
  if (typeof Request !== 'undefined' && input instanceof Request) {
    ({ url, method, headers } = input);
    if (method !== 'GET' && method !== 'HEAD' && input.body != null) {
      if (input.bodyUsed) throw new AuthError('authlib: the Request\'s body was already used', 'invalid_request');
      reqBody = input.clone();
    }
  } else if (isURL(input)) {
    url = input.href;
  } else if (typeof input !== 'string') {
    throw new AuthError('authlib: fetch takes a URL string, a URL or a Request', 'invalid_url');
  }
  if (init?.headers != null) headers = init.headers;
  const lines = headers == null ? [] : headerLines(headers);
  let body, ctype;
  if (init?.body != null) [body, ctype] = await bodyBytes(init.body);
  else if (reqBody) body = new Uint8Array(await reqBody.arrayBuffer());
  if (ctype && !lines.some((v, i) => i % 2 === 0 && v.toLowerCase() === 'content-type')) lines.push('Content-Type', ctype);
  const out = { ...init, headers: lines.join('\n') };
  if (init?.method == null && method !== undefined) out.method = method;
  if (body === undefined) delete out.body;
  else out.body = body;
  return [url, out];
}

// headerLines returns headers (a Headers, [name, value] pairs or a record)
// as [name, value, name, value, …], refusing what the lines cannot carry.
function headerLines(h) {
  const out = [];
  const add = (name, value) => {
    if (typeof value === 'number') value = String(value);
    if (typeof name !== 'string' || typeof value !== 'string') {
      throw new AuthError('authlib: headers must map names to string values', 'invalid_request');
    }
    if (/[\r\n\0]/.test(name) || /[\r\n\0]/.test(value)) {
      throw new AuthError('authlib: a header name or value holds a line break or NUL', 'invalid_request');
    }
    out.push(name, value);
  };
  if (typeof Headers !== 'undefined' && h instanceof Headers) {
    h.forEach((value, name) => add(name, value));
  } else if (Array.isArray(h)) {
    for (const pair of h) {
      if (!Array.isArray(pair)) throw new AuthError('authlib: headers as an array holds [name, value] pairs', 'invalid_request');
      add(pair[0], pair[1]);
    }
  } else if (typeof h === 'object') {
    for (const [name, value] of Object.entries(h)) add(name, value);
  } else {
    throw new AuthError('authlib: headers must be a Headers, an array of pairs or an object', 'invalid_request');
  }
  return out;
}

// bodyBytes returns any BodyInit as bytes, with the Content-Type fetch
// would give it.
async function bodyBytes(b) {
  if (typeof b === 'string') return [new TextEncoder().encode(b), 'text/plain;charset=UTF-8'];
  let r;
  try {
    r = new Response(b);
  } catch {
    throw new AuthError('authlib: the body is not something fetch can send', 'invalid_request');
  }
  try {
    return [new Uint8Array(await r.arrayBuffer()), r.headers.get('content-type')];
  } catch {
    throw new AuthError('authlib: the body cannot be read', 'invalid_request');
  }
}

// authFunction wraps an auth function (request) => void | Promise<void>
// for Go, which hands it a message of the method, the URL and the header
// fields (wasm/wire), and gets a message of the header fields back: one
// call each way.
function authFunction(fn) {
  return (msg) => {
    const m = decode(msg);
    const headers = new Headers();
    for (const h of m.get('header') ?? []) {
      const i = h.indexOf(':');
      headers.append(h.slice(0, i), h.slice(i + 1));
    }
    const read = () => {
      const out = new Message();
      headers.forEach((value, name) => out.add('header', name + ':' + value));
      return out.text();
    };
    const r = fn({ method: m.get('method')?.[0], url: m.get('url')?.[0], headers });
    return r !== null && typeof r === 'object' && typeof r.then === 'function' ? Promise.resolve(r).then(read) : read();
  };
}

// Prepared is the cache of what Go prepared, so that a repeat request
// makes no call into Go (each costs tens of microseconds in Node, a
// loopback request a couple of hundred), or for Digest one lean call for
// the new answer. Go checks the URL, builds the credential header and
// decides where it may go; JS reuses that for the next request of the same
// kind (an absolute URL; no init but auth, method, headers, a body, a signal and a timeout) to
// the same origin with the same credentials, method and headers; an OAuth token until
// Skew before it expires. A redirect, a challenge, a failure, or anything
// else goes to Go as before. Bounded, private to this module, and a
// client's is dropped on close().
class Prepared {
  constructor(client) {
    this.client = client; // the client's own auth applies without init
    this.map = new Map();
  }

  // key returns {key, url} for a request whose preparation may be reused,
  // or null: a URL (as canonical made it), and an init of nothing but
  // auth, method, headers (as lines), a body (bytes), a signal and a
  // timeout.
  key(u, init) {
    let who = this.client ? 'client' : 'none', method = 'GET', headers = '', timeout = '';
    if (init != null) {
      for (const k of Object.keys(init)) {
        const v = init[k];
        if (v === undefined) continue;
        switch (k) {
          case 'auth':
            if ((who = identity(v)) === null) return null;
            break;
          case 'headers':
            if (typeof v !== 'string') return null;
            headers = v;
            break;
          case 'method':
            method = String(v).toUpperCase();
            break;
          case 'body': // sent as given each time; the header lines hold its Content-Type
          case 'signal': // given to each fetch
            break;
          case 'timeout': // what Go prepared holds the timeout: a part of the key
            if (typeof v !== 'number' || !(v >= 0)) return null;
            timeout = String(v);
            break;
          default:
            return null;
        }
      }
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password) return null;
    // A % that starts no escape is a path Go refuses (net/url): Go judges it.
    if (/%(?![0-9A-Fa-f]{2})/.test(u.pathname)) return null;
    return { key: u.origin + '\n' + who + '\n' + method + '\n' + timeout + '\n' + headers, url: u.href };
  }

  get(key) {
    const p = this.map.get(key);
    if (p) { // most recently used last
      this.map.delete(key);
      // An OAuth token is used until Skew before it expires, then Go renews it.
      if (p.until !== undefined && Date.now() >= p.until) return undefined;
      this.map.set(key, p);
    }
    return p;
  }

  delete(key) {
    this.map.delete(key);
  }

  set(key, p) {
    this.map.set(key, p);
    if (this.map.size > 64) this.map.delete(this.map.keys().next().value);
  }
}

// identity names the credentials of an auth option whose header is the
// same every time (Basic, Bearer, a header token, none), or null.
function identity(a) {
  const str = (...v) => v.every((x) => typeof x === 'string');
  if (a == null) return 'none';
  if (Array.isArray(a)) return a.length === 2 && str(a[0], a[1]) ? 'basic\0' + a[0] + '\0' + a[1] : null;
  if (typeof a !== 'object') return null;
  switch (a.type ?? 'basic') {
    case 'basic': return str(a.username, a.password) ? 'basic\0' + a.username + '\0' + a.password : null;
    case 'bearer': return str(a.token) ? 'bearer\0' + a.token : null;
    case 'header': return str(a.name, a.value) ? 'header\0' + a.name + '\0' + a.value : null;
  }
  return null;
}

const shared = new Prepared(false);

// sendVia is send, where init may name a proxy (Node): a ProxyAgent made
// for this one call carries the proxy's credentials, and fetch gets it as
// its dispatcher. A client makes its agent once (see wrapClient).
function sendVia(raw, input, init, cache = shared) {
  if (init?.proxy == null) return send(raw, input, init, cache, cache.base);
  let agent;
  return proxyAgent(raw, init.proxy)
    .then((a) => {
      agent = a;
      return send(raw, input, withDispatcher(init, a), cache, cache.base);
    })
    .finally(() => agent?.close().catch(() => {}));
}

function withDispatcher(init, dispatcher) {
  const { proxy, ...rest } = init ?? {};
  return { ...rest, dispatcher };
}

// tokenHook wraps onToken for Go, which hands it the token as JSON text.
// A hook that throws, or whose promise rejects, neither ends the process
// nor loses the token (it is kept and used): a warning says it was not
// saved.
function tokenHook(fn) {
  const warn = (err) => console.warn('authlib: onToken failed, so the new token may not be saved (authlib keeps using it):', err);
  return (json) => {
    try {
      const r = fn(JSON.parse(json));
      if (r !== null && typeof r === 'object' && typeof r.then === 'function') Promise.resolve(r).catch(warn);
    } catch (err) {
      warn(err);
    }
  };
}

// OAUTH_OPTIONS are the OAuth settings; each crosses as its oauth field
// (wasm/wire), the saved token as auth.token.
const OAUTH_OPTIONS = ['issuer', 'tokenURL', 'deviceURL', 'authorizationURL', 'clientId', 'clientSecret', 'clientAuth',
  'redirectURI', 'scope', 'callback', 'state', 'codeVerifier', 'token'];

// oauthFields reads the OAuth settings of o once: a scope's names joined
// with a space, a token object as its JSON text; a value of the wrong type
// stays as it is, and crosses as BAD, which Go refuses naming the option.
function oauthFields(o) {
  const out = {};
  if (o === null || typeof o !== 'object') return out;
  for (const k of OAUTH_OPTIONS) {
    let v = o[k];
    if (v == null) continue;
    if (k === 'scope' && Array.isArray(v) && v.every((x) => typeof x === 'string')) v = v.join(' ');
    if (k === 'scope' && typeof v === 'string') v = v.split(/\s+/).filter(Boolean).join(' ');
    if (k === 'token' && typeof v !== 'string') {
      try {
        v = JSON.stringify(v);
      } catch {}
    }
    out[k] = v;
  }
  return out;
}

// addOAuth adds the OAuth settings f (as oauthFields read them) to m.
function addOAuth(m, f) {
  for (const k of Object.keys(f)) m.add(k === 'token' ? 'auth.token' : 'oauth.' + k, f[k]);
}

// message returns the call's message for Go (wasm/wire): the URL and
// what init (as readInit made it) holds but the values that cross beside
// it (see beside).
function message(url, init) {
  const m = new Message();
  if (url !== undefined) m.add('url', url);
  if (init == null) return m.text();
  for (const k of Object.keys(init)) {
    const v = init[k];
    if (v === undefined || (v === null && k !== 'auth')) continue;
    switch (k) {
      case 'method':
      case 'timeout':
      case 'allowInsecure':
      case 'baseURL':
      case 'redirect':
        m.add(k, v);
        break;
      case 'headers': // lines, as lean made them
        if (typeof v === 'string' && v !== '') {
          const l = v.split('\n');
          for (let i = 0; i + 1 < l.length; i += 2) m.add('header', l[i] + ':' + l[i + 1]);
        }
        break;
      case 'auth':
        addAuth(m, v);
        break;
      case 'retry':
        if (typeof v === 'object') {
          for (const f of ['max', 'base', 'cap', 'maxRetryAfter']) if (v[f] != null) m.add('retry.' + f, v[f]);
          if (v.nonIdempotent != null) m.add('retry.nonIdempotent', !!v.nonIdempotent);
        } else m.add('retry', v);
        break;
      case 'origins':
        if (Array.isArray(v)) for (const o of v) m.add('origins', o);
        else m.add('origins', null); // not an array: Go refuses it
        break;
    }
  }
  return m.text();
}

// addAuth adds the auth option (as readAuth made it) to m.
function addAuth(m, a) {
  if (a === null) {
    m.add('auth', 'none');
  } else if (typeof a === 'function') {
    m.add('auth', 'function'); // the function crosses beside
  } else if (Array.isArray(a)) {
    m.add('auth', 'array');
    const ok = a.length === 2;
    m.add('auth.username', ok ? a[0] : null);
    m.add('auth.password', ok ? a[1] : null);
  } else if (typeof a !== 'object') {
    m.add('auth', null);
  } else if (a.type === 'oauth2') {
    m.add('auth', 'oauth2');
    addOAuth(m, a.oauth);
    if (a.onToken) m.add('auth.onToken', true);
  } else {
    m.add('auth', a.type === undefined ? '' : a.type);
    for (const f of Object.keys(a)) if (f !== 'type') m.add('auth.' + f, a[f]);
  }
}

// beside returns what crosses beside a call's message: the body (bytes),
// the signal, the fields fetch gets unchanged, an auth function, onToken.
function beside(init) {
  let pass;
  if (init != null) {
    for (const k of PASS) {
      if (init[k] !== undefined) (pass ??= {})[k] = init[k];
    }
  }
  const a = init?.auth;
  return [init?.body, init?.signal, pass, typeof a === 'function' ? a : undefined, a?.onToken];
}

// oauth2API is authlib.oauth2: discovery, the authorization code with
// PKCE, and the device flow. Tokens come back as objects with
// requests-oauthlib's field names.
function oauth2API(raw) {
  const call = (op, o, extra, onCode, params) => attempt(() => {
    // Each option read once; a signal that is not an AbortSignal refused.
    const signal = o?.signal == null ? undefined : readOption('signal', o.signal);
    const m = new Message();
    addOAuth(m, oauthFields(o));
    for (let i = 0; params && i + 1 < params.length; i += 2) {
      m.add('oauth.param', encodeURIComponent(params[i]) + '=' + encodeURIComponent(params[i + 1]));
    }
    const msg = m.text();
    return new Promise((resolve, reject) => raw.oauth2(op, msg, extra, onCode, signal, resolve, reject));
  });
  return {
    discover: (issuer, o) => call('discover', o, typeof issuer === 'bigint' || typeof issuer === 'symbol' ? '' : String(issuer)).then(JSON.parse),
    authorize: (o) => {
      let params;
      try {
        params = [...new URLSearchParams(o?.params ?? {})].flat();
      } catch {
        return Promise.reject(new AuthError('authlib: params is a record of strings', 'invalid_request'));
      }
      return call('authorize', o, '', undefined, params).then((msg) => {
        const m = decode(msg);
        return { url: m.get('url')[0], state: m.get('oauth.state')[0], codeVerifier: m.get('oauth.codeVerifier')[0] };
      });
    },
    exchange: (o) => call('exchange', o, '').then(JSON.parse),
    device: (o) => {
      const onCode = o?.onCode;
      const code = typeof onCode === 'function' ? (msg) => {
        const m = decode(msg);
        const one = (k) => m.get(k)?.[0] ?? '';
        return onCode({ user_code: one('code.user'), verification_uri: one('code.uri'), verification_uri_complete: one('code.uriComplete'), expires_in: Number(one('code.expiresIn')) });
      } : undefined;
      return call('device', o, '', code).then(JSON.parse);
    },
  };
}

// wrapClient is authlib.client(options). A client owns the Go functions
// of its calls (c): close() settles every call in flight as aborted at
// once, and frees them when the last of those is over in Go, so that no
// call is left waiting on a function that is gone. A client dropped
// without close() is freed when it is collected.
function wrapClient(raw, options) {
  const [, , , fn, onToken] = beside(options);
  const c = unwrap(raw.client(message(undefined, options), fn, onToken));
  let agent = null; // the proxy's ProxyAgent, made on first use
  const proxy = options?.proxy;
  const cache = new Prepared(true);
  cache.base = typeof options?.baseURL === 'string' ? options.baseURL : undefined;
  cache.timeout = options?.timeout;
  const pending = new Set(); // the reject of each call not yet settled
  let inflight = 0; // calls whose work in Go and fetch is not over
  let closed = false;
  const release = () => {
    if (closed && inflight === 0 && !c.released) {
      c.released = true;
      collect.unregister(c);
      c.close();
    }
  };
  const run = (input, init) => {
    init = readInit(init);
    if (proxy == null || init?.proxy != null || init?.dispatcher != null) return sendVia(c, input, init, cache);
    agent ??= proxyAgent(raw, proxy);
    return agent.then((a) => send(c, input, withDispatcher(init, a), cache, cache.base));
  };
  const client = {
    fetch(input, init) {
      if (closed) return Promise.reject(new AuthError('authlib: the client is closed', 'aborted'));
      const work = attempt(() => run(input, init));
      // The Go functions stay until the work is over, whenever the call
      // settles, and so does the client (busy): the caller may hold only
      // the promise.
      inflight++;
      busy.add(client);
      const over = () => {
        if (--inflight === 0) busy.delete(client);
        release();
      };
      work.then(over, over);
      return new Promise((resolve, reject) => {
        pending.add(reject);
        work.then((v) => { pending.delete(reject); resolve(v); }, (e) => { pending.delete(reject); reject(e); });
      });
    },
    close() {
      if (closed) return;
      closed = true;
      const aborted = new AuthError('authlib: the client was closed while the request was in flight', 'aborted');
      for (const reject of pending) reject(aborted);
      pending.clear();
      cache.map.clear();
      agent?.then((a) => a.close()).catch(() => {});
      delete client.fetch;
      release();
    },
  };
  collect.register(client, c, c);
  return client;
}

// busy holds the clients with calls in flight: their Go functions are in
// use even when the caller keeps only the calls' promises.
const busy = new Set();

// collect frees the Go functions of a client that was dropped without
// close(): nothing can call them any more.
const collect = new FinalizationRegistry((c) => {
  if (!c.released) {
    c.released = true;
    c.close();
  }
});

// proxyAgent makes an undici ProxyAgent for the proxy option
// {url, auth, ProxyAgent}: Node's fetch reaches a proxy only through one,
// and undici sends the proxy's credentials only as the token given to its
// constructor (it refuses Proxy-Authorization on a request). Go checks the
// credentials and builds the token, as for any request; they go to the
// proxy and never to the origin.
async function proxyAgent(raw, proxy) {
  if (!isNode) {
    throw new AuthError('authlib: a browser chooses its proxy itself, and forbids scripts to send proxy credentials; the proxy option is for Node', 'unsupported');
  }
  if (typeof proxy !== 'object' || proxy === null || typeof proxy.url !== 'string' && !(proxy.url instanceof URL)) {
    throw new AuthError('authlib: proxy is {url, auth}, with url such as "http://proxy.example:3128"', 'invalid_request');
  }
  let url;
  try {
    url = new URL(proxy.url);
  } catch {
    throw new AuthError('authlib: proxy.url is not a URL', 'invalid_url');
  }
  if (url.username || url.password) {
    throw new AuthError('authlib: proxy.url contains user information (user:password@); remove it and pass the credentials as proxy.auth', 'invalid_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AuthError('authlib: proxy.url must be an http or https URL', 'invalid_url');
  }
  const token = proxy.auth == null ? undefined : proxyToken(raw, proxy.auth);
  let ProxyAgent = proxy.ProxyAgent;
  if (ProxyAgent == null) {
    try {
      ({ ProxyAgent } = await nodeImport('undici'));
    } catch {
      throw new AuthError('authlib: the proxy option needs undici\'s ProxyAgent: install undici (npm install undici), or pass it as proxy.ProxyAgent', 'unsupported');
    }
  }
  return new ProxyAgent(token === undefined ? { uri: url.href } : { uri: url.href, token });
}

// proxyToken is the Proxy-Authorization value for auth: Basic or Bearer,
// the schemes whose value is the same on every request (undici sends one
// fixed token, so a proxy that asks for Digest cannot be answered).
function proxyToken(raw, auth) {
  if (Array.isArray(auth)) return unwrap(raw.basic(auth[0], auth[1]));
  switch (typeof auth === 'object' ? auth.type ?? 'basic' : undefined) {
    case 'basic':
    case 'proxy':
      return unwrap(raw.basic(auth.username, auth.password));
    case 'bearer':
      return unwrap(raw.bearer(auth.token));
  }
  throw new AuthError('authlib: proxy.auth is [user, password], {type: "basic", username, password} or {type: "bearer", token}: undici sends one fixed token to a proxy, so Digest cannot answer it', 'unsupported');
}

function unwrap(v) {
  if (v instanceof AuthError) throw v;
  return v;
}

// compile turns the source into a WebAssembly.Module. It looks at Response
// last: in Node the first touch of Response (or fetch) loads the whole
// fetch implementation, some 15 ms that loading from a file does not need.
async function compile(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.compile(source);
  }
  if (typeof source === 'string' || source instanceof URL) {
    let url = source;
    if (typeof source === 'string') {
      url = isNode && !/^[a-z][a-z0-9+.-]*:/i.test(source)
        ? (await nodeImport('node:url')).pathToFileURL(source)
        : new URL(source, globalThis.location?.href ?? import.meta.url);
    }
    if (url.protocol === 'file:') {
      const { readFile } = await nodeImport('node:fs/promises');
      return WebAssembly.compile(await readFile(url));
    }
    const res = await fetch(url);
    if (!res.ok) throw new Error(`authlib: cannot load ${url}: HTTP ${res.status}`);
    if (WebAssembly.compileStreaming && res.headers.get('content-type') === 'application/wasm') {
      return WebAssembly.compileStreaming(res);
    }
    return WebAssembly.compile(await res.arrayBuffer());
  }
  if (typeof Response !== 'undefined' && source instanceof Response) {
    return WebAssembly.compile(await source.arrayBuffer());
  }
  throw new TypeError('authlib: load() takes a URL, a path, or the bytes of authlib.wasm');
}
