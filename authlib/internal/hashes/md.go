// Package hashes is MD5 (RFC 1321), SHA-1, SHA-256, SHA-512 and
// SHA-512/256 (FIPS 180-4) for the wasm build: written out small, because
// crypto/md5, crypto/sha1, crypto/sha256 and crypto/sha512 bring Go's FIPS
// 140 module (AES, AES-GCM, a DRBG, SHA-3) into every binary that uses
// them, some 66 KB gzipped that authlib.wasm never runs. Native builds use
// crypto/* (the exported functions pick), and the tests check these
// against them.
package hashes

import "hash"

// An algo is one hash: its sizes and its initial state; blocks picks its
// compression function by kind (called directly, not through a func
// value, so that a digest on the stack stays there).
type algo struct {
	kind        Kind
	size, block int
	little      bool // MD5: words and the length little-endian
	wide        bool // SHA-512: 64-bit words, a 128-bit length
	h32         [8]uint32
	h64         [8]uint64
}

// digest is the Merkle–Damgård framing all of them share: the message in
// blocks, then 0x80, zeros, and its length in bits.
type digest struct {
	a   *algo
	h32 [8]uint32 // MD5, SHA-1, SHA-256
	h64 [8]uint64 // SHA-512, SHA-512/256
	x   [128]byte
	nx  int
	n   uint64
}

func newDigest(a *algo) hash.Hash {
	d := &digest{a: a}
	d.Reset()
	return d
}

func (d *digest) Size() int      { return d.a.size }
func (d *digest) BlockSize() int { return d.a.block }

func (d *digest) Reset() {
	d.h32, d.h64 = d.a.h32, d.a.h64
	d.nx, d.n = 0, 0
}

// blocks compresses p, a whole number of blocks, into the state.
func (d *digest) blocks(p []byte) {
	switch d.a.kind {
	case MD5:
		md5Blocks(d, p)
	case SHA1:
		sha1Blocks(d, p)
	case SHA256:
		sha256Blocks(d, p)
	default:
		sha512Blocks(d, p)
	}
}

func (d *digest) Write(p []byte) (int, error) {
	n, bs := len(p), d.a.block
	d.n += uint64(n)
	if d.nx > 0 {
		c := copy(d.x[d.nx:bs], p)
		d.nx += c
		p = p[c:]
		if d.nx < bs {
			return n, nil
		}
		d.blocks(d.x[:bs])
		d.nx = 0
	}
	if m := len(p) &^ (bs - 1); m > 0 {
		d.blocks(p[:m])
		p = p[m:]
	}
	d.nx = copy(d.x[:], p)
	return n, nil
}

// Sum appends the hash of what was written to in; d goes on as it was.
func (d *digest) Sum(in []byte) []byte {
	c := *d
	return c.sum(in)
}

func (d *digest) sum(in []byte) []byte {
	bs := d.a.block
	bits := d.n << 3
	var pad [256]byte
	pad[0] = 0x80
	// The length takes the last 8 bytes (16 for SHA-512, whose upper 8
	// stay zero) of a block.
	tail := 8
	if d.a.wide {
		tail = 16
	}
	k := bs - int(d.n%uint64(bs))
	if k < 1+tail {
		k += bs
	}
	for i := 0; i < 8; i++ {
		if d.a.little {
			pad[k-8+i] = byte(bits >> (8 * i))
		} else {
			pad[k-1-i] = byte(bits >> (8 * i))
		}
	}
	d.Write(pad[:k])
	if d.a.wide {
		for i := 0; i < d.a.size/8; i++ {
			in = be64(in, d.h64[i])
		}
		return in
	}
	for i := 0; i < d.a.size/4; i++ {
		if v := d.h32[i]; d.a.little {
			in = append(in, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
		} else {
			in = append(in, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
		}
	}
	return in
}

func be64(b []byte, v uint64) []byte {
	return append(b, byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func be32at(p []byte) uint32 {
	return uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
}
func le32at(p []byte) uint32 {
	return uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16 | uint32(p[3])<<24
}
func be64at(p []byte) uint64 { return uint64(be32at(p))<<32 | uint64(be32at(p[4:])) }
