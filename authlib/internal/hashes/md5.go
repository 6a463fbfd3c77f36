package hashes

import (
	"hash"
	"math/bits"
)

// md5Shift are the rotations of RFC 1321 §3.4: four per round.
var md5Shift = [16]uint8{7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21}

var md5Algo = &algo{kind: MD5, size: 16, block: 64, little: true, h32: [8]uint32{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}}

func md5Blocks(d *digest, p []byte) {
	for ; len(p) >= 64; p = p[64:] {
		var m [16]uint32
		for i := range m {
			m[i] = le32at(p[4*i:])
		}
		a, b, c, dd := d.h32[0], d.h32[1], d.h32[2], d.h32[3]
		for i := 0; i < 64; i++ {
			var f uint32
			var g int
			switch i >> 4 {
			case 0: // F
				f, g = b&c|^b&dd, i
			case 1: // G
				f, g = b&dd|c&^dd, (5*i+1)&15
			case 2: // H
				f, g = b^c^dd, (3*i+5)&15
			default: // I
				f, g = c^(b|^dd), (7*i)&15
			}
			f += a + md5T[i] + m[g]
			a, b, c, dd = dd, b+bits.RotateLeft32(f, int(md5Shift[i>>4<<2|i&3])), b, c
		}
		d.h32[0] += a
		d.h32[1] += b
		d.h32[2] += c
		d.h32[3] += dd
	}
}

func newMD5() hash.Hash { return newDigest(md5Algo) }
