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
