package nethttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// apache returns the URL of an Apache httpd that web/tools/with-apache
// started (make test-interop does), or skips: these tests check authlib
// against a server nobody on this project wrote.
func apache(t *testing.T, name string) string {
	t.Helper()
	u := os.Getenv(name)
	if u == "" {
		if os.Getenv("AUTHLIB_REQUIRE_INTEROP") != "" {
			t.Fatalf("%s is not set: run under web/tools/with-apache", name)
		}
		t.Skipf("%s is not set: make test-interop runs this against Apache httpd", name)
	}
	return u
}

func status(t *testing.T, c *authlib.Client, rawURL string) int {
	t.Helper()
	req, err := authlib.NewRequest(context.Background(), "GET", rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", rawURL, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// Apache's mod_auth_digest compares a non-ASCII username as its UTF-8
// bytes (it sends no charset, and knows no username*), as curl sends it.
func TestApacheDigest(t *testing.T) {
	base := apache(t, "APACHE_URL")
	var sent []string
	spy := authlib.TransportFunc(func(r *authlib.Request) (*authlib.Response, error) {
		sent = append(sent, r.Header.Get("Authorization"))
		return (&nethttp.Transport{}).RoundTrip(r)
	})
	for _, user := range []string{"Jäsøn", "user"} {
		sent = nil
		c := &authlib.Client{Transport: spy, Auth: &authlib.Digest{Username: user, Password: "pass"}}
		for i := 0; i < 3; i++ {
			if code := status(t, c, base+"/digest/index.txt"); code != 200 {
				t.Fatalf("%s, request %d: status %d", user, i, code)
			}
		}
		if len(sent) != 4 {
			t.Errorf("%s: 3 requests cost %d exchanges; want 4 (the nonce reused)", user, len(sent))
		}
		// Apache's challenge says domain="/digest/" (AuthDigestDomain): a
		// request outside that protection space goes without credentials.
		sent = nil
		status(t, c, base+"/")
		if len(sent) != 1 || sent[0] != "" {
			t.Errorf("%s: outside /digest/ the client sent %q; want one request, no credentials", user, sent)
		}
	}
	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &authlib.Digest{Username: "Jäsøn", Password: "wrong"}}
	if code := status(t, c, base+"/digest/index.txt"); code != 401 {
		t.Fatalf("wrong password: %d", code)
	}
}

// Through Apache's forward proxy: ProxyBasic reaches the proxy, which
// takes it off; a wrong password is a 407.
func TestApacheForwardProxy(t *testing.T) {
	proxy, err := url.Parse(apache(t, "APACHE_PROXY_URL"))
	if err != nil {
		t.Fatal(err)
	}
	origin := authtest.NewServer()
	defer origin.Close()
	tr := &nethttp.Transport{Base: &http.Transport{Proxy: http.ProxyURL(proxy)}}
	for _, tc := range []struct {
		password string
		want     int
	}{{"proxy pass", 200}, {"wrong", 407}} {
		c := &authlib.Client{Transport: tr, Auth: authlib.ProxyBasic{Username: "proxyuser", Password: tc.password}}
		req, _ := authlib.NewRequest(context.Background(), "GET", origin.URL+"/headers", nil)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Fatalf("password %q: status %d; want %d", tc.password, res.StatusCode, tc.want)
		}
		if tc.want != 200 {
			continue
		}
		var got struct{ Headers map[string]string }
		if err := json.Unmarshal(body, &got); err != nil || got.Headers["Host"] == "" {
			t.Fatalf("the origin's /headers: %v: %s", err, body)
		}
		if v, ok := got.Headers["Proxy-Authorization"]; ok {
			t.Errorf("the origin received Proxy-Authorization %q", v)
		}
	}
}

// To an https origin through Apache's forward proxy: ProxyBasic goes in the
// CONNECT that opens the tunnel, which Apache checks, and not through the
// tunnel to the origin; a wrong password ends the CONNECT with a 407.
func TestApacheForwardProxyTunnel(t *testing.T) {
	proxy, err := url.Parse(apache(t, "APACHE_PROXY_URL"))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []http.Header
	origin := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		authtest.NewHandler().ServeHTTP(w, r)
	}))
	defer origin.Close()
	for _, tc := range []struct {
		password string
		ok       bool
	}{{"proxy pass", true}, {"wrong", false}} {
		base := origin.Client().Transport.(*http.Transport).Clone()
		base.Proxy = http.ProxyURL(proxy)
		c := &authlib.Client{Transport: &nethttp.Transport{Base: base}, Auth: authlib.ProxyBasic{Username: "proxyuser", Password: tc.password}}
		for i := 0; i < 2; i++ { // the second through the same tunnel
			res, err := c.Get(context.Background(), origin.URL+"/headers")
			if !tc.ok {
				if !errors.Is(err, authlib.ErrNetwork) || !strings.Contains(err.Error(), "Proxy Authentication Required") || strings.Contains(err.Error(), tc.password) {
					t.Fatalf("wrong password: %v; want a network error, the CONNECT refused with 407", err)
				}
				break
			}
			if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("request %d: status %d", i, res.StatusCode)
			}
		}
		base.CloseIdleConnections()
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Fatalf("the origin got %d requests; want 2 (none with the wrong password)", len(seen))
	}
	for _, h := range seen {
		if v := h.Get("Proxy-Authorization"); v != "" {
			t.Errorf("the origin received Proxy-Authorization %q", v)
		}
	}
}
