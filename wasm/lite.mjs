// lite.mjs — authlib-wasm/lite: the same API as authlib-wasm, whose load()
// instantiates authlib-lite.wasm: Basic, Digest, Bearer, proxy Basic,
// header tokens, netrc and auth functions, and not the signing schemes or
// OAuth 2.0, which it refuses as unsupported, naming the full build.

import { AuthError, load as loadBuild } from './authlib.mjs';

export { AuthError };

/** load instantiates authlib-lite.wasm (or source, as authlib-wasm's load takes it) once. */
export function load(source) {
  return loadBuild(source ?? { build: 'lite' });
}
