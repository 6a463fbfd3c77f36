package authlib

import "hash"

// hmacSum returns HMAC(key, data) (RFC 2104) with the hash h makes, for
// hashes of 64-byte blocks (SHA-1, SHA-256). It is written out rather than
// taken from crypto/hmac, which links SHA-3 into every wasm binary (some
// 12 KB gzipped) to unwrap hashes authlib never uses.
func hmacSum(h func() hash.Hash, key []byte, data string) []byte {
	const block = 64
	if len(key) > block {
		k := h()
		k.Write(key)
		key = k.Sum(nil)
	}
	var pad [block]byte
	copy(pad[:], key)
	for i := range pad {
		pad[i] ^= 0x36
	}
	inner := h()
	inner.Write(pad[:])
	inner.Write([]byte(data))
	sum := inner.Sum(nil)
	for i := range pad {
		pad[i] ^= 0x36 ^ 0x5c
	}
	outer := h()
	outer.Write(pad[:])
	outer.Write(sum)
	return outer.Sum(nil)
}
