// keys.mjs — the keys function: the one function through which Go asks
// for what stays in JS on behalf of an OAuth client: its keys (a DPoP key,
// a private_key_jwt key, which WebCrypto holds), its login's onAuthorize,
// and its token store. keys(arg, sync, verb), the verbs the codec's
// KEY_VERBS (the same list as Go's wire.KeyVerbs; a test checks):
//
//   load   keys('', false, 'load'): a promise of the store's text ('' for none)
//   save   keys(text, false, 'save'): keeps text ('' deletes it)
//   lock   keys('', false, 'lock'): a promise of the function that releases the store's lock
//   dpop   keys(base, sync, 'dpop'): the DPoP key's signature of base, base64
//   jwk    keys('', sync, 'jwk'): the DPoP key's public JWK, JSON text
//   client keys(base, sync, 'client'): the client key's signature (a client assertion)
//   authorize keys(url, false, 'authorize'): onAuthorize(url), a promise of the callback URL
//
// sync asks for the answer at once: a string, or null when it needs a
// promise (a browser's WebCrypto), and Go goes the slow way. A signer of
// httpsig or oauth1 (httpsig.mjs's readKey) is called as keys is, without
// a verb.

import { KEY_VERBS } from './wire.mjs';

// keysFunction returns the keys function of an OAuth client's DPoP key,
// client key, onAuthorize and store (each null when it has none).
export function keysFunction(dpop, client, onAuthorize, store) {
  // The same keys and store make the same function (a call's own auth
  // given again goes through the client made for it the first time; see
  // send.mjs). A login's onAuthorize is the caller's each time.
  if (onAuthorize) return makeKeysFunction(dpop, client, onAuthorize, store);
  let m = keyFns;
  for (const k of [dpop ?? NONE, client ?? NONE]) {
    if (!m.has(k)) m.set(k, new WeakMap());
    m = m.get(k);
  }
  let fn = m.get(store ?? NONE);
  if (!fn) m.set(store ?? NONE, (fn = makeKeysFunction(dpop, client, null, store)));
  return fn;
}

const keyFns = new WeakMap(); // dpop → client → store (NONE for none) → its function
const NONE = {};

function makeKeysFunction(dpop, client, onAuthorize, store) {
  const verbs = {
    load: () => store.load(),
    save: (text) => store.save(text),
    lock: () => store.lock(),
    dpop: (base, sync) => dpop.sign(base, sync),
    jwk: (_, sync) => dpop.jwk(sync),
    client: (base, sync) => client.sign(base, sync),
    authorize: (url) => Promise.resolve().then(() => onAuthorize(url)).then(String),
  };
  return (arg, sync, verb) => (KEY_VERBS.includes(verb) ? verbs[verb](arg, sync) : null);
}
