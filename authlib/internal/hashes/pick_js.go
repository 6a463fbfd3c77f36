//go:build js && wasm

package hashes

import "hash"

// In the wasm build, the hashes are this package's.

func NewMD5() hash.Hash        { return newMD5() }
func NewSHA1() hash.Hash       { return newSHA1() }
func NewSHA256() hash.Hash     { return newSHA256() }
func NewSHA512() hash.Hash     { return newSHA512() }
func NewSHA512_256() hash.Hash { return newSHA512_256() }

// AppendSum appends the hash of data by the hash k to dst; it allocates
// nothing when dst has room.
func AppendSum(k Kind, dst, data []byte) []byte { return appendSum(k, dst, data) }
