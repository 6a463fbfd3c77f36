// common.mjs — what every module of authlib.mjs stands on: the error
// type, and how Node-only modules are loaded.

/** AuthError is the one error type of authlib; `code` says which failure. */
export class AuthError extends Error {
  constructor(message, code, options) {
    super(message, options);
    this.name = 'AuthError';
    this.code = code;
  }
}

export const isNode = typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';

// nodeImport loads a module that only Node has (node:fs, undici). The name
// is a variable, and bundlers are told to leave the import alone, so that a
// browser build (esbuild, Vite, webpack) neither fails on node: modules nor
// drags them in.
export const nodeImport = (name) => import(/* webpackIgnore: true */ /* @vite-ignore */ name);

export function unwrap(v) {
  if (v instanceof AuthError) throw v;
  return v;
}

// knownKeys refuses, before anything is sent, a key of o that is not in
// known, naming the nearest known one: an option misspelt and so ignored
// would send a request with less protection, or other credentials, than
// the caller meant. It reads no value (a getter is read once, where it is
// used).
export function knownKeys(what, o, known) {
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue;
    const near = nearest(k, known, Math.max(2, Math.floor(k.length / 3)));
    throw new AuthError(`authlib: ${what} has no option ${JSON.stringify(k)}` + (near ? `; did you mean ${near}?` : ''), 'invalid_request');
  }
}

// nearest returns the name of names within max edits of k (letter case
// aside), or undefined.
export function nearest(k, names, max) {
  let best, bestD = max + 1;
  for (const n of names) {
    const d = distance(k.toLowerCase(), n.toLowerCase());
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best;
}

// distance is the edit distance of a and b, a swap of two neighbours one
// edit (optimal string alignment).
function distance(a, b) {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

// scalar refuses the values Go cannot read, naming the option.
export function scalar(name, v) {
  if (typeof v === 'bigint' || typeof v === 'symbol') {
    const code = /^auth|^user$|^password$|^token$/.test(name) ? 'invalid_credentials' : /^(baseURL|origins)$/.test(name) ? 'invalid_url' : 'invalid_request';
    throw new AuthError(`authlib: ${name} cannot be a ${typeof v}`, code);
  }
  return v;
}
