// wire.mjs — the codec of the boundary between authlib.mjs and
// authlib.wasm, on the JS side (the Go side is the package authlib/internal/wire, whose
// doc comment says what each field holds): every message that crosses is
// encoded and decoded here, and nothing else builds or parses a crossing
// string.
//
// A message is named fields in one string: a line a field, "name=value",
// the value escaped (a backslash as \\, a line break as \n, a carriage
// return as \r). A list is its field repeated. A value that is not of the
// field's type crosses as BAD, which Go refuses naming the option: the
// words of every refusal are Go's.

/** BAD is the value of a field given in the wrong type. */
export const BAD = '\0';

/** FIELDS are [name, type, list?]: the same table as Go's wire.Fields (a test checks). */
export const FIELDS = [
  ['url', 'string'],
  ['method', 'string'],
  ['header', 'header', true],
  ['sent', 'header', true],
  ['auth', 'string'],
  ['auth.token', 'string'],
  ['auth.onToken', 'flag'],
  ['auth.expiration', 'number'],
  ['auth.credentials', 'flag'],
  ['expires', 'number'],
  ['auth.alg', 'string'],
  ['auth.component', 'string', true],
  ['auth.label', 'string'],
  ['auth.expires', 'number'],
  ['auth.nonce', 'boolean'],
  ['auth.tag', 'string'],
  ['auth.contentDigest', 'string'],
  ['auth.secret', 'string'],
  ['auth.signer', 'flag'],
  ['timeout', 'number'],
  ['retry', 'number'],
  ['retry.max', 'number'],
  ['retry.base', 'number'],
  ['retry.cap', 'number'],
  ['retry.maxRetryAfter', 'number'],
  ['retry.nonIdempotent', 'boolean'],
  ['allowInsecure', 'boolean'],
  ['baseURL', 'string'],
  ['origins', 'string', true],
  ['redirect', 'string'],
  ['oauth.issuer', 'string'],
  ['oauth.tokenURL', 'string'],
  ['oauth.deviceURL', 'string'],
  ['oauth.revocationURL', 'string'],
  ['oauth.tokenTypeHint', 'string'],
  ['oauth.token', 'string'],
  ['oauth.authorizationURL', 'string'],
  ['oauth.clientId', 'string'],
  ['oauth.clientSecret', 'string'],
  ['oauth.clientAuth', 'string'],
  ['oauth.redirectURI', 'string'],
  ['oauth.scope', 'string'],
  ['oauth.callback', 'string'],
  ['oauth.state', 'string'],
  ['oauth.codeVerifier', 'string'],
  ['oauth.param', 'string', true],
  ['oauth.registrationURL', 'string'],
  ['oauth.parURL', 'string'],
  ['oauth.clientKeyId', 'string'],
  ['oauth.clientKeyAlg', 'string'],
  ['oauth.dpop', 'string'],
  ['oauth.resource', 'string', true],
  ['oauth.par', 'boolean'],
  ['oauth.metadata', 'json'],
  ['oauth.initialAccessToken', 'string'],
  ['oauth.onAuthorize', 'flag'],
  ['oauth.store', 'flag'],
  ['code.user', 'string'],
  ['code.uri', 'string'],
  ['code.uriComplete', 'string'],
  ['code.expiresIn', 'number'],
  ['redirectMode', 'string'],
  ['follow', 'flag'],
  ['renew', 'flag'],
  ['cache', 'flag'],
  ['answer', 'flag'],
  ['until', 'number'],
  ['aws4', 'flag'],
  ['aws4.canonicalRequest', 'string'],
  ['aws4.stringToSign', 'string'],
  ['error', 'string'],
  ['detail', 'string'],
];

/**
 * SCHEMES are [scheme, field, type, optional?]: the plain fields of each
 * type of the auth option, which readAuth copies (as auth.field) and
 * accepts as the object's keys; the same table as Go's wire.SchemeFields
 * (a test checks).
 */
export const SCHEMES = [
  ['basic', 'username', 'string'],
  ['basic', 'password', 'string'],
  ['digest', 'username', 'string'],
  ['digest', 'password', 'string'],
  ['proxy', 'username', 'string'],
  ['proxy', 'password', 'string'],
  ['bearer', 'token', 'string'],
  ['header', 'name', 'string'],
  ['header', 'value', 'string'],
  ['aws4', 'accessKeyId', 'string'],
  ['aws4', 'secretAccessKey', 'string'],
  ['aws4', 'sessionToken', 'string', true],
  ['aws4', 'region', 'string', true],
  ['aws4', 'service', 'string', true],
  ['aws4', 'unsignedPayload', 'boolean', true],
  ['netrc', 'text', 'string'],
  ['netrc', 'mode', 'number'],
  ['oauth1', 'clientKey', 'string'],
  ['oauth1', 'clientSecret', 'string', true],
  ['oauth1', 'resourceOwnerKey', 'string', true],
  ['oauth1', 'resourceOwnerSecret', 'string', true],
  ['oauth1', 'signatureMethod', 'string', true],
  ['oauth1', 'signatureType', 'string', true],
  ['oauth1', 'realm', 'string', true],
  ['oauth1', 'bodyHash', 'boolean', true],
  ['oauth1', 'callback', 'string', true],
  ['oauth1', 'verifier', 'string', true],
  ['httpsig', 'keyId', 'string'],
  ['httpsig', 'label', 'string', true],
  ['httpsig', 'tag', 'string', true],
  ['httpsig', 'contentDigest', 'string', true],
  ['httpsig', 'expires', 'number', true],
  ['httpsig', 'nonce', 'boolean', true],
];

/**
 * KEY_VERBS are what Go asks of an OAuth client's keys function (keys.mjs):
 * the same list as Go's wire.KeyVerbs (a test checks).
 */
export const KEY_VERBS = ['load', 'save', 'lock', 'dpop', 'jwk', 'client', 'authorize'];

const TYPES = new Map([...FIELDS.map(([name, type]) => [name, type]), ...SCHEMES.map(([, f, type]) => ['auth.' + f, type])]);

// value is v as the field name writes it, or BAD.
function value(name, v) {
  switch (TYPES.get(name)) {
    case 'string':
    case 'json':
    case 'header':
      return typeof v === 'string' ? v : BAD;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? String(v) : BAD;
    case 'boolean':
      return typeof v === 'boolean' ? String(v) : BAD;
    case 'flag':
      return '1';
  }
  throw new Error(`authlib: wire has no field ${name}`);
}

const ESC = /[\\\n\r]/;
const escape = (s) => (ESC.test(s) ? s.replace(/[\\\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : '\\r')) : s);

/**
 * Message builds one message: add(name, v) writes v as the field's type
 * (BAD when it is not of it), and text() is the message.
 */
export class Message {
  constructor() {
    this.parts = [];
  }

  add(name, v) {
    this.parts.push(name + '=' + escape(value(name, v)));
    return this;
  }

  text() {
    return this.parts.join('\n');
  }
}

/** decode returns a message as a Map of name to its values, in order. */
export function decode(s) {
  const out = new Map();
  if (s === '') return out;
  for (const line of s.split('\n')) {
    const i = line.indexOf('=');
    const name = line.slice(0, i);
    let v = line.slice(i + 1);
    if (v.includes('\\')) v = v.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
    const all = out.get(name);
    if (all) all.push(v);
    else out.set(name, [v]);
  }
  return out;
}

/**
 * leanCalls returns the lean calls of the module instance (see
 * authlib/internal/jsapi/lean_js.go), or null when it has none: prepare(client, text) and
 * answer(client, text) write the message text into Go's buffer, call the
 * export, and return the message of its answer (decoded), or null when the
 * call must go through syscall/js instead (Go declines, the text does not
 * fit). client is a client's id, 0 for authlib.fetch.
 */
export function leanCalls(instance) {
  const ex = instance.exports;
  if (typeof ex.authlib_prepare !== 'function' || typeof ex.authlib_io !== 'function') return null;
  const at = ex.authlib_io(), size = ex.authlib_io_size();
  const enc = new TextEncoder(), dec = new TextDecoder();
  let io = null;
  // The view is made again when the memory has grown: growing detaches
  // the buffer a view was made on.
  const view = () => (io !== null && io.buffer === ex.mem.buffer ? io : (io = new Uint8Array(ex.mem.buffer, at, size)));
  const call = (fn) => (client, text) => {
    const { read, written } = enc.encodeInto(text, view());
    if (read < text.length) return null;
    const n = fn(client, written);
    return n < 0 ? null : decode(dec.decode(view().subarray(0, n)));
  };
  return { prepare: call(ex.authlib_prepare), answer: call(ex.authlib_answer) };
}
