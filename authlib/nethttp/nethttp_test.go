package nethttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// Any authlib scheme works under a plain http.Client.
func TestRoundTripperSchemes(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	digest := &http.Client{Transport: &nethttp.RoundTripper{Auth: &authlib.Digest{Username: "u", Password: "p"}}}
	for i := 0; i < 5; i++ {
		if code, body := get(t, digest, srv.URL+"/digest-auth/auth/u/p/SHA-256"); code != 200 {
			t.Fatalf("digest: %d %s", code, body)
		}
	}
	if n := srv.Handler.Stats()["/digest-auth/auth/u/p/SHA-256"]; n != 6 {
		t.Fatalf("5 Digest requests cost %d exchanges; want 6", n)
	}
	basic := &http.Client{Transport: &nethttp.RoundTripper{Auth: authlib.Basic{Username: "u", Password: "p"}}}
	if code, _ := get(t, basic, srv.URL+"/basic-auth/u/p"); code != 200 {
		t.Fatalf("basic: %d", code)
	}
	// POST bodies survive the challenge round trip (auth-int signs them).
	res, err := digest.Post(srv.URL+"/digest-auth/auth-int/u/p/MD5", "text/plain", strings.NewReader("signed body"))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("auth-int POST: %v %v", res, err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/digest-auth/auth-int/u/p/MD5" {
		t.Fatalf("Response.Request is not the caller's request")
	}
}

// http.Client follows the redirects; the RoundTripper adds credentials only
// while the chain stays on the first origin.
func TestRoundTripperRedirectChain(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	record := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen = append(seen, r.Header.Clone())
			mu.Unlock()
			h.ServeHTTP(w, r)
		})
	}
	a := httptest.NewServer(record(authtest.NewHandler()))
	defer a.Close()
	b := httptest.NewServer(record(authtest.NewHandler()))
	defer b.Close()
	token := authlib.AuthFunc(func(r *authlib.Request) error { r.Header.Set("X-TokenAuth", "tok"); return nil })
	c := &http.Client{Transport: &nethttp.RoundTripper{Auth: token}}

	hop := func(from, to string) string { return from + "/redirect-to?url=" + url.QueryEscape(to) }
	for _, tc := range []struct {
		name  string
		start string
		want  []string // X-TokenAuth at each hop
	}{
		{"same origin", hop(a.URL, a.URL+"/headers"), []string{"tok", "tok"}},
		{"other origin", hop(a.URL, b.URL+"/headers"), []string{"tok", ""}},
		{"a to b to a", hop(a.URL, hop(b.URL, a.URL+"/headers")), []string{"tok", "", ""}},
	} {
		mu.Lock()
		seen = nil
		mu.Unlock()
		if code, _ := get(t, c, tc.start); code != 200 {
			t.Fatalf("%s: %d", tc.name, code)
		}
		mu.Lock()
		if len(seen) != len(tc.want) {
			t.Fatalf("%s: %d hops", tc.name, len(seen))
		}
		for i, w := range tc.want {
			if got := seen[i].Get("X-TokenAuth"); got != w {
				t.Errorf("%s hop %d: X-TokenAuth %q; want %q", tc.name, i, got, w)
			}
		}
		mu.Unlock()
	}
}
