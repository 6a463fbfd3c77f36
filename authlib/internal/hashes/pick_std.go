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
