package nethttp_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"runtime"
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

// Credentials the caller set on the request (not only the scheme's) stop
// at the origin: net/http copies them to any URL on the same host name,
// another port or an https→http downgrade included; the RoundTripper
// removes them there. A cookie a Jar adds for the new origin stays.
func TestRoundTripperDropsCallerCredentialsOffOrigin(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]http.Header{}
	record := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[name] = r.Header.Clone()
			mu.Unlock()
			authtest.NewHandler().ServeHTTP(w, r)
		})
	}
	b := httptest.NewServer(record("b"))
	defer b.Close()
	a := httptest.NewServer(record("a"))
	defer a.Close()
	tlsA := httptest.NewTLSServer(record("tls"))
	defer tlsA.Close()
	// A Base authlib cannot see into (not an *http.Transport), so that the
	// caller's Proxy-Authorization goes out on the first request as set.
	base := rtFunc(tlsA.Client().Transport.RoundTrip)

	for _, tc := range []struct{ name, start string }{
		{"another port", a.URL + "/redirect-to?url=" + url.QueryEscape(b.URL+"/headers")},
		{"https to http", tlsA.URL + "/redirect-to?url=" + url.QueryEscape(b.URL+"/headers")},
	} {
		mu.Lock()
		seen = map[string]http.Header{}
		mu.Unlock()
		c := &http.Client{Transport: &nethttp.RoundTripper{Base: base}}
		req, _ := http.NewRequest("GET", tc.start, nil)
		req.Header.Set("Authorization", "Bearer secret")
		req.Header.Set("Proxy-Authorization", "Basic c2VjcmV0")
		req.Header.Set("Cookie", "session=secret")
		req.Header.Set("X-Trace", "kept")
		res, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		res.Body.Close()
		mu.Lock()
		got := seen["b"]
		mu.Unlock()
		if got == nil {
			t.Fatalf("%s: the redirect never reached b", tc.name)
		}
		for _, f := range []string{"Authorization", "Proxy-Authorization", "Cookie"} {
			if v := got.Get(f); v != "" {
				t.Errorf("%s: %s reached another origin: %q", tc.name, f, v)
			}
		}
		if got.Get("X-Trace") != "kept" {
			t.Errorf("%s: a header that is no credential was dropped", tc.name)
		}
	}

	// A Jar's cookie for b's host still goes to b; the caller's own cookie
	// does not. (A jar's cookie for a's host name went to a as well, cookies
	// being scoped by host: it counts as the first request's and stops.)
	jar, _ := cookiejar.New(nil)
	bLocal := strings.Replace(b.URL, "127.0.0.1", "localhost", 1)
	bu, _ := url.Parse(bLocal)
	jar.SetCookies(bu, []*http.Cookie{{Name: "jarred", Value: "forb"}})
	c := &http.Client{Transport: &nethttp.RoundTripper{}, Jar: jar}
	req, _ := http.NewRequest("GET", a.URL+"/redirect-to?url="+url.QueryEscape(bLocal+"/headers"), nil)
	req.Header.Set("Cookie", "session=secret")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	mu.Lock()
	cookie := seen["b"].Get("Cookie")
	mu.Unlock()
	if strings.Contains(cookie, "secret") || !strings.Contains(cookie, "jarred=forb") {
		t.Errorf("with a Jar, b got Cookie %q; want only the jar's cookie for b", cookie)
	}
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Proxy credentials with no proxy to take them would reach the origin: the
// request is refused before it is sent, and the error holds no password.
func TestProxyCredentialsWithoutAProxyAreRefused(t *testing.T) {
	var hits int
	var mu sync.Mutex
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
	}))
	defer origin.Close()
	for _, base := range []http.RoundTripper{nil, &http.Transport{}, &http.Transport{Proxy: http.ProxyFromEnvironment}} {
		c := &authlib.Client{Transport: &nethttp.Transport{Base: base}, Auth: authlib.ProxyBasic{Username: "proxyuser", Password: "S3NT1NEL"}}
		_, err := c.Get(context.Background(), origin.URL+"/")
		if !errors.Is(err, authlib.ErrInvalidRequest) || !strings.Contains(err.Error(), "goes to no proxy") || strings.Contains(err.Error(), "S3NT1NEL") {
			t.Errorf("base %T: %v; want invalid request, saying there is no proxy", base, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if hits != 0 {
		t.Errorf("the origin got %d requests", hits)
	}
}

// The RoundTripper holds a request body once: read to its known length,
// not grown by doubling (a 100 MB auth-int body peaked at 350 MB).
func TestRoundTripperReadsTheBodyOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 1<<16)
		for {
			if _, err := r.Body.Read(buf); err != nil {
				break
			}
		}
	}))
	defer srv.Close()
	const size = 64 << 20
	body := bytes.Repeat([]byte("a"), size)
	hc := &http.Client{Transport: &nethttp.RoundTripper{Auth: authlib.Basic{Username: "u", Password: "p"}}}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := hc.Post(srv.URL, "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > size*5/4 {
		t.Fatalf("a %d MB body cost %d MB of allocations; want it held once", size>>20, got>>20)
	}
}
