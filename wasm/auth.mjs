// auth.mjs — the auth option, read once: each scheme's plain fields (the
// codec's SCHEMES), what crosses beside them (an auth function, aws4's
// credentials function, a WebCrypto signer, an OAuth client's keys
// function), and the OAuth settings; and how it is written in a call's
// message.

import { Message, SCHEMES, decode } from './wire.mjs';
import { AuthError, knownKeys, scalar } from './common.mjs';
import { readClientKey, readDPoP, readKey } from './httpsig.mjs';
import { keysFunction } from './keys.mjs';
import { readStore } from './store.mjs';

// AUTH_EXTRA are the fields of an auth object besides its scheme's
// AUTH_FIELDS (and type) that readAuth reads.
const AUTH_EXTRA = { aws4: ['credentials'], oauth1: ['rsaKey'], httpsig: ['created', 'components', 'key', 'alg'] };

// OAUTH_KEYS are the OAuth settings besides OAUTH_OPTIONS, read by
// oauthKeys and readAuth.
export const OAUTH_KEYS = ['dpop', 'clientKey', 'clientKeyAlg', 'store'];

// AUTH_FIELDS are the plain fields of each scheme of the auth option (the
// codec's SCHEMES), and OPTIONAL those a scheme does without: left out,
// they cross as absent, not as BAD. An object without a type is basic.
const AUTH_FIELDS = {};
const OPTIONAL = {};
for (const [scheme, field, , optional] of SCHEMES) {
  (AUTH_FIELDS[scheme] ??= []).push(field);
  if (optional) (OPTIONAL[scheme] ??= new Set()).add(field);
}
AUTH_FIELDS[''] = AUTH_FIELDS.basic;

// readAuth returns the auth option as Go reads it: a copy of the fields
// its scheme uses, each read once.
// what names the object in an error, and extra are the keys it may hold
// besides its scheme's (a flow's own options).
export function readAuth(a, what = 'auth', extra = []) {
  if (a == null) return a;
  if (typeof a === 'function') return authFunction(a);
  if (Array.isArray(a)) {
    // Each element read once (a getter may answer differently each time).
    const out = new Array(a.length);
    for (let i = 0; i < out.length; i++) out[i] = scalar('auth', a[i]);
    return out;
  }
  if (typeof a !== 'object') return scalar('auth', a);
  const type = scalar('auth.type', a.type);
  const scheme = typeof type === 'string' ? type.toLowerCase() : type === undefined ? '' : null;
  if (type === 'oauth2') {
    knownKeys(what, a, ['type', ...OAUTH_OPTIONS, ...OAUTH_KEYS, 'onToken', 'onAuthorize', ...extra]);
    const auth = { type, oauth: oauthFields(a) };
    const onToken = a.onToken;
    if (typeof onToken === 'function') auth.onToken = tokenHook(onToken);
    const keys = oauthKeys(a, auth.oauth);
    if (keys) auth.keysFn = keys.fn;
    return auth;
  }
  const fields = AUTH_FIELDS[scheme];
  if (fields && scheme !== 'netrc') knownKeys(what, a, ['type', ...fields, ...(AUTH_EXTRA[scheme] ?? []), ...extra]);
  const out = { type };
  for (const f of fields ?? []) {
    const v = scalar('auth.' + f, a[f]);
    if (v != null || !OPTIONAL[scheme]?.has(f)) out[f] = v;
  }
  if (scheme === 'httpsig') return readHTTPSig(a, out);
  if (scheme === 'oauth1' && a.rsaKey != null) {
    // RSA-SHA1 and RSA-SHA256 sign with a WebCrypto key, as httpsig does.
    const m = out.signatureMethod;
    if (m !== 'RSA-SHA1' && m !== 'RSA-SHA256') throw new AuthError('authlib: auth.rsaKey is for signatureMethod RSA-SHA1 or RSA-SHA256', 'invalid_credentials');
    const k = readKey(a.rsaKey, m === 'RSA-SHA1' ? 'rsa-v1_5-sha1' : 'rsa-v1_5-sha256', 'auth.rsaKey');
    out.alg = k.alg;
    out.signer = k.sign;
  }
  if (scheme === 'aws4') {
    const c = a.credentials;
    if (c != null) {
      if (typeof c !== 'function') throw new AuthError('authlib: auth.credentials must be a function', 'invalid_credentials');
      delete out.accessKeyId, delete out.secretAccessKey, delete out.sessionToken;
      out.credentials = credentialsFunction(c);
    }
  }
  return out;
}

// readHTTPSig reads what auth {type: 'httpsig', …} holds besides its
// plain fields (out): its key (see httpsig.mjs) and components.
function readHTTPSig(a, out) {
  if (a.created !== undefined && a.created !== true) throw new AuthError('authlib: auth.created is always there: leave it out', 'invalid_request');
  const c = a.components;
  if (c != null) {
    if (!Array.isArray(c)) throw new AuthError('authlib: auth.components must be an array of strings', 'invalid_request');
    out.components = Array.from(c, (x) => scalar('auth.components', x));
  }
  const k = readKey(a.key, a.alg);
  out.alg = k.alg;
  if (k.secret !== undefined) out.secret = k.secret;
  else out.signer = k.sign;
  return out;
}

// credentialsFunction wraps aws4's credentials function, async () =>
// ({accessKeyId, secretAccessKey, sessionToken?, expiration?}), for Go,
// which gets a message of them (authlib/internal/wire): expiration a Date, a time in ms
// or an ISO string (as AWS SDKs and STS give it).
export function credentialsFunction(fn) {
  const read = (c) => {
    const m = new Message();
    if (c === null || typeof c !== 'object') c = {};
    for (const f of ['accessKeyId', 'secretAccessKey', 'sessionToken']) if (c[f] != null) m.add('auth.' + f, c[f]);
    let e = c.expiration ?? c.Expiration;
    if (e != null) {
      if (typeof e === 'string') e = Date.parse(e);
      else if (e instanceof Date) e = e.getTime();
      m.add('auth.expiration', typeof e === 'number' ? Math.floor(e) : e);
    }
    return m.text();
  };
  return () => {
    const r = fn();
    return r !== null && typeof r === 'object' && typeof r.then === 'function' ? Promise.resolve(r).then(read) : read(r);
  };
}

// authFunction wraps an auth function (request) => void | Promise<void>
// for Go, which hands it a message of the method, the URL and the header
// fields (authlib/internal/wire), and gets a message of the header fields back: one
// call each way.
export function authFunction(fn) {
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

// tokenHook wraps onToken for Go, which hands it the token as JSON text.
// A hook that throws, or whose promise rejects, neither ends the process
// nor loses the token (it is kept and used): a warning says it was not
// saved.
export function tokenHook(fn) {
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
// (authlib/internal/wire), the saved token as auth.token.
export const OAUTH_OPTIONS = ['issuer', 'tokenURL', 'deviceURL', 'authorizationURL', 'revocationURL', 'registrationURL', 'parURL', 'clientId',
  'clientSecret', 'clientAuth', 'clientKeyId', 'redirectURI', 'scope', 'resource', 'par', 'callback', 'state', 'codeVerifier', 'tokenTypeHint',
  'token'];

// oauthFields reads the OAuth settings of o once: a scope's names joined
// with a space, a token object as its JSON text; a value of the wrong type
// stays as it is, and crosses as BAD, which Go refuses naming the option.
export function oauthFields(o) {
  const out = {};
  if (o === null || typeof o !== 'object') return out;
  for (const k of OAUTH_OPTIONS) {
    let v = o[k];
    if (v == null) continue;
    if (k === 'scope' && Array.isArray(v) && v.every((x) => typeof x === 'string')) v = v.join(' ');
    if (k === 'scope' && typeof v === 'string') v = v.split(/\s+/).filter(Boolean).join(' ');
    if (k === 'resource') v = Array.isArray(v) ? Array.from(v, (x) => scalar('resource', x)) : [v];
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
export function addOAuth(m, f) {
  for (const k of Object.keys(f)) {
    if (k === 'resource') for (const r of f[k]) m.add('oauth.resource', r);
    else m.add(k === 'token' ? 'auth.token' : 'oauth.' + k, f[k]);
  }
}

// oauthKeys reads the keys of OAuth settings o once: dpop (true, a
// CryptoKeyPair, or { keyPair, alg }) and, for private_key_jwt, clientKey
// with clientKeyAlg; onAuthorize, the login of a client given only a
// resource; and store, where its token is kept (store.mjs). It notes their algorithms in f (the oauth fields) and
// returns { fn, dpop } (fn, the keys function that crosses beside; dpop,
// as readDPoP read it), or null when there are none.
export function oauthKeys(o, f) {
  const dpop = readDPoP(o?.dpop);
  const client = o?.clientAuth === 'private_key_jwt' && o.clientKey != null ? readClientKey(o.clientKey, o.clientKeyAlg ?? undefined) : null;
  const onAuthorize = typeof o?.onAuthorize === 'function' ? o.onAuthorize : null;
  const store = o?.store != null ? readStore(o.store) : null;
  if (!dpop && !client && !onAuthorize && !store) return null;
  if (store) f.store = true;
  if (dpop) f.dpop = dpop.alg;
  if (client) f.clientKeyAlg = client.alg;
  if (onAuthorize) f.onAuthorize = true;
  return { fn: keysFunction(dpop, client, onAuthorize, store), dpop };
}

// addAuth adds the auth option (as readAuth made it) to m.
export function addAuth(m, a) {
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
    for (const f of Object.keys(a)) {
      if (f === 'type') continue;
      if (f === 'components') for (const c of a[f]) m.add('auth.component', c);
      else m.add('auth.' + f, f === 'credentials' || f === 'signer' || a[f]); // a function crosses beside
    }
  }
}
