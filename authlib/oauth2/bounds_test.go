package oauth2_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// seen is a server that records the Authorization each path got.
type seen struct {
	mu   sync.Mutex
	auth map[string][]string
}

func (s *seen) record(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.auth == nil {
		s.auth = map[string][]string{}
	}
	s.auth[r.URL.Path] = append(s.auth[r.URL.Path], r.Header.Get("Authorization"))
}

// credentialed returns the paths that got an Authorization.
func (s *seen) credentialed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for p, vs := range s.auth {
		for _, v := range vs {
			if v != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// A login for resource R never sends R's token to another origin E, nor to
// a path of R's origin outside R: E's 401, whose metadata claims to be R's
// and names R's own authorization server, starts no login and is the
// answer; after a login at R, requests to E and to another path of R's
// origin go without the token.
func TestResourceLoginTokenStaysWithItsResource(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	resource := srv.URL + "/mcp"
	var e seen
	var evil *httptest.Server
	evil = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.record(r)
		if r.URL.Path == "/meta" {
			json.NewEncoder(w).Encode(map[string]any{"resource": resource, "authorization_servers": []string{srv.URL}})
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer resource_metadata="`+evil.URL+`/meta"`)
		w.WriteHeader(401)
	}))
	defer evil.Close()
	authorized := 0
	l := &oauth2.ResourceLogin{
		Resource: resource,
		Config:   &oauth2.Config{Transport: &nethttp.Transport{}, RedirectURL: "http://127.0.0.1/cb"},
		Authorize: func(ctx context.Context, u string) (string, error) {
			authorized++
			return callback(t, u), nil
		},
	}
	client := &authlib.Client{Transport: &nethttp.Transport{}, Auth: l}
	get := func(u string) int {
		t.Helper()
		res, err := client.Get(context.Background(), u)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(evil.URL + "/x"); code != 401 || authorized != 0 || srv.Handler.Stats()["register"] != 0 {
		t.Fatalf("another origin's 401: %d, %d authorizations, stats %v", code, authorized, srv.Handler.Stats())
	}
	if code := get(resource); code != 200 || authorized != 1 {
		t.Fatalf("the resource: %d, %d authorizations", code, authorized)
	}
	if code := get(evil.URL + "/x"); code != 401 || len(e.credentialed()) != 0 {
		t.Fatalf("after the login, another origin got %d, credentials on %v", code, e.credentialed())
	}
	// The same origin, outside the resource: no token (authtest's
	// /mcp-elsewhere would refuse it; the request must not carry it).
	rec := &recorder{Transport: &nethttp.Transport{}}
	client.Transport = rec
	get(srv.URL + "/mcp-elsewhere")
	get(srv.URL + "/mcp/tools")
	if got := rec.authorizations(); len(got) != 2 || got[0] != "" || got[1] == "" {
		t.Fatalf("Authorization sent to /mcp-elsewhere and /mcp/tools: %q", got)
	}
	// Stepped by hand, as a caller outside a Client might: another
	// resource's 401 is not answered.
	req, _ := authlib.NewRequest(context.Background(), "GET", evil.URL+"/x", nil)
	if retry, err := l.Challenge(req, &authlib.Response{StatusCode: 401, Header: authlib.Header{}, Request: req}, 0); retry || err != nil {
		t.Fatalf("Challenge for another origin: %v %v", retry, err)
	}
}

// Metadata named by a 401 is for the URL that answered (RFC 9728 §3.3):
// metadata of another resource is refused, even one the caller asked for.
func TestDiscoverResourceChecksTheURLThatAnswered(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	var evil *httptest.Server
	evil = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"resource": srv.URL + "/mcp", "authorization_servers": []string{srv.URL}})
	}))
	defer evil.Close()
	req, _ := authlib.NewRequest(context.Background(), "GET", evil.URL+"/x", nil)
	res := &authlib.Response{StatusCode: 401, Request: req,
		Header: authlib.Header{"Www-Authenticate": {`Bearer resource_metadata="` + evil.URL + `/meta"`}}}
	if _, err := oauth2.DiscoverResource(context.Background(), &nethttp.Transport{}, srv.URL+"/mcp", res); !errors.Is(err, oauth2.ErrMetadata) {
		t.Fatalf("metadata of another resource, named by %s's 401: %v", evil.URL, err)
	}
}

// A token for resources goes within them alone, redirects included: a
// same-origin redirect from /api/x to /private/y arrives without it, and
// so does every hop after it, back into /api/ too.
func TestBoundTokenIsNotFollowedOutOfItsPath(t *testing.T) {
	var s seen
	h := http.NewServeMux()
	h.HandleFunc("/api/x", func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		http.Redirect(w, r, "/private/y", 302)
	})
	h.HandleFunc("/private/y", func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		http.Redirect(w, r, "/api/z", 302)
	})
	h.HandleFunc("/api/z", func(w http.ResponseWriter, r *http.Request) { s.record(r) })
	api := httptest.NewServer(h)
	defer api.Close()
	c := &oauth2.Config{Transport: &nethttp.Transport{}, Resources: []string{api.URL + "/api/"}}
	src := oauth2.NewSource(c, &oauth2.Token{AccessToken: "tok-for-api", TokenType: "Bearer"})
	client := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: src}}
	res, err := client.Get(context.Background(), api.URL+"/api/x")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := s.credentialed(); len(got) != 1 || got[0] != "/api/x" || len(s.auth["/api/z"]) != 1 {
		t.Fatalf("credentials went to %v (%v)", got, s.auth)
	}
	// Prepare, as the JS API's fast path uses it, applies nothing outside.
	req, _ := authlib.NewRequest(context.Background(), "GET", api.URL+"/private/y", nil)
	p, err := client.Prepare(req)
	if err != nil || p.Header.Get("Authorization") != "" {
		t.Fatalf("prepared outside the resource: %v %q", err, p.Header.Get("Authorization"))
	}
	req, _ = authlib.NewRequest(context.Background(), "GET", api.URL+"/api/q", nil)
	if p, err = client.Prepare(req); err != nil || p.Header.Get("Authorization") != "Bearer tok-for-api" || !p.CredentialsPathBound() {
		t.Fatalf("prepared within: %v %q %v", err, p.Header.Get("Authorization"), p.CredentialsPathBound())
	}
}

// recorder is a Transport that records the Authorization of each request.
type recorder struct {
	authlib.Transport
	mu   sync.Mutex
	seen []string
}

func (r *recorder) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	r.mu.Lock()
	r.seen = append(r.seen, req.Header.Get("Authorization"))
	r.mu.Unlock()
	return r.Transport.RoundTrip(req)
}

func (r *recorder) authorizations() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

// A saved token records the resources it is for and, for a DPoP token,
// its key: a client for another resource, or with another key, loads no
// token from the same store, and never sends the other's.
func TestStoreKeepsTokensToTheirResourceAndKey(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	keeper := &memKeeper{}
	mk := func(resource string, d *oauth2.DPoP) *oauth2.Config {
		c := config(srv, nil)
		c.Resources, c.DPoP = []string{resource}, d
		return c
	}
	a := mk(srv.URL+"/mcp", nil)
	text, err := a.SavedText(&oauth2.Token{AccessToken: "token-of-a", TokenType: "Bearer"})
	if err != nil {
		t.Fatal(err)
	}
	keeper.text = text
	if tok, err := a.ParseSaved(text); err != nil || tok.AccessToken != "token-of-a" {
		t.Fatalf("its own: %v %v", tok, err)
	}
	b := mk(srv.URL+"/mcp-elsewhere", nil)
	if tok, err := b.ParseSaved(text); !errors.Is(err, oauth2.ErrStore) || tok != nil || strings.Contains(err.Error(), "token-of-a") {
		t.Fatalf("another resource's token: %v %v", tok, err)
	}
	// A Source for B with that store never hands out A's token.
	sb := oauth2.NewSource(b, nil)
	sb.Store = &oauth2.TextStore{Config: b, Keeper: keeper}
	if tok, err := sb.Token(context.Background()); err != nil || tok.AccessToken == "token-of-a" {
		t.Fatalf("B got %v, %v", tok, err)
	}
	// A DPoP token of one key is none for a client with another.
	k1, k2 := newDPoP(t), newDPoP(t)
	d1 := mk(srv.URL+"/mcp", k1)
	jkt, err := k1.JWK.Thumbprint()
	if err != nil {
		t.Fatal(err)
	}
	text, _ = d1.SavedText(&oauth2.Token{AccessToken: "dpop-of-k1", TokenType: "DPoP", KeyThumbprint: jkt})
	d2 := mk(srv.URL+"/mcp", k2)
	s2 := oauth2.NewSource(d2, nil)
	s2.Fetch = nil
	s2.Store = &oauth2.TextStore{Config: d2, Keeper: &memKeeper{text: text}}
	if tok, err := s2.Token(context.Background()); !errors.Is(err, oauth2.ErrStore) || tok != nil {
		t.Fatalf("another key's DPoP token: %v %v", tok, err)
	}
	s1 := oauth2.NewSource(d1, nil)
	s1.Store = &oauth2.TextStore{Config: d1, Keeper: &memKeeper{text: text}}
	if tok, err := s1.Token(context.Background()); err != nil || tok.AccessToken != "dpop-of-k1" {
		t.Fatalf("its own key's: %v %v", tok, err)
	}
}

// Without a resource_metadata in the 401 and without metadata at the
// path's well-known URL, the origin's is read (as the MCP authorization
// spec orders it); it must be the origin's own: metadata there that names
// a path is refused (seen: no fallback, the login failed).
func TestDiscoverResourceFallsBackToTheOrigin(t *testing.T) {
	claim := ""
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/oauth-protected-resource" {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"resource": ts.URL + claim, "authorization_servers": []string{ts.URL}})
	}))
	defer ts.Close()
	for _, c := range []struct {
		claim string
		ok    bool
	}{{"/", true}, {"", true}, {"/mcp", false}, {"/other/", false}} {
		claim = c.claim
		m, err := oauth2.DiscoverResource(context.Background(), &nethttp.Transport{}, ts.URL+"/mcp", nil)
		if ok := err == nil; ok != c.ok || ok && m.Resource != ts.URL+c.claim {
			t.Errorf("the origin's metadata naming %q: %v %v", c.claim, m, err)
		}
	}
}
