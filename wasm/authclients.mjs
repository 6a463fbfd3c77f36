// authclients.mjs — authlib.fetch's own auths that sign with a key WebCrypto
// holds, or keep a token in a store: each goes through a client made for
// it, kept for the next call with the same auth.

import { AuthError } from './common.mjs';
import { message } from './input.mjs';

// signerClients holds the clients of authlib.fetch's own auths that sign
// with a key WebCrypto holds (httpsig, oauth1's rsaKey, oauth2's DPoP and
// client keys): a call with one
// goes through a client made for that auth, so that the signer function
// crosses to Go once, when the client is made, and each call is a lean one
// (see wire.mjs's leanCalls), as through a client of the caller's. A
// client is known by the auth's fields and its signer (one per key, see
// httpsig.mjs), the last 16; one dropped from the 16 is closed once its
// calls are over.
const signerClients = new Map();
const signerIds = new WeakMap();
let signerCount = 0;

// signerClient returns, for a call of authlib.fetch (api the namespace)
// whose auth has a signer, the client to send it through and its init
// without the auth, with release to call when it is over; or null.
export function signerClient(api, init) {
  const a = init?.auth;
  // An OAuth auth's keys (DPoP's, a client key, its store) cross as one
  // function as a signer does, one per keys and store (see keysFunction):
  // a call with a store of its own reuses the token the first one loaded.
  // An onToken of the call's own keeps it on its own path.
  const signer = a?.signer ?? a?.keysFn;
  if (typeof api.client !== 'function' || !api.lean || a == null || typeof a !== 'object' || typeof signer !== 'function' || a.onToken) return null;
  let id = signerIds.get(signer);
  if (id === undefined) signerIds.set(signer, (id = ++signerCount));
  const key = id + JSON.stringify(a, (_, v) => (typeof v === 'function' ? undefined : v));
  let entry = signerClients.get(key);
  if (entry === undefined) {
    const c = api.client(message(undefined, { auth: a }), signer, undefined);
    if (c instanceof AuthError) return null; // the call reports it
    c.lean = api.lean;
    entry = { client: c, inflight: 0, dropped: false };
    signerClients.set(key, entry);
    if (signerClients.size > 16) {
      const [oldKey, old] = signerClients.entries().next().value;
      signerClients.delete(oldKey);
      old.dropped = true;
      if (old.inflight === 0) old.client.close();
    }
  } else {
    // Most recently used last.
    signerClients.delete(key);
    signerClients.set(key, entry);
  }
  const { auth, ...rest } = init;
  return {
    entry,
    init: rest,
    release: () => {
      if (--entry.inflight === 0 && entry.dropped) entry.client.close();
    },
  };
}
