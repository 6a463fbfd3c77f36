// client.mjs — authlib.client(options): a client's calls, its cache, and
// the Go functions it owns.

import { AuthError, unwrap } from './common.mjs';
import { attempt, beside, message, readInit } from './input.mjs';
import { Prepared, send, sendVia, withDispatcher } from './send.mjs';
import { proxyAgent } from './proxy.mjs';
import { withNetrc } from './netrc.mjs';

// wrapClient is authlib.client(options). A client owns the Go functions
// of its calls (c): close() settles every call in flight as aborted at
// once, and frees them when the last of those is over in Go, so that no
// call is left waiting on a function that is gone. A client dropped
// without close() is freed when it is collected.
export function wrapClient(raw, options) {
  const [, , , fn, onToken] = beside(options);
  const c = unwrap(raw.client(message(undefined, options), fn, onToken));
  c.lean = raw.lean; // the lean calls, as this client (c.id)
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
  // netrc: read at each call (an edited file counts at once), unless the
  // client or the call names its own auth.
  const netrc = options?.auth === undefined ? options?.netrc : undefined;
  const run = (input, init) => {
    init = readInit(init);
    if (netrc != null && netrc !== false && init?.auth === undefined && init?.netrc == null) {
      return withNetrc(init, netrc).then((i) => run2(input, i));
    }
    return run2(input, init);
  };
  const run2 = (input, init) => {
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
    // logout() (an oauth2 client): the refresh token revoked, then the
    // access token (RFC 7009), both forgotten; nothing prepared with the
    // old token is reused.
    logout() {
      if (closed) return Promise.reject(new AuthError('authlib: the client is closed', 'aborted'));
      cache.map.clear();
      return new Promise((resolve, reject) => c.logout(resolve, reject)).then(() => { cache.map.clear(); });
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
export const busy = new Set();

// collect frees the Go functions of a client that was dropped without
// close(): nothing can call them any more.
export const collect = new FinalizationRegistry((c) => {
  if (!c.released) {
    c.released = true;
    c.close();
  }
});
