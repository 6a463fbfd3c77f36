//go:build !js || !wasm

package authlib

import "crypto/rand"

// Random fills b with bytes from the system's cryptographically secure
// source: crypto/rand natively; in js/wasm, crypto.getRandomValues
// directly (crypto/rand would link its FIPS 140 DRBG, AES among it, for
// no gain there).
func Random(b []byte) { rand.Read(b) }
