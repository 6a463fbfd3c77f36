package authlib

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"
	"testing"
)

// hmacSum against RFC 4231's vectors (HMAC-SHA-256: a short key, a key
// longer than the block) and against crypto/hmac for every key length
// around the block size.
func TestHMAC(t *testing.T) {
	for _, tc := range []struct{ key, data, want string }{
		{strings.Repeat("\x0b", 20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
		{"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		{strings.Repeat("\xaa", 131), "Test Using Larger Than Block-Size Key - Hash Key First", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
	} {
		if got := hex.EncodeToString(hmacSum(sha256.New, []byte(tc.key), tc.data)); got != tc.want {
			t.Errorf("HMAC-SHA-256(%q) = %s, want %s", tc.data, got, tc.want)
		}
	}
	for n := 0; n < 140; n++ {
		key := []byte(strings.Repeat("k", n))
		for _, h := range []struct {
			name string
			fn   func() hash.Hash
		}{{"sha1", sha1.New}, {"sha256", sha256.New}} {
			m := hmac.New(h.fn, key)
			m.Write([]byte("data"))
			if got := hmacSum(h.fn, key, "data"); !hmac.Equal(got, m.Sum(nil)) {
				t.Errorf("%s, key of %d bytes: differs from crypto/hmac", h.name, n)
			}
		}
	}
}
