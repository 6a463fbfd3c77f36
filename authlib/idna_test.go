package authlib_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// everyHostHere starts a recorder on loopback and returns a net/http
// transport that reaches it whatever host a URL names, and at, which
// writes the URL of a host on its port.
func everyHostHere(t *testing.T) (*recorder, *http.Transport, func(host string) string) {
	srv, rec := startRecorder(false)
	t.Cleanup(srv.Close)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	addr := srv.Listener.Addr().String()
	base := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	t.Cleanup(base.CloseIdleConnections)
	return rec, base, func(host string) string { return "http://" + host + ":" + strconv.Itoa(port) }
}

// Hosts that Unicode case folding puts together but IDNA (what net/http
// and fetch connect by) keeps apart: strings.ToLower folds İ (U+0130) to
// i, while the runtime sends xn--ix-rub.example, another host. Every
// credential kind must stay off the other host after a redirect, and
// Client.Origins must not be widened by such a spelling. Every name here
// resolves to one loopback recorder, which sees the Host each request was
// sent to.
func TestRedirectUnicodeFoldedHostLeaksNothing(t *testing.T) {
	rec, base, at := everyHostHere(t)

	kinds := map[string]struct {
		auth  authlib.Auth
		field string
	}{
		"basic":   {authlib.Basic{Username: "u", Password: "p"}, "Authorization"},
		"bearer":  {authlib.Bearer{Token: "tok"}, "Authorization"},
		"x-token": {authlib.HeaderAuth{Name: "X-TokenAuth", Value: "tok"}, "X-Tokenauth"},
		"function": {authlib.AuthFunc(func(r *authlib.Request) error { r.Header.Set("X-Custom-Sig", "sig"); return nil }),
			"X-Custom-Sig"},
	}
	// Each other spelling names a host the runtime maps elsewhere than
	// ix.example (or k.example).
	others := []struct{ start, to string }{
		{"ix.example", "%C4%B0x.example"}, // İ, percent-encoded
		{"ix.example", "İx.example"},      // İ, raw
		{"k.example", "\u212a.example"},   // KELVIN SIGN, which IDNA maps to k: kept apart all the same (safe)
	}
	for name, kind := range kinds {
		for _, o := range others {
			for _, origins := range [][]string{nil, {at(o.to)}} {
				t.Run(name+"/"+o.to+"/origins="+strings.Join(origins, ","), func(t *testing.T) {
					c := &authlib.Client{Transport: &nethttp.Transport{Base: base}, Auth: kind.auth, AllowInsecure: true}
					if origins != nil {
						// An entry that names the other host itself widens the
						// scope to it, and to it only: the start host keeps
						// its credentials, the other one gets them.
						c.Origins = origins
					}
					rec.take()
					start := at(o.start) + "/redirect-to?url=" + url.QueryEscape(at(o.to)+"/headers")
					req, _ := authlib.NewRequest(context.Background(), "GET", start, nil)
					res, err := c.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					res.Body.Close()
					got := rec.take()
					if len(got) != 2 || got[0].header.Get(kind.field) == "" {
						t.Fatalf("the first hop did not carry %s: %+v", kind.field, got)
					}
					final := got[1]
					if h, _, _ := strings.Cut(final.host, ":"); h == o.start || !strings.HasPrefix(h, "xn--") && h != "k.example" {
						t.Fatalf("the redirect went to %q (the test's premise is another, IDNA-mapped host)", final.host)
					}
					if origins != nil {
						if final.header.Get(kind.field) == "" {
							t.Errorf("%s did not reach %s, which Origins lists", kind.field, final.host)
						}
						return
					}
					for _, f := range credentialFields {
						if v := final.header.Get(f); v != "" {
							t.Errorf("%s leaked to %s: %q", f, final.host, v)
						}
					}
				})
			}
		}
	}
}

// Client.Origins written with a Unicode-folded spelling of a host does not
// let credentials go to the host the runtime would connect to.
func TestOriginsUnicodeFoldedEntryWidensNothing(t *testing.T) {
	rec, base, at := everyHostHere(t)
	// The listed origin is İx.example; the redirect goes to ix.example, a
	// host the caller never listed.
	c := &authlib.Client{Transport: &nethttp.Transport{Base: base}, Auth: authlib.Bearer{Token: "tok"},
		AllowInsecure: true, Origins: []string{at("İx.example")}}
	rec.take()
	code, _ := do(t, c, "GET", at("start.example")+"/redirect-to?url="+url.QueryEscape(at("ix.example")+"/headers"), nil)
	if code != 200 {
		t.Fatal(code)
	}
	got := rec.take()
	if len(got) != 2 {
		t.Fatalf("%d requests", len(got))
	}
	if v := got[1].header.Get("Authorization"); v != "" {
		t.Fatalf("the token went to %s, which Origins does not list: %q", got[1].host, v)
	}
}

// Two spellings of one host that differ only in ASCII case are one origin.
func TestOriginASCIICaseIsOneOrigin(t *testing.T) {
	for _, pair := range [][2]string{
		{"https://API.Example.COM/x", "https://api.example.com:443/"},
		{"http://[::1]:80/", "http://[::1]/"},
		{"https://BÜCHER.example/", "https://bÜcher.example/"},
	} {
		a, _ := url.Parse(pair[0])
		b, _ := url.Parse(pair[1])
		if authlib.Origin(a) != authlib.Origin(b) {
			t.Errorf("Origin(%s) %q != Origin(%s) %q", pair[0], authlib.Origin(a), pair[1], authlib.Origin(b))
		}
	}
	for _, pair := range [][2]string{
		{"https://İx.example/", "https://ix.example/"},
		{"https://\u212a.example/", "https://k.example/"}, // KELVIN SIGN: folded by Unicode, IDNA maps it too; kept apart here
		{"https://ſ.example/", "https://s.example/"},      // long s
		{"https://example.com./", "https://example.com/"},
	} {
		a, _ := url.Parse(pair[0])
		b, _ := url.Parse(pair[1])
		if authlib.Origin(a) == authlib.Origin(b) {
			t.Errorf("Origin(%s) == Origin(%s): %q", pair[0], pair[1], authlib.Origin(a))
		}
	}
}
