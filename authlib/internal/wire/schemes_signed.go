//go:build !authlib_lite

package wire

import "github.com/authlib-go/authlib/authlib"

// The signing schemes, which the lite build (-tags authlib_lite) leaves
// out, and so links none of their code.
func init() {
	schemes["aws4"] = func(m *Message, _ string) (authlib.Auth, bool, error) {
		a, fn, err := readAWS(m)
		return a, fn, err
	}
	schemes["oauth1"] = func(m *Message, _ string) (authlib.Auth, bool, error) { return readOAuth1(m) }
	schemes["httpsig"] = func(m *Message, _ string) (authlib.Auth, bool, error) { return readHTTPSig(m) }
}
