//go:build js && wasm

package authlib

import "sync"

// Random fills b with bytes from the system's cryptographically secure
// source: crypto.getRandomValues, through the import wasm_exec.js gives
// the Go runtime (as crypto/rand does, without its FIPS 140 DRBG, AES
// among it, which would add some 40 KB to a wasm binary).
//
// Small reads come from a pool filled 4 KiB at a time: a call into the JS
// runtime costs more than the bytes (a Digest cnonce is 16 bytes a
// request). Each byte of the pool is handed out once, and zeroed then.
func Random(b []byte) {
	if len(b) > len(pool.b)/4 {
		fill(b)
		return
	}
	pool.mu.Lock()
	for len(b) > 0 {
		if pool.n == 0 {
			fill(pool.b[:])
			pool.n = len(pool.b)
		}
		k := copy(b, pool.b[len(pool.b)-pool.n:])
		clear(pool.b[len(pool.b)-pool.n : len(pool.b)-pool.n+k])
		pool.n -= k
		b = b[k:]
	}
	pool.mu.Unlock()
}

// pool holds random bytes not yet handed out: the last n of b. Its lock
// is never held across a call that waits for JS (getRandomData does not).
var pool struct {
	mu sync.Mutex
	b  [4096]byte
	n  int
}

func fill(b []byte) {
	for len(b) > 0 {
		n := min(len(b), 64<<10) // getRandomValues' limit
		getRandomData(b[:n])
		b = b[n:]
	}
}

//go:wasmimport gojs runtime.getRandomData
//go:noescape
func getRandomData(r []byte)
