//go:build js && wasm

package fetch_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/fetch"
)

// The tests run against authtest on loopback; make test starts it and
// passes its URL. The same server under "localhost" is a second origin.
func server(t *testing.T) (origin1, origin2 string) {
	t.Helper()
	u := os.Getenv("AUTHTEST_URL")
	if u == "" {
		t.Fatal("AUTHTEST_URL is not set: run these tests through make test, which starts authtest")
	}
	return u, strings.Replace(u, "127.0.0.1", "localhost", 1)
}

func unique(prefix string) string { return prefix + strconv.Itoa(rand.Int()) }

func client(auth authlib.Auth) *authlib.Client {
	return &authlib.Client{Transport: &fetch.Transport{}, Auth: auth}
}

func get(t *testing.T, c *authlib.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(context.Background(), u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

func exchanges(t *testing.T, base, path string) int {
	t.Helper()
	_, body := get(t, client(nil), base+"/stats")
	var s struct{ Exchanges map[string]int }
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	return s.Exchanges[path]
}

func TestBasic(t *testing.T) {
	base, _ := server(t)
	if code, body := get(t, client(authlib.Basic{Username: "user", Password: "pass"}), base+"/basic-auth/user/pass"); code != 200 || !strings.Contains(body, `"authenticated": true`) {
		t.Fatalf("right: %d %s", code, body)
	}
	if code, _ := get(t, client(authlib.Basic{Username: "user", Password: "nope"}), base+"/basic-auth/user/pass"); code != 401 {
		t.Fatalf("wrong: %d", code)
	}
	if code, _ := get(t, client(authlib.Basic{Username: "test", Password: "123£"}), base+"/basic-auth/test/123£"); code != 200 {
		t.Fatalf("UTF-8: %d", code)
	}
}

func TestDigestEveryAlgorithmAndQOP(t *testing.T) {
	base, _ := server(t)
	for _, alg := range []string{"MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess"} {
		for _, qop := range []string{"auth", "auth-int", "none"} {
			user := unique("u")
			path := "/digest-auth/" + qop + "/" + user + "/p/" + alg
			c := client(&authlib.Digest{Username: user, Password: "p"})
			for i := 0; i < 3; i++ {
				req, _ := authlib.NewRequest(context.Background(), "POST", base+path, []byte("body "+strconv.Itoa(i)))
				res, err := c.Do(req)
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Fatalf("%s request %d: %d", path, i, res.StatusCode)
				}
			}
			if n := exchanges(t, base, path); n != 4 {
				t.Errorf("%s: 3 requests cost %d exchanges; want 4", path, n)
			}
		}
	}
}

func TestDigestStale(t *testing.T) {
	base, _ := server(t)
	user := unique("s")
	c := client(&authlib.Digest{Username: user, Password: "p"})
	for i := 0; i < 5; i++ {
		if code, _ := get(t, c, base+"/digest-auth/auth/"+user+"/p/SHA-256?stale_after=2"); code != 200 {
			t.Fatalf("request %d: %d", i, code)
		}
	}
	// 5 requests + the first challenge + 2 stale nonces.
	if n := exchanges(t, base, "/digest-auth/auth/"+user+"/p/SHA-256"); n != 8 {
		t.Fatalf("exchanges %d; want 8", n)
	}
}

func TestTokens(t *testing.T) {
	base, _ := server(t)
	tokenAuth := authlib.AuthFunc(func(r *authlib.Request) error {
		r.Header.Set("X-TokenAuth", "12345abcde-token")
		return nil
	})
	for _, tc := range []struct {
		auth authlib.Auth
		path string
		want int
	}{
		{tokenAuth, "/token-auth/12345abcde-token", 200},
		{authlib.HeaderAuth{Name: "X-TokenAuth", Value: "other"}, "/token-auth/12345abcde-token", 401},
		{authlib.Bearer{Token: "ghp_abc"}, "/bearer/ghp_abc", 200},
		{authlib.Bearer{Token: "ghp_x"}, "/bearer/ghp_abc", 401},
	} {
		if code, _ := get(t, client(tc.auth), base+tc.path); code != tc.want {
			t.Errorf("%s: %d; want %d", tc.path, code, tc.want)
		}
	}
}

// Proxy-Authorization through fetch would reach the origin (Node) or is
// forbidden (browsers): refused before anything is sent.
func TestProxyAuth(t *testing.T) {
	base, _ := server(t)
	path := unique("/proxy-auth/u/p/")
	c := client(authlib.ProxyBasic{Username: "u", Password: "p"})
	_, err := c.Get(context.Background(), base+path)
	if !errors.Is(err, authlib.ErrUnsupported) || !strings.Contains(err.Error(), "Proxy-Authorization") {
		t.Fatalf("%v", err)
	}
	if fetch.IsNode() && !strings.Contains(err.Error(), "dispatcher") {
		t.Errorf("Node: the error does not say how to reach a proxy: %v", err)
	}
	if n := exchanges(t, base, path); n != 0 {
		t.Errorf("%d requests reached the origin", n)
	}
}

func TestTimeoutAndAbort(t *testing.T) {
	base, _ := server(t)
	c := client(nil)
	c.Timeout = 100 * time.Millisecond
	_, err := c.Get(context.Background(), base+"/delay/3")
	if !errors.Is(err, authlib.ErrTimeout) {
		t.Fatalf("timeout: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	c.Timeout = 0
	if _, err := c.Get(ctx, base+"/delay/3"); !errors.Is(err, authlib.ErrCanceled) {
		t.Fatalf("abort: %v", err)
	}
}

func TestBadHeaderIsTypedNotPanic(t *testing.T) {
	base, _ := server(t)
	tr := &fetch.Transport{}
	for _, v := range []string{"a\r\nb", "café", "x\x00"} {
		req, _ := authlib.NewRequest(context.Background(), "GET", base+"/headers", nil)
		req.Header.Set("X-Custom", v)
		if _, err := tr.RoundTrip(req); !errors.Is(err, authlib.ErrInvalidRequest) {
			t.Errorf("%q: %v", v, err)
		}
	}
	c := client(authlib.HeaderAuth{Name: "X-TokenAuth", Value: "tok\n"})
	if _, err := c.Get(context.Background(), base+"/headers"); !errors.Is(err, authlib.ErrInvalidCredentials) {
		t.Errorf("credential: %v", err)
	}
}

func TestNetworkErrorIsTyped(t *testing.T) {
	c := client(authlib.Bearer{Token: "S3NT1NEL"})
	_, err := c.Get(context.Background(), "http://127.0.0.1:1/?t=S3NT1NEL")
	if !errors.Is(err, authlib.ErrNetwork) || strings.Contains(err.Error(), "S3NT1NEL") {
		t.Fatalf("%v", err)
	}
}

// The redirect policy, checked at the receiving server (/headers echoes
// what arrived there).
func TestRedirectPolicy(t *testing.T) {
	base, other := server(t)
	hop := base + "/redirect-to?url=" + url.QueryEscape(other+"/headers")
	echo := func(body string) map[string]string {
		var e struct{ Headers map[string]string }
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return e.Headers
	}
	both := authlib.AuthFunc(func(r *authlib.Request) error {
		r.Header.Set("Authorization", "Bearer tok")
		r.Header.Set("X-TokenAuth", "tok")
		return nil
	})
	if fetch.IsNode() {
		// The Client follows: every credential is stripped.
		code, body := get(t, client(both), hop)
		h := echo(body)
		if code != 200 || h["Authorization"] != "" || h["X-Tokenauth"] != "" {
			t.Fatalf("Node: %d %v", code, h)
		}
		// Same origin keeps them.
		_, body = get(t, client(both), base+"/redirect-to?url=%2Fheaders")
		if h := echo(body); h["Authorization"] != "Bearer tok" || h["X-Tokenauth"] != "tok" {
			t.Fatalf("Node same origin: %v", h)
		}
		return
	}
	// Browser: a custom credential header cannot be kept from following.
	_, err := client(both).Get(context.Background(), hop)
	if !errors.Is(err, authlib.ErrRedirectBlocked) {
		t.Fatalf("browser, custom header: %v", err)
	}
	// Authorization alone: fetch follows and drops it.
	code, body := get(t, client(authlib.Bearer{Token: "tok"}), hop)
	if h := echo(body); code != 200 || h["Authorization"] != "" {
		t.Fatalf("browser, Authorization: %d %v", code, h)
	}
}

// A redirect that is refused gets the same code in every runtime where the
// runtime tells why: a target authlib does not follow is redirect_blocked,
// a chain too long is too_many_redirects (Node follows itself). A browser
// follows by itself and hides why it stopped: redirect_blocked there, with
// both causes named, and never a network error that blames CORS or TLS.
func TestRedirectRefusals(t *testing.T) {
	base, _ := server(t)
	to := func(loc string) string { return base + "/redirect-to?url=" + url.QueryEscape(loc) }
	schemes := map[string]authlib.Auth{
		"none":     nil,
		"bearer":   authlib.Bearer{Token: "tok"},
		"x-token":  authlib.HeaderAuth{Name: "X-TokenAuth", Value: "tok"},
		"function": authlib.AuthFunc(func(r *authlib.Request) error { r.Header.Set("X-Sig", "s"); return nil }),
	}
	for name, auth := range schemes {
		for _, loc := range []string{"ftp://127.0.0.1/x", "javascript:alert(1)", "data:text/plain,x",
			strings.Replace(base, "http://", "http://u:p@", 1) + "/headers"} {
			_, err := client(auth).Get(context.Background(), to(loc))
			if !errors.Is(err, authlib.ErrRedirectBlocked) {
				t.Errorf("%s, Location %s: %v; want redirect_blocked", name, loc, err)
			}
			if err != nil && strings.Contains(err.Error(), "CORS") {
				t.Errorf("%s, Location %s: blames CORS: %v", name, loc, err)
			}
		}
		_, err := client(auth).Get(context.Background(), base+"/redirect/25")
		want := authlib.ErrTooManyRedirects
		if !fetch.IsNode() {
			want = authlib.ErrRedirectBlocked // a browser does not say a loop from a bad target
		}
		if !errors.Is(err, want) {
			t.Errorf("%s, 25 redirects: %v; want %v", name, err, want)
		}
	}
}

// In a browser a failed fetch is asked again without credentials, so that
// the error says which failure it was: a server that answers without CORS
// for this origin, or nothing answering at all.
func TestBrowserFailureIsNamed(t *testing.T) {
	if fetch.IsNode() {
		t.Skip("Node tells the cause itself; the probes are a browser's")
	}
	base, _ := server(t)
	for _, tc := range []struct{ url, want string }{
		{base + "/no-cors/headers", "does not allow this page's origin by CORS"},
		{"http://127.0.0.1:1/", "nothing answered at 127.0.0.1:1"},
	} {
		_, err := client(authlib.Bearer{Token: "S3NT1NEL"}).Get(context.Background(), tc.url)
		if !errors.Is(err, authlib.ErrNetwork) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "S3NT1NEL") {
			t.Errorf("%s: %v; want network, saying %q", tc.url, err, tc.want)
		}
	}
}

// A challenge the browser hides (the server exposes no WWW-Authenticate) is
// said to be hidden, with the header to expose, not "no challenge".
func TestHiddenChallengeIsNamed(t *testing.T) {
	base, _ := server(t)
	c := client(&authlib.Digest{Username: "u", Password: "p"})
	res, err := c.Get(context.Background(), base+"/digest-auth/auth/u/p/MD5?expose=none")
	if fetch.IsNode() {
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("Node sees every header: %v %v", res, err)
		}
		res.Body.Close()
		return
	}
	if !errors.Is(err, authlib.ErrUnsupportedChallenge) || !strings.Contains(err.Error(), "Access-Control-Expose-Headers") {
		t.Fatalf("browser: %v", err)
	}
}

// A body is read as it arrives, a chunk at a time: the first byte of a
// body that takes 4 s is there long before the last, and a reader that
// stops early (oauth2's 1 MiB cap) cancels the rest instead of having it
// all copied into JS and then Go (it was read whole with arrayBuffer).
func TestBodyIsReadAsItArrives(t *testing.T) {
	base, _ := server(t)
	req, err := authlib.NewRequest(context.Background(), "GET", base+"/drip/4", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&fetch.Transport{}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var one [1]byte
	if n, err := res.Body.Read(one[:]); n != 1 || err != nil {
		t.Fatalf("read %d, %v", n, err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("the first byte took %v: the whole body was awaited", took)
	}
	res.Body.Close()
	if _, err := res.Body.Read(one[:]); err == nil {
		t.Fatal("a closed body still reads")
	}
}
