//go:build !js || !wasm

package hashes

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
)

// Natively, the hashes are crypto/*'s: NewMD5 is md5.New, and so on.

func NewMD5() hash.Hash        { return md5.New() }
func NewSHA1() hash.Hash       { return sha1.New() }
func NewSHA256() hash.Hash     { return sha256.New() }
func NewSHA512() hash.Hash     { return sha512.New() }
func NewSHA512_256() hash.Hash { return sha512.New512_256() }

// AppendSum appends the hash of data by the hash k to dst; it allocates
// nothing when dst has room.
func AppendSum(k Kind, dst, data []byte) []byte {
	switch k {
	case MD5:
		s := md5.Sum(data)
		return append(dst, s[:]...)
	case SHA1:
		s := sha1.Sum(data)
		return append(dst, s[:]...)
	case SHA256:
		s := sha256.Sum256(data)
		return append(dst, s[:]...)
	case SHA512:
		s := sha512.Sum512(data)
		return append(dst, s[:]...)
	}
	s := sha512.Sum512_256(data)
	return append(dst, s[:]...)
}
