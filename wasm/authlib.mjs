// authlib.mjs — loads authlib.wasm in browsers and in Node 20.19 or later
// (import, or require()).
//
//   import { load } from './authlib.mjs';
//   const authlib = await load();            // or load(urlOrPathOrBytes)
//   const res = await authlib.fetch(url, { auth: ['user', 'pass'] });
//
// The namespace is also published as globalThis.authlib.
//
// This module loads the wasm and puts the API together; the modules beside
// it do the rest, one concern each: input.mjs reads the caller's input once
// and makes the call's message, wire.mjs is the codec of every message
// that crosses to Go (authlib/internal/wire is Go's side), send.mjs sends a call (the
// fast path and its cache, and the calls into Go), client.mjs is
// authlib.client, oauth.mjs authlib.oauth2, oauth1.mjs authlib.oauth1,
// aws.mjs authlib.aws4, netrc.mjs the netrc option and proxy.mjs the proxy
// option in Node, common.mjs the error type.

import { AuthError, isNode, knownKeys, nodeImport, scalar, unwrap } from './common.mjs';
import { attempt, readInit } from './input.mjs';
import { sendVia, signedRequests } from './send.mjs';
import { leanCalls } from './wire.mjs';
import { oauth2API } from './oauth.mjs';
import { aws4API } from './aws.mjs';
import { oauth1API } from './oauth1.mjs';
import { wrapClient } from './client.mjs';

export { AuthError };

const loading = new Map(); // 'full', 'lite', or 'source' (the caller's wasm) → the promise of its API

/**
 * load instantiates authlib.wasm once and resolves to the authlib namespace.
 * @param {string | URL | ArrayBuffer | ArrayBufferView | Response | { build: 'full' | 'lite' }} [source]
 *   the wasm: a URL or (in Node) a file path, or its bytes; or which build
 *   next to this module: { build: 'lite' } is authlib-lite.wasm (Basic,
 *   Digest, Bearer, proxy Basic, header tokens, netrc; smaller), 'full'
 *   (the default) authlib.wasm, every scheme.
 */
export function load(source) {
  let key = source === undefined ? 'full' : 'source';
  if (source !== null && typeof source === 'object' && Object.getPrototypeOf(source) === Object.prototype) {
    try {
      knownKeys('load', source, ['build']);
    } catch (err) {
      return Promise.reject(err);
    }
    if (source.build !== 'full' && source.build !== 'lite') return Promise.reject(new AuthError('authlib: load({ build }) is \'full\' or \'lite\'', 'invalid_request'));
    key = source.build;
    source = new URL(key === 'lite' ? './authlib-lite.wasm' : './authlib.wasm', import.meta.url);
  }
  let p = loading.get(key);
  if (!p) {
    p = start(source).catch((err) => {
      loading.delete(key);
      throw err;
    });
    loading.set(key, p);
  }
  return p;
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
    globalThis.__authlib_boot = { AuthError, ready: resolve, recordSigned: (res, msg, token) => signedRequests.set(res, { signed: () => msg, token }) };
  });
  const instance = await WebAssembly.instantiate(await compiling, go.importObject);
  go.run(instance).catch((err) => console.error('authlib: the Go program stopped:', err));
  const raw = await ready;
  delete globalThis.__authlib_boot;
  // The lean calls (wire.mjs), which send.mjs makes when only a message
  // crosses; none once the Go program has stopped.
  const lean = leanCalls(instance);
  if (lean) {
    const live = (f) => (client, text) => (go.exited ? null : f(client, text));
    raw.lean = { prepare: live(lean.prepare), answer: live(lean.answer) };
  }
  const api = Object.freeze({
    version: raw.version,
    AuthError,
    basic: (user, password) => unwrap(raw.basic(scalar('user', user), scalar('password', password))),
    bearer: (token) => unwrap(raw.bearer(scalar('token', token))),
    fetch: (input, init) => attempt(() => sendVia(raw, input, readInit(init))),
    client: (options) => wrapClient(raw, readInit(options, 'options')),
    oauth2: Object.freeze(oauth2API(raw)),
    aws4: Object.freeze(aws4API(raw)),
    oauth1: Object.freeze(oauth1API(raw)),
  });
  globalThis.authlib = api;
  return api;
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
