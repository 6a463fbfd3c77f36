package hashes

import (
	"hash"
	"math/bits"
)

var sha1Algo = &algo{kind: SHA1, size: 20, block: 64, h32: [8]uint32{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0}}

func sha1Blocks(d *digest, p []byte) {
	var w [80]uint32
	for ; len(p) >= 64; p = p[64:] {
		for i := 0; i < 16; i++ {
			w[i] = be32at(p[4*i:])
		}
		for i := 16; i < 80; i++ {
			w[i] = bits.RotateLeft32(w[i-3]^w[i-8]^w[i-14]^w[i-16], 1)
		}
		a, b, c, dd, e := d.h32[0], d.h32[1], d.h32[2], d.h32[3], d.h32[4]
		for i := 0; i < 80; i++ {
			var f, k uint32
			switch i / 20 {
			case 0: // Ch
				f, k = b&c|^b&dd, 0x5a827999
			case 1: // Parity
				f, k = b^c^dd, 0x6ed9eba1
			case 2: // Maj
				f, k = b&c|b&dd|c&dd, 0x8f1bbcdc
			default:
				f, k = b^c^dd, 0xca62c1d6
			}
			t := bits.RotateLeft32(a, 5) + f + e + k + w[i]
			a, b, c, dd, e = t, a, bits.RotateLeft32(b, 30), c, dd
		}
		d.h32[0] += a
		d.h32[1] += b
		d.h32[2] += c
		d.h32[3] += dd
		d.h32[4] += e
	}
}

func newSHA1() hash.Hash { return newDigest(sha1Algo) }
