package oauth2_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// From a bare 401 to a 200, as an MCP client does: ten concurrent first
// requests cause one walk: the resource's metadata (named by the 401),
// the server's, one registration, one pushed authorization with DPoP, one
// code exchange; the token is for that resource alone (RFC 8707), and all
// ten requests succeed with it.
func TestResourceLogin(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	var regs, toks, authorizations atomic.Int32
	l := &oauth2.ResourceLogin{
		Resource: srv.URL + "/mcp",
		Config:   &oauth2.Config{Transport: &nethttp.Transport{}, RedirectURL: "http://127.0.0.1/cb", DPoP: newDPoP(t)},
		PAR:      true,
		Authorize: func(ctx context.Context, u string) (string, error) {
			authorizations.Add(1)
			return callback(t, u), nil
		},
		OnRegister: func(*oauth2.Registration) { regs.Add(1) },
		OnToken:    func(*oauth2.Token) { toks.Add(1) },
	}
	client := &authlib.Client{Transport: &nethttp.Transport{}, Auth: l}
	ok := concurrentGets(t, client, srv.URL+"/mcp", 10)
	st := srv.Handler.Stats()
	if ok != 10 || regs.Load() != 1 || toks.Load() != 1 || authorizations.Load() != 1 || st["register"] != 1 || st["par"] != 1 ||
		st["resource-metadata"] != 1 || st["grant:authorization_code"] != 1 {
		t.Fatalf("%d of 10, %d registrations, %d tokens, %d authorizations; stats %v", ok, regs.Load(), toks.Load(), authorizations.Load(), st)
	}
	tok, err := l.Source().Token(context.Background())
	if err != nil || tok.TokenType != "DPoP" {
		t.Fatalf("%v %v", tok, err)
	}
	// After a logout, the next call logs in again, with the same client.
	if err := l.Logout(context.Background()); err != nil || l.Source() != nil {
		t.Fatalf("logout: %v", err)
	}
	res, err := client.Get(context.Background(), srv.URL+"/mcp")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if st := srv.Handler.Stats(); res.StatusCode != 200 || authorizations.Load() != 2 || st["register"] != 1 || st["revoke:refresh_token"] != 1 {
		t.Fatalf("after logout: %d, %d authorizations, stats %v", res.StatusCode, authorizations.Load(), st)
	}
	// The token is for /mcp only: the login sends it nowhere else on the
	// origin, and /mcp-elsewhere's 401 is the answer.
	rec := &recorder{Transport: &nethttp.Transport{}}
	client.Transport = rec
	res, err = client.Get(context.Background(), srv.URL+"/mcp-elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := rec.authorizations(); res.StatusCode != 401 || len(got) != 1 || got[0] != "" {
		t.Fatalf("a path outside the resource: %d, sent %q", res.StatusCode, got)
	}
}

// A resource whose metadata names another resource is refused (RFC 9728
// §3.3) before anything else: no registration, no authorization.
func TestResourceLoginMismatch(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	called := false
	l := &oauth2.ResourceLogin{
		Resource:  srv.URL + "/mcp-elsewhere",
		Config:    &oauth2.Config{Transport: &nethttp.Transport{}, RedirectURL: "http://127.0.0.1/cb"},
		Authorize: func(context.Context, string) (string, error) { called = true; return "", nil },
	}
	_, err := (&authlib.Client{Transport: &nethttp.Transport{}, Auth: l}).Get(context.Background(), srv.URL+"/mcp-elsewhere")
	if !errors.Is(err, oauth2.ErrMetadata) || called || srv.Handler.Stats()["register"] != 0 {
		t.Fatalf("%v, authorize called %v", err, called)
	}
	// The well-known URL, without a 401 to name it, is checked the same.
	if _, err := oauth2.DiscoverResource(context.Background(), &nethttp.Transport{}, srv.URL+"/mcp", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := oauth2.DiscoverResource(context.Background(), &nethttp.Transport{}, srv.URL+"/mcp-elsewhere", nil); !errors.Is(err, oauth2.ErrMetadata) {
		t.Fatalf("well-known: %v", err)
	}
}
