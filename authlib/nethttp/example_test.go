package nethttp_test

import (
	"fmt"
	"net/http"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// Any authlib scheme under a plain http.Client: here Digest, whose nonce
// the RoundTripper keeps between requests.
func ExampleRoundTripper() {
	srv := authtest.NewServer()
	defer srv.Close()

	client := &http.Client{Transport: &nethttp.RoundTripper{Auth: &authlib.Digest{Username: "user", Password: "pass"}}}
	for i := 0; i < 2; i++ {
		res, err := client.Get(srv.URL + "/digest-auth/auth/user/pass/SHA-256")
		if err != nil {
			panic(err)
		}
		res.Body.Close()
		fmt.Println(res.StatusCode)
	}
	fmt.Println(srv.Handler.Stats()["/digest-auth/auth/user/pass/SHA-256"], "exchanges")
	// Output:
	// 200
	// 200
	// 3 exchanges
}
