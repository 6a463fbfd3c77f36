package authlib_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

const netrcText = `# a comment
machine 127.0.0.1 login alice password "p@ss word \" x"
machine api.example.com
  login bob
  password s3cr3t#not-a-comment
macdef init
  cd /pub
  machine evil.example login mallory password macro

machine Mixed.Example.COM login carol password c
default login anon password guest
`

func TestParseNetrc(t *testing.T) {
	f, err := authlib.ParseNetrc(netrcText)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ host, login, password string }{
		{"127.0.0.1", "alice", `p@ss word " x`},
		{"api.example.com", "bob", "s3cr3t#not-a-comment"},
		{"API.Example.com", "bob", "s3cr3t#not-a-comment"}, // hosts compare as DNS does (and curl)
		{"mixed.example.com", "carol", "c"},
		{"evil.example", "anon", "guest"}, // inside the macro: not an entry
		{"other.example", "anon", "guest"},
	} {
		l, p, ok := f.Lookup(tc.host)
		if !ok || l != tc.login || p != tc.password {
			t.Errorf("%s: %q %q %v", tc.host, l, p, ok)
		}
	}
	noDefault, _ := authlib.ParseNetrc("machine a login x password y")
	if _, _, ok := noDefault.Lookup("b"); ok {
		t.Error("a host without an entry, and no default, got credentials")
	}
	for _, bad := range []string{
		"login " + sentinel,                    // before any machine
		"machine h login x password",           // no value
		`machine h password "` + sentinel,      // no closing quote
		"machine h login x secret " + sentinel, // an unknown token
		"machine",
	} {
		_, err := authlib.ParseNetrc(bad)
		if !errors.Is(err, authlib.ErrInvalidCredentials) || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: %v", bad, err)
		}
		assertNoSecret(t, "netrc error", err)
	}
}

func writeNetrc(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "netrc")
	if err := os.WriteFile(p, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, mode)
	return p
}

// The file is read where requests and curl read it, refused when others
// may read it, and a missing one means no credentials.
func TestNetrcFile(t *testing.T) {
	seen := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen <- r.Header.Get("Authorization") }))
	defer srv.Close()
	get := func(n authlib.Netrc) (string, error) {
		c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: n}
		res, err := c.Get(context.Background(), srv.URL+"/")
		if err != nil {
			return "", err
		}
		res.Body.Close()
		return <-seen, nil
	}
	p := writeNetrc(t, netrcText, 0o600)
	t.Setenv("NETRC", p)
	if h, err := get(authlib.Netrc{}); err != nil || h != "Basic YWxpY2U6cEBzcyB3b3JkICIgeA==" {
		t.Errorf("$NETRC: %q %v", h, err)
	}
	if h, err := get(authlib.Netrc{Path: filepath.Join(t.TempDir(), "none")}); err != nil || h != "" {
		t.Errorf("a missing file: %q %v", h, err)
	}
	open := writeNetrc(t, "machine 127.0.0.1 login a password "+sentinel, 0o644)
	_, err := get(authlib.Netrc{Path: open})
	if !errors.Is(err, authlib.ErrInvalidCredentials) || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a file others may read: %v", err)
	}
	assertNoSecret(t, "netrc mode error", err)
	assertNoSecret(t, "Netrc", authlib.Netrc{Path: open})
	f, _ := authlib.ParseNetrc("machine h login u password " + sentinel)
	assertNoSecret(t, "NetrcFile", f)
	if len(seen) != 0 {
		t.Error("a request was sent with a refused file")
	}
}

// requests and authlib send the same Basic credentials from the same
// netrc file, to hosts with an entry and without.
func TestNetrcAsRequests(t *testing.T) {
	if err := exec.Command("python3", "-c", "import requests").Run(); err != nil {
		if os.Getenv("AUTHLIB_REQUIRE_INTEROP") != "" {
			t.Fatalf("python3 with requests is needed (Debian: apt-get install python3-requests): %v", err)
		}
		t.Skip("python3 with requests is not installed")
	}
	var mu sync.Mutex
	got := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.Header.Get("X-Who")+" "+r.Host] = r.Header.Get("Authorization")
		mu.Unlock()
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]
	// requests compares machine names as written; curl and authlib ignore
	// case. The file spells them as URLs do. (A password that is not ASCII
	// differs: requests sends it as Latin-1, authlib as UTF-8, RFC 7617.)
	p := writeNetrc(t, `machine 127.0.0.1 login alice password "p@ss word \" x"
machine localhost login bob password "s3cr3t: #1"
macdef m
  machine ignored login no password no

default login anon password guest
`, 0o600)
	urls := []string{"http://127.0.0.1" + port + "/a", "http://localhost" + port + "/b"}
	script := `import sys, requests
for u in sys.argv[1:]:
    requests.get(u, headers={"X-Who": "requests"})`
	cmd := exec.Command("python3", append([]string{"-c", script}, urls...)...)
	cmd.Env = append(os.Environ(), "NETRC="+p)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("requests: %v %s", err, out)
	}
	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: authlib.Netrc{Path: p}}
	for _, u := range urls {
		req, _ := authlib.NewRequest(context.Background(), "GET", u, nil)
		req.Header.Set("X-Who", "authlib")
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	for _, host := range []string{"127.0.0.1" + port, "localhost" + port} {
		r, a := got["requests "+host], got["authlib "+host]
		if r == "" || r != a {
			t.Errorf("%s: requests sent %q, authlib %q", host, r, a)
		}
	}
}
