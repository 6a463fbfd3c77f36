// httpsig.mjs — the key of auth { type: 'httpsig' } (RFC 9421): a
// WebCrypto CryptoKey (non-extractable works), a JWK, a PEM string, or
// bytes for hmac-sha256. Go builds the signature base; JS signs it with
// WebCrypto, so that a private key never enters Go's memory. A shared
// secret goes to Go, which computes the HMAC itself (no waiting).

import { AuthError, isNode, nodeImport } from './common.mjs';

const ALGS = {
  ed25519: { import: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  'ecdsa-p256-sha256': { import: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  'rsa-pss-sha512': { import: { name: 'RSA-PSS', hash: 'SHA-512' }, sign: { name: 'RSA-PSS', saltLength: 64 } },
  'rsa-v1_5-sha256': { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
  // JWS's PS256 only (an OAuth client's key): RFC 9421 has no RSA-PSS over SHA-256.
  'rsa-pss-sha256': { import: { name: 'RSA-PSS', hash: 'SHA-256' }, sign: { name: 'RSA-PSS', saltLength: 32 } },
  // OAuth 1.0a's RSA-SHA1 only: RFC 9421 has no SHA-1.
  'rsa-v1_5-sha1': { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
};


// algOf names the RFC 9421 algorithm of a CryptoKey.
function algOf(key) {
  const a = key.algorithm ?? {};
  switch (a.name) {
    case 'Ed25519': return 'ed25519';
    case 'ECDSA': return a.namedCurve === 'P-256' ? 'ecdsa-p256-sha256' : null;
    case 'RSA-PSS': return a.hash?.name === 'SHA-512' ? 'rsa-pss-sha512' : a.hash?.name === 'SHA-256' ? 'rsa-pss-sha256' : null;
    case 'RSASSA-PKCS1-v1_5': return a.hash?.name === 'SHA-256' ? 'rsa-v1_5-sha256' : a.hash?.name === 'SHA-1' ? 'rsa-v1_5-sha1' : null;
    case 'HMAC': return a.hash?.name === 'SHA-256' ? 'hmac-sha256' : null;
  }
  return null;
}

// jwkAlg names the algorithm of a private JWK.
function jwkAlg(jwk, alg) {
  if (alg) return alg;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'ed25519';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ecdsa-p256-sha256';
  if (jwk.kty === 'RSA' && jwk.alg === 'PS512') return 'rsa-pss-sha512';
  if (jwk.kty === 'RSA' && jwk.alg === 'RS256') return 'rsa-v1_5-sha256';
  if (jwk.kty === 'RSA' && jwk.alg === 'PS256') return 'rsa-pss-sha256';
  return null;
}

// pemAlg names the algorithm of a PKCS #8 key by the OIDs it holds:
// Ed25519 (1.3.101.112), or EC (1.2.840.10045.2.1) on P-256
// (1.2.840.10045.3.1.7); an RSA key's is alg, which the caller gives.
function pemAlg(der, alg) {
  const has = (oid) => {
    outer: for (let i = 0; i + oid.length <= der.length; i++) {
      for (let j = 0; j < oid.length; j++) if (der[i + j] !== oid[j]) continue outer;
      return true;
    }
    return false;
  };
  const found = has([0x06, 0x03, 0x2b, 0x65, 0x70]) ? 'ed25519'
    : has([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]) && has([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]) ? 'ecdsa-p256-sha256'
      : has([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]) && alg?.startsWith('rsa-') && ALGS[alg] ? alg : null;
  if (found && alg !== undefined && alg !== found) return null;
  return found;
}

function pemBytes(pem, fail) {
  const m = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(pem);
  if (!m) throw fail('as PEM must be a PKCS #8 "PRIVATE KEY"');
  return Uint8Array.from(atob(m[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
}

const toBase64 = (buf) => {
  let s = '';
  for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
  return btoa(s);
};

// readKey reads auth.key (and auth.alg) once: { alg, secret } for a shared
// secret (base64, Go signs), or { alg, sign } where sign(base) resolves to
// the signature in base64, for a key WebCrypto holds.
export function readKey(key, alg, what = 'auth.key') {
  const fail = (why) => new AuthError('authlib: ' + what + ' ' + why, 'invalid_credentials');
  if (alg !== undefined && typeof alg !== 'string') throw new AuthError('authlib: auth.alg must be a string', 'invalid_credentials');
  if (key instanceof Uint8Array || key instanceof ArrayBuffer || ArrayBuffer.isView(key)) {
    if (alg !== undefined && alg !== 'hmac-sha256') throw fail(`as bytes is a shared secret (hmac-sha256), not ${alg}`);
    const b = key instanceof ArrayBuffer ? new Uint8Array(key) : new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
    return { alg: 'hmac-sha256', secret: toBase64(b) };
  }
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new AuthError('authlib: httpsig needs WebCrypto (crypto.subtle)', 'unsupported');
  // A key given again (each call's own auth) signs with what it was made
  // into the first time: imported once, and ready to sign at once. A
  // CryptoKey cannot change; a PEM or a JWK is known by its text.
  const isCryptoKey = typeof CryptoKey !== 'undefined' && key instanceof CryptoKey;
  const text = isCryptoKey ? null : typeof key === 'string' ? key : key !== null && typeof key === 'object' ? JSON.stringify(key) : null;
  const known = isCryptoKey ? cryptoKeys.get(key) : text !== null ? texts.get(text) : undefined;
  if (known && (alg === undefined || alg === known.alg)) return known;
  const k = readNewKey(key, alg, what, fail, subtle);
  if (isCryptoKey) {
    cryptoKeys.set(key, k);
  } else if (text !== null) {
    texts.set(text, k);
    if (texts.size > 16) texts.delete(texts.keys().next().value);
  }
  return k;
}

// The signers made of keys: by CryptoKey, and by the text of a PEM or a
// JWK (the last 16).
const cryptoKeys = new WeakMap();
const texts = new Map();

function readNewKey(key, alg, what, fail, subtle) {
  let ready;
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) {
    if (key.type !== 'private' && key.type !== 'secret') throw fail('must be a private or secret key');
    const a = algOf(key);
    if (!a || (alg !== undefined && alg !== a)) throw fail(`signs ${a ?? 'no RFC 9421 algorithm'}${alg ? ', not ' + alg : ''}`);
    alg = a;
    ready = Promise.resolve(key);
  } else if (typeof key === 'string') {
    const der = pemBytes(key, fail);
    const a = pemAlg(der, alg);
    if (!a || !ALGS[a]) throw fail('as PEM must be an Ed25519, P-256 or RSA private key (give alg for RSA: rsa-pss-sha512 or rsa-v1_5-sha256)');
    alg = a;
    ready = subtle.importKey('pkcs8', der, ALGS[a].import, false, ['sign']);
  } else if (key !== null && typeof key === 'object') {
    const a = jwkAlg(key, alg);
    if (!a || !ALGS[a]) throw fail('as a JWK must be an Ed25519, P-256 or RSA private key (give alg for RSA)');
    alg = a;
    ready = subtle.importKey('jwk', key, ALGS[a].import, false, ['sign']);
  } else {
    throw fail('must be a CryptoKey, a JWK, a PEM string, or bytes (a shared secret)');
  }
  // An import that fails rejects each signing, which Go reports; it is
  // awaited then, not left unhandled now.
  ready.catch(() => {});
  return { alg, sign: signer(ready, alg) };
}

// signer signs a base (the string Go sends) with the key ready resolves
// to: sign(base) returns a promise of the signature in base64, and
// sign(base, true) the signature itself, or null when the key cannot sign
// without waiting. In Node it can once the key is ready: node:crypto signs
// with the KeyObject of the CryptoKey at once (a non-extractable key stays
// so: the KeyObject never leaves this closure), where WebCrypto answers a
// promise a few hundred microseconds later. Browsers have only WebCrypto.
function signer(ready, alg) {
  const params = alg === 'hmac-sha256' ? { name: 'HMAC' } : ALGS[alg].sign;
  let now = null;
  if (isNode) {
    Promise.all([ready, nodeImport('node:crypto')]).then(([key, nc]) => { now = nodeSigner(nc, nc.KeyObject.from(key), alg); }).catch(() => {});
  }
  return (base, sync) => {
    if (sync) return now?.(base) ?? null;
    return ready.then((key) => crypto.subtle.sign(params, key, new TextEncoder().encode(base))).then(toBase64);
  };
}

// nodeSigner signs with node:crypto (nc) as WebCrypto signs with alg:
// ECDSA's signature as r||s, RSA-PSS with a 64-byte salt.
function nodeSigner(nc, key, alg) {
  const b64 = (buf) => buf.toString('base64');
  switch (alg) {
    case 'ed25519': return (base) => b64(nc.sign(null, Buffer.from(base), key));
    case 'ecdsa-p256-sha256': return (base) => b64(nc.sign('sha256', Buffer.from(base), { key, dsaEncoding: 'ieee-p1363' }));
    case 'rsa-pss-sha512': return (base) => b64(nc.sign('sha512', Buffer.from(base), { key, padding: nc.constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }));
    case 'rsa-pss-sha256': return (base) => b64(nc.sign('sha256', Buffer.from(base), { key, padding: nc.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
    case 'rsa-v1_5-sha256': return (base) => b64(nc.sign('sha256', Buffer.from(base), key));
    case 'rsa-v1_5-sha1': return (base) => b64(nc.sign('sha1', Buffer.from(base), key));
    case 'hmac-sha256': return (base) => nc.createHmac('sha256', key).update(base).digest('base64');
  }
  return null;
}

// The JWS names (RFC 7518, RFC 8037) of the algorithms an OAuth key signs
// with, and back.
const JWS = { RS256: 'rsa-v1_5-sha256', PS256: 'rsa-pss-sha256', ES256: 'ecdsa-p256-sha256', EdDSA: 'ed25519' };

// newDPoPKey makes a DPoP key pair (RFC 9449): ES256 (P-256) unless alg
// is 'EdDSA'; its private key is not extractable, its public key is (as
// every public key is).
export function newDPoPKey(alg = 'ES256') {
  if (alg !== 'ES256' && alg !== 'EdDSA') return Promise.reject(new AuthError('authlib: a DPoP key is ES256 or EdDSA', 'invalid_credentials'));
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return Promise.reject(new AuthError('authlib: DPoP needs WebCrypto (crypto.subtle)', 'unsupported'));
  return subtle.generateKey(alg === 'ES256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'Ed25519' }, false, ['sign', 'verify']);
}

// readDPoP reads the dpop option once: true (a new key pair, ES256), or
// { keyPair, alg } or a CryptoKeyPair itself. It returns { alg (JWS),
// pair (a promise of the CryptoKeyPair), sign, jwk }: jwk(sync) answers
// the public key's JWK as JSON text, or a promise of it (null, with sync,
// until it is known). The private key stays in WebCrypto.
export function readDPoP(d) {
  const fail = (why) => new AuthError('authlib: dpop ' + why, 'invalid_credentials');
  if (d === false || d == null) return null;
  // A key pair given again (each call's own auth) is read once.
  const given = typeof d === 'object' ? d.keyPair ?? d : null;
  const known = given?.privateKey ? dpops.get(given) : undefined;
  if (known && (d.alg === undefined || d.alg === known.alg)) return known;
  const r = readNewDPoP(d, fail);
  if (given?.privateKey) dpops.set(given, r);
  return r;
}

const dpops = new WeakMap(); // CryptoKeyPair → what readDPoP made of it

function readNewDPoP(d, fail) {
  let pair;
  let alg = d?.alg ?? 'ES256';
  if (d === true || (typeof d === 'object' && d.keyPair == null && d.privateKey == null)) {
    if (alg !== 'ES256' && alg !== 'EdDSA') throw fail('alg is ES256 or EdDSA');
    pair = newDPoPKey(alg);
  } else if (typeof d === 'object') {
    const kp = d.keyPair ?? d;
    const isKey = (k) => typeof CryptoKey !== 'undefined' && k instanceof CryptoKey;
    if (!isKey(kp.privateKey) || !isKey(kp.publicKey)) throw fail('is true, a CryptoKeyPair, or { keyPair, alg }');
    const a = algOf(kp.privateKey);
    alg = a === 'ecdsa-p256-sha256' ? 'ES256' : a === 'ed25519' ? 'EdDSA' : null;
    if (!alg) throw fail('keys are ECDSA P-256 (ES256) or Ed25519 (EdDSA)');
    pair = Promise.resolve(kp);
  } else {
    throw fail('is true, a CryptoKeyPair, or { keyPair, alg }');
  }
  pair.catch(() => {});
  let text = null;
  const jwk = pair.then((kp) => crypto.subtle.exportKey('jwk', kp.publicKey)).then(({ kty, crv, x, y }) => (text = JSON.stringify({ kty, crv, x, y })));
  jwk.catch(() => {});
  return { alg, pair, sign: signer(pair.then((kp) => kp.privateKey), JWS[alg]), jwk: (sync) => text ?? (sync ? null : jwk) };
}

// readClientKey reads clientKey (a CryptoKey, a private JWK or PEM) and
// clientKeyAlg (RS256, PS256, ES256 or EdDSA; needed for a PEM RSA key)
// once, as readKey does: { alg, sign }.
export function readClientKey(key, jws) {
  if (jws !== undefined && !JWS[jws]) throw new AuthError('authlib: clientKeyAlg is RS256, PS256, ES256 or EdDSA', 'invalid_credentials');
  if (key instanceof Uint8Array || key instanceof ArrayBuffer || ArrayBuffer.isView(key)) throw new AuthError('authlib: clientKey is a private key (a CryptoKey, a JWK or a PEM string)', 'invalid_credentials');
  const k = readKey(key, JWS[jws], 'clientKey');
  if (!Object.values(JWS).includes(k.alg)) throw new AuthError('authlib: clientKey signs ' + k.alg + ', which is not a JWS algorithm (RS256, PS256, ES256, EdDSA)', 'invalid_credentials');
  return k;
}
