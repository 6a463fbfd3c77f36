package oauth2_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// A public client registered to push its requests, with DPoP: its
// unpushed request is refused; the pushed one (one DPoP nonce challenge)
// gives a URL of client_id and request_uri only, good once; the code it
// brings is bound to the key, and the exchange needs no second nonce
// challenge. A confidential client with Basic pushes too, its client_id
// sent once.
func TestPAR(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	rec := &forms{next: &nethttp.Transport{}}
	c := &oauth2.Config{Issuer: srv.URL, Transport: rec, RedirectURL: "http://127.0.0.1/cb", DPoP: newDPoP(t)}
	if _, err := c.Register(context.Background(), oauth2.ClientMetadata{TokenEndpointAuthMethod: "none", RedirectURIs: []string{c.RedirectURL}, RequirePAR: true}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Discover(context.Background(), srv.URL); err != nil {
		t.Fatal(err)
	}
	state, verifier := oauth2.NewState(), oauth2.NewVerifier()
	res, err := (&http.Transport{}).RoundTrip(mustReq(t, must(c.AuthCodeURL(state, verifier, nil))))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Fatalf("an unpushed request: %d", res.StatusCode)
	}
	u, err := c.PushAuthCodeURL(context.Background(), state, verifier, url.Values{"login_hint": {"someone"}})
	if err != nil {
		t.Fatal(err)
	}
	pu, _ := url.Parse(u)
	if q := pu.Query(); len(q) != 2 || q.Get("client_id") != c.ClientID || q.Get("request_uri") == "" {
		t.Fatalf("the pushed URL: %s", u)
	}
	stats := srv.Handler.Stats
	if stats()["par"] != 1 || stats()["dpop:use_dpop_nonce:as"] != 1 {
		t.Fatalf("stats %v", stats())
	}
	cb := callback(t, u)
	if res, _ := (&http.Transport{}).RoundTrip(mustReq(t, u)); res == nil || res.StatusCode != 400 {
		t.Fatal("a request_uri used twice")
	}
	tok, err := c.Exchange(context.Background(), cb, state, verifier)
	if err != nil || tok.TokenType != "DPoP" || stats()["dpop:use_dpop_nonce:as"] != 1 {
		t.Fatalf("%v %v, stats %v", tok, err, stats())
	}
	pushed := 0
	for _, f := range rec.sent {
		if f.Get("code_challenge") != "" {
			pushed++
			if f.Get("login_hint") != "someone" || f.Get("dpop_jkt") == "" || len(f["client_id"]) != 1 {
				t.Fatalf("pushed %v", f)
			}
		}
	}
	if pushed != 2 {
		t.Fatalf("%d pushed requests; want 2 (one nonce challenge)", pushed)
	}

	rec.sent, rec.auth = nil, nil
	conf := config(srv, nil)
	conf.Transport, conf.PARURL = rec, srv.URL+"/oauth/par"
	u, err = conf.PushAuthCodeURL(context.Background(), state, verifier, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conf.Exchange(context.Background(), callback(t, u), state, verifier); err != nil {
		t.Fatal(err)
	}
	if f := rec.sent[0]; len(f["client_id"]) != 1 || rec.auth[0] == "" {
		t.Fatalf("Basic: %v with %q", f, rec.auth[0])
	}
}

// A server whose metadata requires pushed requests gets none other. (Its
// issuer has a path of its own: metadata is cached per issuer for the
// life of the program, and another test's server may have had this port.)
func TestPARRequired(t *testing.T) {
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		iss := ts.URL + "/par-required"
		io.WriteString(w, `{"issuer":"`+iss+`","authorization_endpoint":"`+ts.URL+`/authorize","token_endpoint":"`+ts.URL+`/token",
			"pushed_authorization_request_endpoint":"`+ts.URL+`/par","require_pushed_authorization_requests":true}`)
	}))
	defer ts.Close()
	c := &oauth2.Config{ClientID: "c", Transport: &nethttp.Transport{}}
	if _, err := c.Discover(context.Background(), ts.URL+"/par-required"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AuthCodeURL(oauth2.NewState(), oauth2.NewVerifier(), nil); !errors.Is(err, oauth2.ErrConfig) {
		t.Fatalf("AuthCodeURL: %v", err)
	}
}

// AuthorizationURL pushes the request where the server requires it, or
// where PAR says so, and else puts it in the URL.
func TestAuthorizationURLPushesWhenTheServerOrTheConfigSays(t *testing.T) {
	var ts *httptest.Server
	pushed := 0
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/par" {
			pushed++
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"request_uri":"urn:ietf:params:oauth:request_uri:x","expires_in":60}`)
			return
		}
		required := strings.HasSuffix(r.URL.Path, "/required")
		iss := ts.URL + strings.TrimPrefix(strings.TrimSuffix(r.URL.Path, "/"), "/.well-known/oauth-authorization-server")
		io.WriteString(w, `{"issuer":"`+iss+`","authorization_endpoint":"`+ts.URL+`/authorize","token_endpoint":"`+ts.URL+`/token",
			"pushed_authorization_request_endpoint":"`+ts.URL+`/par","require_pushed_authorization_requests":`+fmt.Sprint(required)+`}`)
	}))
	defer ts.Close()
	for _, tc := range []struct {
		issuer string
		par    bool
		push   bool
	}{{"/required", false, true}, {"/optional", false, false}, {"/optional", true, true}} {
		pushed = 0
		c := &oauth2.Config{ClientID: "c", Issuer: ts.URL + tc.issuer, RedirectURL: "http://127.0.0.1/cb", PAR: tc.par, Transport: &nethttp.Transport{}}
		u, err := c.AuthorizationURL(context.Background(), oauth2.NewState(), oauth2.NewVerifier(), nil)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		if got := pushed == 1 && strings.Contains(u, "request_uri=") && !strings.Contains(u, "code_challenge"); got != tc.push {
			t.Errorf("%+v: pushed %d, %s", tc, pushed, u)
		}
	}
}
