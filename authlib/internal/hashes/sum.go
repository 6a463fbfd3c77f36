package hashes

import "hash"

// Sum returns the hash, by the hash newHash makes, of b.
func Sum(newHash func() hash.Hash, b []byte) []byte {
	h := newHash()
	h.Write(b)
	return h.Sum(nil)
}

// Equal reports whether a and b are the same, in a time that depends on
// their lengths alone (crypto/subtle.ConstantTimeCompare's promise, for
// strings, without the package, which brings in more of the FIPS module).
func Equal(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}
