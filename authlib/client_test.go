package authlib_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

func newClient(srv *httptest.Server, auth authlib.Auth) *authlib.Client {
	return &authlib.Client{Transport: &nethttp.Transport{Base: srv.Client().Transport}, Auth: auth}
}

// do sends a request and returns the status and body.
func do(t *testing.T, c *authlib.Client, method, url string, body []byte) (int, string) {
	t.Helper()
	req, err := authlib.NewRequest(context.Background(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// exchanges reads the server's exchange counts from /stats, over HTTP.
func exchanges(t *testing.T, srv *authtest.Server, path string) int {
	t.Helper()
	res, err := srv.Client().Get(srv.URL + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var s struct{ Exchanges map[string]int }
	if err := json.NewDecoder(res.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	return s.Exchanges[path]
}

func TestClientBasic(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	if code, body := do(t, newClient(srv.Server, authlib.Basic{Username: "user", Password: "pass"}), "GET", srv.URL+"/basic-auth/user/pass", nil); code != 200 || !strings.Contains(body, `"authenticated": true`) {
		t.Fatalf("right password: %d %s", code, body)
	}
	if code, _ := do(t, newClient(srv.Server, authlib.Basic{Username: "user", Password: "wrong"}), "GET", srv.URL+"/basic-auth/user/pass", nil); code != 401 {
		t.Fatalf("wrong password: %d", code)
	}
	if code, _ := do(t, newClient(srv.Server, nil), "GET", srv.URL+"/basic-auth/user/pass", nil); code != 401 {
		t.Fatalf("no auth: %d", code)
	}
	if code, _ := do(t, newClient(srv.Server, authlib.Basic{Username: "user", Password: "wrong"}), "GET", srv.URL+"/hidden-basic-auth/user/pass", nil); code != 404 {
		t.Fatalf("hidden: %d", code)
	}
	if n := exchanges(t, srv, "/basic-auth/user/pass"); n != 3 {
		t.Fatalf("exchanges = %d; Basic is preemptive, want 3", n)
	}
	// RFC 7617's UTF-8 vector reaches the server intact.
	if code, _ := do(t, newClient(srv.Server, authlib.Basic{Username: "test", Password: "123£"}), "GET", srv.URL+"/basic-auth/test/123£", nil); code != 200 {
		t.Fatalf("UTF-8 password: %d", code)
	}
}

var algorithms = []string{"MD5", "MD5-sess", "SHA", "SHA-sess", "SHA-512", "SHA-512-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess"}

func TestClientDigestEveryAlgorithmAndQOP(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	for _, alg := range algorithms {
		for _, qop := range []string{"auth", "auth-int", "none", "auth,auth-int"} {
			for _, userhash := range []bool{false, true} {
				path := "/digest-auth/" + qop + "/Mufasa/Circle%20of%20Life/" + alg
				url := srv.URL + path
				if userhash {
					url += "?userhash=true"
				}
				c := newClient(srv.Server, &authlib.Digest{Username: "Mufasa", Password: "Circle of Life"})
				before := exchanges(t, srv, "/digest-auth/"+qop+"/Mufasa/Circle of Life/"+alg)
				if code, body := do(t, c, "POST", url, []byte(`{"a":1}`)); code != 200 {
					t.Fatalf("%s: %d %s", url, code, body)
				}
				if code, _ := do(t, c, "PUT", url, []byte("second")); code != 200 {
					t.Fatalf("%s second: %d", url, code)
				}
				if n := exchanges(t, srv, "/digest-auth/"+qop+"/Mufasa/Circle of Life/"+alg) - before; n != 3 {
					t.Errorf("%s: %d exchanges for 2 requests; want 3", url, n)
				}
			}
		}
	}
}

func TestClientDigestWrongPasswordAndNonASCIIUser(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := newClient(srv.Server, &authlib.Digest{Username: "u", Password: "wrong"})
	if code, _ := do(t, c, "GET", srv.URL+"/digest-auth/auth/u/p/SHA-256", nil); code != 401 {
		t.Fatalf("wrong password: %d", code)
	}
	if n := exchanges(t, srv, "/digest-auth/auth/u/p/SHA-256"); n != 2 {
		t.Fatalf("wrong password cost %d exchanges; want 2", n)
	}
	c = newClient(srv.Server, &authlib.Digest{Username: "Jäsøn Doe", Password: "Secret, or not?"})
	for _, q := range []string{"", "?userhash=true"} {
		if code, _ := do(t, c, "GET", srv.URL+"/digest-auth/auth/Jäsøn Doe/Secret, or not%3F/SHA-512-256"+q, nil); code != 200 {
			t.Fatalf("non-ASCII user %q: %d", q, code)
		}
	}
}

func TestClientDigestStrongestOffered(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	var alg string
	spy := authlib.TransportFunc(func(r *authlib.Request) (*authlib.Response, error) {
		if c, err := authlib.ParseCredentials(r.Header.Get("Authorization")); err == nil {
			alg, _ = c.Param("algorithm")
		}
		return (&nethttp.Transport{}).RoundTrip(r)
	})
	c := &authlib.Client{Transport: spy, Auth: &authlib.Digest{Username: "u", Password: "p"}}
	if code, _ := do(t, c, "GET", srv.URL+"/digest-auth/auth/u/p/MD5,SHA-512-256,SHA-256", nil); code != 200 || alg != "SHA-512-256" {
		t.Fatalf("%d, algorithm %q", code, alg)
	}
}

// N requests through one client cost N+1 exchanges, counted by /stats.
func TestClientDigestNPlusOne(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := newClient(srv.Server, &authlib.Digest{Username: "u", Password: "p"})
	for i := 0; i < 100; i++ {
		if code, _ := do(t, c, "GET", srv.URL+"/digest-auth/auth/u/p/SHA-256", nil); code != 200 {
			t.Fatalf("request %d: %d", i, code)
		}
	}
	if n := exchanges(t, srv, "/digest-auth/auth/u/p/SHA-256"); n != 101 {
		t.Fatalf("100 requests cost %d exchanges; want 101", n)
	}
}

// A nonce that goes stale costs one silent extra exchange.
func TestClientDigestStale(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := newClient(srv.Server, &authlib.Digest{Username: "u", Password: "p"})
	for i := 0; i < 7; i++ {
		if code, _ := do(t, c, "GET", srv.URL+"/digest-auth/auth/u/p/MD5?stale_after=3", nil); code != 200 {
			t.Fatalf("request %d: %d", i, code)
		}
	}
	// 7 requests, 1 first challenge, 2 stale nonces (after uses 3 and 6).
	if n := exchanges(t, srv, "/digest-auth/auth/u/p/MD5"); n != 10 {
		t.Fatalf("exchanges = %d; want 10", n)
	}
}

// A server answering 401 forever costs one retry, two when it says stale.
func TestClientDigest401ForeverBound(t *testing.T) {
	for _, tc := range []struct {
		stale string
		want  int32
	}{{"", 2}, {", stale=true", 3}} {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.Header().Set("WWW-Authenticate", `Digest realm="r", nonce="n`+time.Now().String()+`", qop="auth"`+tc.stale)
			w.WriteHeader(401)
		}))
		c := newClient(srv, &authlib.Digest{Username: "u", Password: "p"})
		if code, _ := do(t, c, "GET", srv.URL, nil); code != 401 {
			t.Fatalf("status %d", code)
		}
		if hits.Load() != tc.want {
			t.Errorf("stale %q: %d exchanges; want %d", tc.stale, hits.Load(), tc.want)
		}
		srv.Close()
	}
}

func TestClientTokens(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	tokenAuth := func(token string) authlib.Auth {
		return authlib.AuthFunc(func(r *authlib.Request) error {
			r.Header.Set("X-TokenAuth", token)
			return nil
		})
	}
	for _, tc := range []struct {
		name string
		auth authlib.Auth
		path string
		want int
	}{
		{"bearer any", authlib.Bearer{Token: "ghp_abc123"}, "/bearer", 200},
		{"bearer exact", authlib.Bearer{Token: "ghp_abc123"}, "/bearer/ghp_abc123", 200},
		{"bearer wrong", authlib.Bearer{Token: "ghp_nope"}, "/bearer/ghp_abc123", 401},
		{"bearer none", nil, "/bearer", 401},
		{"X-TokenAuth function", tokenAuth("12345abcde-token"), "/token-auth/12345abcde-token", 200},
		{"X-TokenAuth HeaderAuth", authlib.HeaderAuth{Name: "X-TokenAuth", Value: "12345abcde-token"}, "/token-auth/12345abcde-token", 200},
		{"X-TokenAuth wrong", tokenAuth("other"), "/token-auth/12345abcde-token", 401},
		{"proxy right", authlib.ProxyBasic{Username: "u", Password: "p"}, "/proxy-auth/u/p", 200},
		{"proxy wrong", authlib.ProxyBasic{Username: "u", Password: "x"}, "/proxy-auth/u/p", 407},
	} {
		c := newClient(srv.Server, tc.auth)
		if _, ok := tc.auth.(authlib.ProxyBasic); ok {
			// authtest plays the proxy, for real: net/http sends it the request.
			proxy, _ := url.Parse(srv.URL)
			c.Transport = &nethttp.Transport{Base: &http.Transport{Proxy: http.ProxyURL(proxy)}}
		}
		if code, _ := do(t, c, "GET", srv.URL+tc.path, nil); code != tc.want {
			t.Errorf("%s: %d; want %d", tc.name, code, tc.want)
		}
	}
}

func TestClientBadInputSendsNothing(t *testing.T) {
	var sent atomic.Int32
	never := authlib.TransportFunc(func(*authlib.Request) (*authlib.Response, error) {
		sent.Add(1)
		return nil, errors.New("must not be called")
	})
	req := func(url string) *authlib.Request {
		r, err := authlib.NewRequest(context.Background(), "GET", url, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tc := range []struct {
		name   string
		client *authlib.Client
		req    *authlib.Request
		kind   error
	}{
		{"plain http to a remote host", &authlib.Client{Transport: never, Auth: authlib.Basic{Username: "u", Password: "p"}}, req("http://api.example.com/"), authlib.ErrInsecureTransport},
		{"caller's own Authorization over plain http", &authlib.Client{Transport: never}, func() *authlib.Request {
			r := req("http://api.example.com/")
			r.Header.Set("Authorization", "Bearer x")
			return r
		}(), authlib.ErrInsecureTransport},
		{"bad credentials", &authlib.Client{Transport: never, Auth: authlib.Basic{Username: "a:b", Password: "p"}}, req("https://api.example.com/"), authlib.ErrInvalidCredentials},
		{"function setting a bad header", &authlib.Client{Transport: never, Auth: authlib.AuthFunc(func(r *authlib.Request) error {
			r.Header.Set("X-Sig", "a\r\nb")
			return nil
		})}, req("https://api.example.com/"), authlib.ErrInvalidCredentials},
		{"bad request header", &authlib.Client{Transport: never}, func() *authlib.Request {
			r := req("https://api.example.com/")
			r.Header.Set("X-A", "x\ny")
			return r
		}(), authlib.ErrInvalidRequest},
		{"bad origin list", &authlib.Client{Transport: never, Origins: []string{"ftp://x"}}, req("https://api.example.com/"), authlib.ErrInvalidURL},
		{"no transport", &authlib.Client{}, req("https://api.example.com/"), authlib.ErrNoTransport},
	} {
		if _, err := tc.client.Do(tc.req); !errors.Is(err, tc.kind) {
			t.Errorf("%s: %v; want %v", tc.name, err, tc.kind)
		}
		// Prepare refuses the same, by the same checks.
		if _, err := tc.client.Prepare(tc.req); !errors.Is(err, tc.kind) {
			t.Errorf("Prepare, %s: %v; want %v", tc.name, err, tc.kind)
		}
	}
	if sent.Load() != 0 {
		t.Fatalf("the transport was called %d times", sent.Load())
	}
	// Loopback and AllowInsecure are allowed over plain http.
	c := &authlib.Client{Transport: never, Auth: authlib.Basic{Username: "u", Password: "p"}}
	c.Do(req("http://127.0.0.1:1/"))
	c.AllowInsecure = true
	c.Do(req("http://api.example.com/"))
	if sent.Load() != 2 {
		t.Fatalf("loopback / AllowInsecure: sent %d; want 2", sent.Load())
	}
}

func TestPrepareSendsNothing(t *testing.T) {
	var sent atomic.Int32
	tr := authlib.TransportFunc(func(*authlib.Request) (*authlib.Response, error) {
		sent.Add(1)
		return nil, errors.New("must not be called")
	})
	c := &authlib.Client{Transport: tr, Auth: authlib.HeaderAuth{Name: "X-TokenAuth", Value: "tok"}}
	req, _ := authlib.NewRequest(context.Background(), "GET", "https://api.example.com/x", nil)
	p, err := c.Prepare(req)
	if err != nil || p.Header.Get("X-TokenAuth") != "tok" || len(p.CredentialHeaders()) != 1 || p.CredentialHeaders()[0] != "X-Tokenauth" {
		t.Fatalf("%v %v %v", p, err, p.CredentialHeaders())
	}
	if req.Header.Get("X-TokenAuth") != "" {
		t.Fatal("Prepare changed the caller's request")
	}
	insecure, _ := authlib.NewRequest(context.Background(), "GET", "http://api.example.com/x", nil)
	if _, err := c.Prepare(insecure); !errors.Is(err, authlib.ErrInsecureTransport) {
		t.Fatalf("insecure: %v", err)
	}
	c.Auth = authlib.Bearer{Token: "a b"}
	if _, err := c.Prepare(req); !errors.Is(err, authlib.ErrInvalidCredentials) {
		t.Fatalf("bad token: %v", err)
	}
	if sent.Load() != 0 {
		t.Fatal("Prepare sent something")
	}
}

// Concurrent first requests on a fresh Digest wait for one challenge:
// 256 in flight cost 257 exchanges, not 512. Against a server that refuses
// a count lower than one it has seen (requests overtake each other on the
// way), every request still ends 200: a refusal that may come from
// overtaking is answered, never handed over as a 401 for a right password.
func TestClientDigestConcurrent(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	const n = 256
	run := func(c *authlib.Client, url string) (codes map[int]int) {
		codes = map[int]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code := 0
				req, _ := authlib.NewRequest(context.Background(), "GET", url, nil)
				if res, err := c.Do(req); err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					code = res.StatusCode
				}
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		return codes
	}
	c := newClient(srv.Server, &authlib.Digest{Username: "u", Password: "p"})
	if codes := run(c, srv.URL+"/digest-auth/auth/u/p/SHA-256"); codes[200] != n {
		t.Fatalf("statuses %v; want %d × 200", codes, n)
	}
	if got := exchanges(t, srv, "/digest-auth/auth/u/p/SHA-256"); got != n+1 {
		t.Errorf("%d concurrent first requests cost %d exchanges; want %d", n, got, n+1)
	}

	strict := newClient(srv.Server, &authlib.Digest{Username: "u", Password: "p"})
	for round := 0; round < 3; round++ {
		if codes := run(strict, srv.URL+"/digest-auth/auth/u/p/MD5?strict_nc=true"); codes[200] != n {
			t.Fatalf("strict counts, round %d: statuses %v; want %d × 200", round, codes, n)
		}
	}
	t.Logf("strict counts: %d exchanges for %d requests", exchanges(t, srv, "/digest-auth/auth/u/p/MD5"), 3*n)

	// A wrong password is still a 401, at no more than 3 exchanges a request.
	wrong := newClient(srv.Server, &authlib.Digest{Username: "u", Password: "wrong"})
	if codes := run(wrong, srv.URL+"/digest-auth/auth/u/p/SHA-512-256"); codes[401] != n {
		t.Fatalf("wrong password: statuses %v; want %d × 401", codes, n)
	}
	if got := exchanges(t, srv, "/digest-auth/auth/u/p/SHA-512-256"); got > 3*n {
		t.Errorf("wrong password: %d exchanges for %d requests", got, n)
	}
}

// A Digest request waiting for another's challenge gives up with its own
// context, and a probe that fails lets the next request learn the challenge.
func TestClientDigestWaitEndsWithContext(t *testing.T) {
	release, inFlight := make(chan struct{}), make(chan struct{})
	srv := authtest.NewServer()
	defer srv.Close()
	slow := authlib.TransportFunc(func(r *authlib.Request) (*authlib.Response, error) {
		if r.Header.Get("Authorization") == "" && r.URL.Query().Get("slow") == "1" {
			close(inFlight)
			<-release
			return nil, errors.New("the probe failed")
		}
		return (&nethttp.Transport{}).RoundTrip(r)
	})
	c := &authlib.Client{Transport: slow, Auth: &authlib.Digest{Username: "u", Password: "p"}}
	probeDone := make(chan error)
	go func() {
		req, _ := authlib.NewRequest(context.Background(), "GET", srv.URL+"/digest-auth/auth/u/p/MD5?slow=1", nil)
		_, err := c.Do(req)
		probeDone <- err
	}()
	<-inFlight // the probe is out: a second request now waits for it
	ctx, cancel := context.WithCancel(context.Background())
	waited := make(chan error)
	go func() {
		req, _ := authlib.NewRequest(ctx, "GET", srv.URL+"/digest-auth/auth/u/p/MD5", nil)
		_, err := c.Do(req)
		waited <- err
	}()
	cancel()
	if err := <-waited; !errors.Is(err, authlib.ErrCanceled) {
		t.Fatalf("a waiting request whose context ends: %v; want ErrCanceled", err)
	}
	close(release)
	if err := <-probeDone; !errors.Is(err, authlib.ErrNetwork) {
		t.Fatalf("probe: %v", err)
	}
	if code, _ := do(t, c, "GET", srv.URL+"/digest-auth/auth/u/p/MD5", nil); code != 200 {
		t.Fatalf("after a failed probe: %d", code)
	}
}

// A Digest challenge's domain (RFC 7616 §3.3) bounds where the client
// answers before the server asks: the nonce is reused inside it, and a
// request outside it carries no credentials (authtest's /headers echoes
// what arrived).
func TestClientDigestDomain(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := newClient(srv.Server, &authlib.Digest{Username: "u", Password: "p"})
	space := "/digest-auth/auth/u/p/"
	for i := 0; i < 2; i++ {
		if code, _ := do(t, c, "GET", srv.URL+space+"SHA-256?domain="+url.QueryEscape(space), nil); code != 200 {
			t.Fatalf("request %d: %d", i, code)
		}
	}
	if n := srv.Handler.Stats()[space+"SHA-256"]; n != 3 {
		t.Errorf("2 requests in the space cost %d exchanges; want 3", n)
	}
	_, body := do(t, c, "GET", srv.URL+"/headers", nil)
	if strings.Contains(body, "Digest") {
		t.Errorf("a request outside the space carried credentials: %s", body)
	}
}

// finishCounter is a Finisher whose Apply sets a header that fails the
// Client's check (a line break in it), and that counts its Finish calls.
type finishCounter struct{ finished atomic.Int32 }

func (f *finishCounter) Apply(r *authlib.Request) error             { r.Header.Set("X-Token", "a\nb"); return nil }
func (f *finishCounter) Finish(*authlib.Request, *authlib.Response) { f.finished.Add(1) }

// The Client calls Finish for every request Apply saw, one whose
// credentials then failed the Client's check too: a scheme that holds
// other requests until the first ends (a DPoP nonce probe) must hear of it.
func TestFinishFollowsEveryApply(t *testing.T) {
	f := &finishCounter{}
	c := &authlib.Client{Transport: authlib.TransportFunc(func(*authlib.Request) (*authlib.Response, error) { t.Fatal("sent"); return nil, nil }), Auth: f}
	req, _ := authlib.NewRequest(context.Background(), "GET", "https://example.org/", nil)
	if _, err := c.Do(req); !errors.Is(err, authlib.ErrInvalidCredentials) || f.finished.Load() != 1 {
		t.Fatalf("Do: %v, %d Finish calls", err, f.finished.Load())
	}
	if _, err := c.Prepare(req); !errors.Is(err, authlib.ErrInvalidCredentials) || f.finished.Load() != 2 {
		t.Fatalf("Prepare: %v, %d Finish calls", err, f.finished.Load())
	}
}
