// send.mjs — one call of fetch: the fast path that reuses what Go
// prepared (the cache, Prepared), and the calls into Go when it must act.

import { Message, decode } from './wire.mjs';
import { AuthError } from './common.mjs';
import { PASS, beside, canonical, leanAsync, leanSync, made, message } from './input.mjs';
import { proxyAgent } from './proxy.mjs';
import { signerClient } from './authclients.mjs';
import { withNetrc } from './netrc.mjs';
export const REDIRECTS = new Set([301, 302, 303, 307, 308]);

// send is one call of fetch. For the common request Go prepares it in one
// synchronous call (or JS reuses what Go prepared before, see Prepared) and
// JS sends it (see authlib/internal/jsapi/fast_js.go); a redirect goes back to Go to follow,
// and so does a 401 to an OAuth token or a Digest answer. When Go declines
// to prepare (retries, an auth function, a token to fetch first, a
// timeout Go keeps), the same call runs the whole request in Go.
//
// init is what readInit made of the caller's; base resolves a relative URL
// (a client's baseURL; init's own wins; in a page, its address).
export function send(api, input, init, cache, base) {
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

// sendLean is send, with input and init as leanSync or leanAsync left them.
export function sendLean(api, target, init, cache) {
  const s = signerClient(api, init);
  if (s !== null) {
    // The call goes through its auth's client, which it keeps while it
    // runs; with no cache: what authlib.fetch reuses is keyed by the
    // call's auth, which this init no longer has (a signature is never
    // reused anyway).
    s.entry.inflight++;
    const done = () => s.release();
    const p = sendLean(s.entry.client, target, s.init, undefined);
    p.then(done, done);
    return p;
  }
  const input = typeof target === 'string' ? target : target.href;
  init = timed(init, cache?.timeout);
  const ck = typeof target === 'string' ? null : cache?.key(target, init);
  // The call's message for Go, made once and only when Go is called.
  let msg;
  const call = () => (msg ??= message(input, init));
  let p = ck && cache.get(ck.key);
  let url = ck?.url;
  let fi = p?.init;
  const body = init?.body; // bytes; it and the signal are never kept with what is reused
  if (p?.answer) {
    // A Digest request: the same init, with a new answer from Go, which
    // signs no body (auth-int): a request with one asks prepare.
    const h = body == null ? answer(api, url, fi.method ?? 'GET') : null;
    if (h instanceof AuthError) return Promise.reject(h);
    if (typeof h === 'string') fi = { ...p.init, headers: p.init.headers.map(([n, v]) => [n, n === 'Authorization' ? h : v]) };
    else p = null;
  }
  if (!p) {
    // One call: Go prepares the request for JS to send, or (null) runs it
    // itself from the message it read, and settles viaGo.
    const [, , , fn, onToken] = beside(init);
    // Nothing but the message to cross: the lean call, when Go prepares it.
    let prepared = body == null && fn === undefined && onToken === undefined ? api.lean?.prepare(api.id ?? 0, call()) : null;
    if (prepared == null) {
      const viaGo = new Promise((resolve, reject) => {
        prepared = api.prepare(call(), ...beside(init), resolve, reject);
      });
      if (prepared instanceof AuthError) return Promise.reject(prepared);
      if (prepared === null) return viaGo;
      prepared = decode(prepared);
    } else if (prepared.has('error')) {
      return Promise.reject(leanError(prepared));
    }
    p = readPrepared(prepared, init);
    url = p.url;
    fi = p.init;
    if (ck && (p.cacheable || p.answer)) cache.set(ck.key, p);
  }
  if (body != null) fi = { ...fi, body };
  if (init?.signal) fi = { ...fi, signal: init.signal };
  const sent = fi.headers;
  return fetch(url, fi).then(
    (res) => {
      if (p.aws4 && res.status === 403) {
        // What was signed, for aws4.check to show: asked of Go only then.
        const token = sent.find(([n]) => n.toLowerCase() === 'x-amz-security-token')?.[1] ?? '';
        signedRequests.set(res, { signed: () => api.aws4Signed(call(), sentMessage(sent), body), token });
      }
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
export function timed(init, clientTimeout) {
  const ms = init?.timeout ?? clientTimeout;
  if (ms == null || typeof AbortSignal.timeout !== 'function' || typeof AbortSignal.any !== 'function') return init;
  if (typeof ms !== 'number' || !(ms >= 0)) return init; // Go refuses it, by name
  if (ms === 0 || ms > 2 ** 31 - 1) return { ...init, timeout: 0 }; // no bound (a JS timer holds 24.8 days at most)
  const t = AbortSignal.timeout(Math.ceil(ms));
  return { ...init, timeout: 0, signal: init?.signal ? AbortSignal.any([init.signal, t]) : t };
}

// signedRequests holds, for a 403 to an AWS SigV4 request, what was
// signed (signed() → Go's message of it, or an AuthError) and the session
// token it carried (to mask the server's message with): aws4.check reads
// it. Go records the requests it ran itself (authlib.mjs's recordSigned).
export const signedRequests = new WeakMap();

// sentMessage is the message of the header pairs JS sent (resume).
export function sentMessage(pairs) {
  const m = new Message();
  for (const [n, v] of pairs) m.add('sent', n + ':' + v);
  return m.text();
}

// answer is the Authorization of a repeat Digest request through a
// client (api), from the lean call when there is one: a string, an
// AuthError, or null when Go must run the request.
function answer(api, url, method) {
  const m = api.lean?.answer(api.id, new Message().add('url', url).add('method', method).text());
  if (m == null) return api.answer(url, method);
  return m.has('error') ? leanError(m) : m.get('header')[0].slice('Authorization:'.length);
}

// leanError is the AuthError of a lean call's failure (its message).
function leanError(m) {
  return new AuthError(m.get('detail')[0], m.get('error')[0]);
}

// readPrepared turns what prepare returned (the message of the prepared
// fields, see authlib/internal/wire, decoded) into fetch's arguments and what send
// needs to know.
export function readPrepared(m, init) {
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
  const p = { url: one('url'), init: fi, follow: m.has('follow'), renew: m.has('renew'), cacheable: m.has('cache'), answer: m.has('answer'), aws4: m.has('aws4') };
  if (m.has('until')) p.until = +one('until');
  return p;
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
export class Prepared {
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
    const t = target(u);
    if (t === null) return null;
    return { key: t.origin + '\n' + who + '\n' + method + '\n' + timeout + '\n' + headers, url: t.href };
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

// target returns what a prepared request's key needs of the URL u (its
// origin and href), or null when what Go prepared for it may not be
// reused; read once per URL canonical made (a URL of the caller's may
// change between calls: it is read each time).
function target(u) {
  let t = targets.get(u);
  if (t === undefined) {
    // A % that starts no escape is a path Go refuses (net/url): Go judges it.
    const ok = (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !/%(?![0-9A-Fa-f]{2})/.test(u.pathname);
    t = ok ? { origin: u.origin, href: u.href } : null;
    if (made.has(u)) targets.set(u, t);
  }
  return t;
}

const targets = new WeakMap();

// identity names the credentials of an auth option whose header is the
// same every time (Basic, Bearer, a header token, none), or null.
export function identity(a) {
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

export const shared = new Prepared(false);

// sendVia is send, where init may name a proxy (Node): a ProxyAgent made
// for this one call carries the proxy's credentials, and fetch gets it as
// its dispatcher. A client makes its agent once (see wrapClient).
export function sendVia(raw, input, init, cache = shared) {
  if (init?.netrc != null) return withNetrc(init).then((i) => sendVia(raw, input, i, cache));
  if (init?.proxy == null) return send(raw, input, init, cache, cache.base);
  let agent;
  return proxyAgent(raw, init.proxy)
    .then((a) => {
      agent = a;
      return send(raw, input, withDispatcher(init, a), cache, cache.base);
    })
    .finally(() => agent?.close().catch(() => {}));
}

export function withDispatcher(init, dispatcher) {
  const { proxy, ...rest } = init ?? {};
  return { ...rest, dispatcher };
}
