package hashes

import (
	"hash"
	"math/bits"
)

func sha512Blocks(d *digest, p []byte) {
	var w [80]uint64
	for ; len(p) >= 128; p = p[128:] {
		for i := 0; i < 16; i++ {
			w[i] = be64at(p[8*i:])
		}
		for i := 16; i < 80; i++ {
			s0 := bits.RotateLeft64(w[i-15], -1) ^ bits.RotateLeft64(w[i-15], -8) ^ w[i-15]>>7
			s1 := bits.RotateLeft64(w[i-2], -19) ^ bits.RotateLeft64(w[i-2], -61) ^ w[i-2]>>6
			w[i] = s1 + w[i-7] + s0 + w[i-16]
		}
		h := d.h64
		a, b, c, dd, e, f, g, hh := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
		for i := 0; i < 80; i++ {
			t1 := hh + (bits.RotateLeft64(e, -14) ^ bits.RotateLeft64(e, -18) ^ bits.RotateLeft64(e, -41)) + (e&f ^ ^e&g) + sha512K[i] + w[i]
			t2 := (bits.RotateLeft64(a, -28) ^ bits.RotateLeft64(a, -34) ^ bits.RotateLeft64(a, -39)) + (a&b ^ a&c ^ b&c)
			hh, g, f, e, dd, c, b, a = g, f, e, dd+t1, c, b, a, t1+t2
		}
		for i, v := range [8]uint64{a, b, c, dd, e, f, g, hh} {
			d.h64[i] += v
		}
	}
}

var (
	sha512Algo    = &algo{kind: SHA512, size: 64, block: 128, wide: true, h64: sha512H}
	sha512_256Alg = &algo{kind: SHA512_256, size: 32, block: 128, wide: true, h64: sha512_256H}
)

func newSHA512() hash.Hash     { return newDigest(sha512Algo) }
func newSHA512_256() hash.Hash { return newDigest(sha512_256Alg) }
