//go:build !js || !wasm

package authlib_test

import (
	"context"
	"encoding/base64"
	"io"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// authtest's own RFC 9421 reading accepts what HTTPSig signs, with the
// RFC's example keys, and refuses a wrong key and a changed body.
func TestHTTPSigAgainstAuthtest(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	ed, err := authlib.ParseSignerPEM([]byte(authtest.HTTPSigEd25519Private), "")
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := base64.StdEncoding.DecodeString(authtest.HTTPSigHMACSecret)
	for _, tc := range []struct {
		s    authlib.HTTPSig
		want int
	}{
		{authlib.HTTPSig{KeyID: authtest.HTTPSigEd25519KeyID, Key: ed, Expires: time.Minute, Nonce: func() string { return "n" }, Tag: "web-bot-auth", Alg: true}, 200},
		{authlib.HTTPSig{KeyID: authtest.HTTPSigHMACKeyID, Key: authlib.HMACSHA256(secret), Components: []string{"@method", "@path", "@query", "@authority", "content-type", "content-digest"}, ContentDigest: "sha-512"}, 200},
		{authlib.HTTPSig{KeyID: authtest.HTTPSigHMACKeyID, Key: authlib.HMACSHA256(secret), Components: []string{`@query-param;name="a"`, `@query-param;name="fa%C3%A7ade%20*"`, "@method"}}, 200},
		{authlib.HTTPSig{KeyID: authtest.HTTPSigHMACKeyID, Key: authlib.HMACSHA256("wrong")}, 401},
	} {
		c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: tc.s}
		req, _ := authlib.NewRequest(context.Background(), "POST", srv.URL+"/httpsig/items?a=1&fa%C3%A7ade+*=x+y~", []byte(`{"x":1}`))
		req.Header.Set("Content-Type", "application/json")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("%s: %d %s", tc.s.KeyID, res.StatusCode, b)
		}
	}
}
