// Types for lite.mjs (authlib-wasm/lite): authlib-wasm's API over authlib-lite.wasm.

export * from './authlib.js';
