package authlib_test

import (
	"context"
	"errors"
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

// recorder wraps authtest and keeps every request it receives.
type recorder struct {
	mu   sync.Mutex
	seen []seenRequest
	h    http.Handler
}

type seenRequest struct {
	host, path string
	header     http.Header
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	rc.seen = append(rc.seen, seenRequest{r.Host, r.URL.Path, r.Header.Clone()})
	rc.mu.Unlock()
	rc.h.ServeHTTP(w, r)
}

func (rc *recorder) take() []seenRequest {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	s := rc.seen
	rc.seen = nil
	return s
}

func startRecorder(tls bool) (*httptest.Server, *recorder) {
	rc := &recorder{h: authtest.NewHandler()}
	if tls {
		return httptest.NewTLSServer(rc), rc
	}
	return httptest.NewServer(rc), rc
}

func redirectTo(from, to string) string {
	return from + "/redirect-to?url=" + url.QueryEscape(to)
}

var credentialFields = []string{"Authorization", "X-Tokenauth", "X-Custom-Sig", "Proxy-Authorization", "Cookie"}

// The redirect matrix: every kind of credential, every way of leaving the
// origin, checked at the receiving servers.
func TestRedirectMatrixLeaksNothing(t *testing.T) {
	a, ra := startRecorder(false)
	defer a.Close()
	b, rb := startRecorder(false)
	defer b.Close()
	ts, rt := startRecorder(true)
	defer ts.Close()
	aLocal := strings.Replace(a.URL, "127.0.0.1", "localhost", 1) // another host, same port

	kinds := map[string]struct {
		auth  func() authlib.Auth
		field string
	}{
		"basic":   {func() authlib.Auth { return authlib.Basic{Username: "u", Password: "p"} }, "Authorization"},
		"bearer":  {func() authlib.Auth { return authlib.Bearer{Token: "tok"} }, "Authorization"},
		"x-token": {func() authlib.Auth { return authlib.HeaderAuth{Name: "X-TokenAuth", Value: "tok"} }, "X-Tokenauth"},
		"digest":  {func() authlib.Auth { return &authlib.Digest{Username: "u", Password: "p"} }, "Authorization"},
		"function": {func() authlib.Auth {
			return authlib.AuthFunc(func(r *authlib.Request) error { r.Header.Set("X-Custom-Sig", "sig"); return nil })
		}, "X-Custom-Sig"},
	}
	cases := []struct {
		name      string
		start     string
		firstRec  *recorder
		finalRec  *recorder
		finalHost string
		keep      bool
	}{
		{"same origin", redirectTo(a.URL, a.URL+"/headers"), ra, ra, hostOf(a.URL), true},
		{"port change", redirectTo(a.URL, b.URL+"/headers"), ra, rb, hostOf(b.URL), false},
		{"other host", redirectTo(a.URL, aLocal+"/headers"), ra, ra, hostOf(aLocal), false},
		{"https to http on the same host", redirectTo(ts.URL, b.URL+"/headers"), rt, rb, hostOf(b.URL), false},
		{"a to b to a", redirectTo(a.URL, redirectTo(b.URL, a.URL+"/headers")), ra, ra, hostOf(a.URL), false},
	}
	for kname, kind := range kinds {
		for _, tc := range cases {
			t.Run(kname+"/"+tc.name, func(t *testing.T) {
				auth := kind.auth()
				c := &authlib.Client{Transport: &nethttp.Transport{Base: ts.Client().Transport}, Auth: auth}
				if _, ok := auth.(*authlib.Digest); ok {
					// Hold a nonce for the first origin, so the first hop carries Digest credentials.
					first, _ := url.Parse(tc.start)
					do(t, c, "GET", first.Scheme+"://"+first.Host+"/digest-auth/auth/u/p/SHA-256", nil)
				}
				ra.take()
				rb.take()
				rt.take()
				req, _ := authlib.NewRequest(context.Background(), "GET", tc.start, nil)
				req.Header.Set("Cookie", "session=caller-set")
				res, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Fatalf("final status %d", res.StatusCode)
				}
				var got []seenRequest
				if tc.firstRec == tc.finalRec {
					got = tc.firstRec.take()
				} else {
					got = append(tc.firstRec.take(), tc.finalRec.take()...)
				}
				if len(got) < 2 || got[0].header.Get(kind.field) == "" {
					t.Fatalf("the first hop did not carry %s: %+v", kind.field, got)
				}
				final := got[len(got)-1]
				if final.path != "/headers" || final.host != tc.finalHost {
					t.Fatalf("final request %s%s; want %s/headers", final.host, final.path, tc.finalHost)
				}
				for _, f := range credentialFields {
					has := final.header.Get(f) != ""
					if tc.keep && f == kind.field && !has {
						t.Errorf("same origin lost %s", f)
					}
					if !tc.keep && has {
						t.Errorf("%s leaked to %s: %q", f, final.host, final.header.Get(f))
					}
				}
			})
		}
	}
}

func hostOf(raw string) string {
	u, _ := url.Parse(raw)
	return u.Host
}

// After a redirect to another origin, a Digest challenge there is not answered.
func TestRedirectDigestChallengeElsewhereNotAnswered(t *testing.T) {
	a, _ := startRecorder(false)
	defer a.Close()
	b, rb := startRecorder(false)
	defer b.Close()
	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &authlib.Digest{Username: "u", Password: "p"}}
	code, _ := do(t, c, "GET", redirectTo(a.URL, b.URL+"/digest-auth/auth/u/p/MD5"), nil)
	if code != 401 {
		t.Fatalf("status %d; want the 401 of the other origin", code)
	}
	got := rb.take()
	if len(got) != 1 || got[0].header.Get("Authorization") != "" {
		t.Fatalf("the other origin saw %d requests, Authorization %q", len(got), got[0].header.Get("Authorization"))
	}
}

func TestRedirectOriginsWidenScope(t *testing.T) {
	a, _ := startRecorder(false)
	defer a.Close()
	b, rb := startRecorder(false)
	defer b.Close()
	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: authlib.Bearer{Token: "tok"}, Origins: []string{b.URL}}
	if code, _ := do(t, c, "GET", redirectTo(a.URL, b.URL+"/headers"), nil); code != 200 {
		t.Fatal(code)
	}
	if got := rb.take(); len(got) != 1 || got[0].header.Get("Authorization") != "Bearer tok" {
		t.Fatalf("listed origin did not get the token: %+v", got)
	}
}

func TestRedirectLimitsAndMethods(t *testing.T) {
	srv, rec := startRecorder(false)
	defer srv.Close()
	c := &authlib.Client{Transport: &nethttp.Transport{}, MaxRedirects: 3}
	loop := srv.URL + "/redirect-to?url=" + url.QueryEscape("/redirect-to?url=%2Fredirect-to%3Furl%3D%252Fredirect-to%253Furl%253D%25252Fheaders")
	req, _ := authlib.NewRequest(context.Background(), "GET", loop, nil)
	if _, err := c.Do(req); !errors.Is(err, authlib.ErrTooManyRedirects) {
		t.Fatalf("4 redirects with MaxRedirects 3: %v", err)
	}
	req, _ = authlib.NewRequest(context.Background(), "GET", redirectTo(srv.URL, "file:///etc/passwd"), nil)
	if _, err := c.Do(req); !errors.Is(err, authlib.ErrRedirectBlocked) {
		t.Fatalf("redirect to file: %v", err)
	}
	// 303 turns POST into GET without body; 307 keeps both.
	rec.take()
	req, _ = authlib.NewRequest(context.Background(), "POST", srv.URL+"/redirect-to?status_code=303&url=/anything", []byte("body"))
	res, err := c.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatal(err)
	}
	res.Body.Close()
	req, _ = authlib.NewRequest(context.Background(), "POST", srv.URL+"/redirect-to?status_code=307&url=/anything", []byte("body"))
	res, err = c.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatal(err)
	}
	res.Body.Close()
	got := rec.take()
	if len(got) != 4 || got[1].header.Get("Content-Length") != "" || got[3].header.Get("Content-Length") != "4" {
		t.Fatalf("303/307 handling: %+v", got)
	}
	// MaxRedirects < 0 hands the 3xx back.
	c.MaxRedirects = -1
	req, _ = authlib.NewRequest(context.Background(), "GET", redirectTo(srv.URL, "/headers"), nil)
	res, err = c.Do(req)
	if err != nil || res.StatusCode != 302 {
		t.Fatalf("%v %v", res, err)
	}
	res.Body.Close()
}
