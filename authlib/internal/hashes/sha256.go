package hashes

import (
	"hash"
	"math/bits"
)

var sha256Algo = &algo{kind: SHA256, size: 32, block: 64, h32: func() (h [8]uint32) {
	for i, v := range sha512H {
		h[i] = uint32(v >> 32)
	}
	return
}()}

func sha256Blocks(d *digest, p []byte) {
	var w [64]uint32
	for ; len(p) >= 64; p = p[64:] {
		for i := 0; i < 16; i++ {
			w[i] = be32at(p[4*i:])
		}
		for i := 16; i < 64; i++ {
			s0 := bits.RotateLeft32(w[i-15], -7) ^ bits.RotateLeft32(w[i-15], -18) ^ w[i-15]>>3
			s1 := bits.RotateLeft32(w[i-2], -17) ^ bits.RotateLeft32(w[i-2], -19) ^ w[i-2]>>10
			w[i] = s1 + w[i-7] + s0 + w[i-16]
		}
		h := d.h32
		a, b, c, dd, e, f, g, hh := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
		for i := 0; i < 64; i++ {
			t1 := hh + (bits.RotateLeft32(e, -6) ^ bits.RotateLeft32(e, -11) ^ bits.RotateLeft32(e, -25)) + (e&f ^ ^e&g) + uint32(sha512K[i]>>32) + w[i]
			t2 := (bits.RotateLeft32(a, -2) ^ bits.RotateLeft32(a, -13) ^ bits.RotateLeft32(a, -22)) + (a&b ^ a&c ^ b&c)
			hh, g, f, e, dd, c, b, a = g, f, e, dd+t1, c, b, a, t1+t2
		}
		for i, v := range [8]uint32{a, b, c, dd, e, f, g, hh} {
			d.h32[i] += v
		}
	}
}

func newSHA256() hash.Hash { return newDigest(sha256Algo) }
