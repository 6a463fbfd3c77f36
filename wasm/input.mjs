// input.mjs — the caller's input, read once: the URL as fetch reads it,
// init and the options normalised (readInit), the Request, headers and body
// read, and the call's message for Go (wire.mjs) with what crosses beside it.
// The auth option is auth.mjs's.

import { Message } from './wire.mjs';
import { AuthError, knownKeys, nearest, scalar } from './common.mjs';
import { addAuth, readAuth } from './auth.mjs';

// canonical returns the URL string as fetch will read it (WHATWG): resolved
// against base, its host mapped (IDNA, IPv4 in any notation), tabs and
// line breaks taken out, without its fragment. Go checks and sends that
// same string, so that the cache, Go and fetch agree on where a request
// goes. A string the parser refuses goes to Go as it is, to be refused
// with the reason.
//
// It returns the URL object (what the cache keys by), or input when the
// parser refuses it or it is not a string.
//
// The last 64 strings read are kept, with their URL: a loop of requests
// to one URL parses it once. (Nothing changes a URL canonical returns.)
export function canonical(input, base) {
  if (typeof input !== 'string') return input;
  const k = base === undefined ? input : input + '\n' + base;
  let u = canonicals.get(k);
  if (u !== undefined) return u;
  try {
    u = new URL(input, base);
  } catch {
    return input;
  }
  u.hash = '';
  made.add(u);
  canonicals.set(k, u);
  if (canonicals.size > 64) canonicals.delete(canonicals.keys().next().value);
  return u;
}

const canonicals = new Map();

// made holds the URLs canonical made, which nothing changes (unlike a URL
// object of the caller's): what is read of one may be kept (see send.mjs).
export const made = new WeakSet();

// canonicalOrigin is an origins entry as fetch reads it.
export function canonicalOrigin(o) {
  if (typeof o !== 'string') return o;
  try {
    const u = new URL(o);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && (u.pathname === '/' || u.pathname === '') && !u.search && !u.username && !u.password) return u.origin;
  } catch {}
  return o;
}

// attempt returns what fn returns, or a rejected Promise for what it
// throws: a call of fetch rejects, it never throws.
export function attempt(fn) {
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
export function readInit(o, what = 'init') {
  if (o == null) return undefined;
  if (typeof o !== 'object') throw new AuthError(`authlib: ${what} must be an object`, 'invalid_request');
  if (what === 'options') knownKeys('authlib.client', o, CLIENT_OPTIONS);
  else nearOption(o);
  const out = {};
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v !== undefined) out[k] = readOption(k, v);
  }
  return out;
}

// CLIENT_OPTIONS are what authlib.client takes; INIT_OPTIONS what a
// fetch init takes beside fetch's own (FETCH_INIT), which it passes on.
const CLIENT_OPTIONS = ['auth', 'timeout', 'retry', 'allowInsecure', 'netrc', 'proxy', 'baseURL', 'origins', 'redirect'];
const INIT_OPTIONS = ['auth', 'timeout', 'retry', 'allowInsecure', 'netrc', 'proxy', 'baseURL', 'origins'];
const FETCH_INIT = ['body', 'cache', 'credentials', 'headers', 'integrity', 'keepalive', 'method', 'mode', 'priority', 'redirect', 'referrer',
  'referrerPolicy', 'signal', 'window', 'duplex', 'dispatcher'];

// nearOption refuses a key of a fetch init that is none of fetch's and
// lies an edit or two from one of authlib's ("auht", "timout"): a fetch
// init passes unknown keys on, as fetch does, but that one was meant for
// authlib, which would otherwise send the request without it.
function nearOption(o) {
  for (const k of Object.keys(o)) {
    if (INIT_OPTIONS.includes(k) || FETCH_INIT.includes(k)) continue;
    const near = nearest(k, INIT_OPTIONS, k.length <= 5 ? 1 : 2);
    if (near) throw new AuthError(`authlib: init has no option ${JSON.stringify(k)}; did you mean ${near}?`, 'invalid_request');
  }
}

export function readOption(k, v) {
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
      knownKeys('retry', v, ['max', 'base', 'cap', 'maxRetryAfter', 'nonIdempotent']);
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
    case 'netrc': // true or a path: netrc.mjs reads the file
      if (v !== true && v !== false && typeof v !== 'string') throw new AuthError('authlib: netrc is true or the path of a file', 'invalid_request');
      return v;
  }
  return scalar(k, v);
}

// pairs turns [name, value, name, value, …] into [[name, value], …].
export function pairs(lines) {
  const out = [];
  for (let i = 0; i + 1 < lines.length; i += 2) out.push([lines[i], lines[i + 1]]);
  return out;
}

// PASS are the init fields fetch gets unchanged: beside copies them into
// one object (pass), which Go's transport gives every fetch (Init).
export const PASS = ['cache', 'credentials', 'dispatcher', 'integrity', 'keepalive', 'mode', 'priority', 'referrer', 'referrerPolicy'];

// Go reads a call as a message rather than by walking JS objects (each
// value Go holds costs a call into JS and a finalizer): the input as a URL
// string, and init with its headers as one string of alternating name and
// value lines and its body as bytes, with its Content-Type among the
// headers. Reading a Request, a Headers or a body is JS's job, and cheap
// here.

// leanSync returns [input, init] as Go reads them, or null when that needs
// waiting (a Request, a body): then leanAsync.
// isURL: a URL, or an object like one (a URL from another realm).
export const isURL = (v) => v instanceof URL || (typeof v === 'object' && v !== null && typeof v.href === 'string' && !(typeof Request !== 'undefined' && v instanceof Request));

export function leanSync(input, init) {
  if (isURL(input)) input = input.href;
  else if (typeof input !== 'string') return null;
  if (init == null) return [input, init];
  if (init.body != null) return null;
  if (init.headers == null) return [input, init];
  return [input, { ...init, headers: headerLines(init.headers).join('\n') }];
}

export async function leanAsync(input, init) {
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
export function headerLines(h) {
  const out = [];
  const add = (name, value) => {
    if (typeof value === 'number') value = String(value);
    if (typeof name !== 'string' || typeof value !== 'string') {
      throw new AuthError('authlib: headers must map names to string values', 'invalid_request');
    }
    if (/[\r\n\0]/.test(name) || /[\r\n\0]/.test(value)) {
      throw new AuthError('authlib: a header name or value holds a line break or NUL', 'invalid_request');
    }
    // A name is a token (RFC 9110): a colon in one would cross to Go as
    // another header (the codec writes a field as name:value).
    if (name.includes(':') || name === '') throw new AuthError('authlib: a header name is not a valid token (it holds a colon, or is empty)', 'invalid_request');
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
export async function bodyBytes(b) {
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

// message returns the call's message for Go (authlib/internal/wire): the URL and
// what init (as readInit made it) holds but the values that cross beside
// it (see beside).
export function message(url, init) {
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
        // An empty list is one empty value (it replaces a client's list); an
        // entry that is empty is no origin, and Go refuses it.
        if (!Array.isArray(v)) m.add('origins', null); // not an array: Go refuses it
        else if (v.length === 0) m.add('origins', '');
        else for (const o of v) m.add('origins', o === '' ? null : o);
        break;
    }
  }
  return m.text();
}

// beside returns what crosses beside a call's message: the body (bytes),
// the signal, the fields fetch gets unchanged, an auth function (or aws4's
// credentials function, or httpsig's signer, in its place), onToken.
export function beside(init) {
  let pass;
  if (init != null) {
    for (const k of PASS) {
      if (init[k] !== undefined) (pass ??= {})[k] = init[k];
    }
  }
  const a = init?.auth;
  return [init?.body, init?.signal, pass, typeof a === 'function' ? a : a?.credentials ?? a?.signer ?? a?.keysFn, a?.onToken];
}
