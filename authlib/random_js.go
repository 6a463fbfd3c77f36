//go:build js && wasm

package authlib

// Random fills b with bytes from the system's cryptographically secure
// source: crypto.getRandomValues, through the import wasm_exec.js gives
// the Go runtime (as crypto/rand does, without its FIPS 140 DRBG, AES
// among it, which would add some 40 KB to a wasm binary).
func Random(b []byte) {
	for len(b) > 0 {
		n := min(len(b), 64<<10) // getRandomValues' limit
		getRandomData(b[:n])
		b = b[n:]
	}
}

//go:wasmimport gojs runtime.getRandomData
//go:noescape
func getRandomData(r []byte)
