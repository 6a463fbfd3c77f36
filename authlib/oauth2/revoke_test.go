package oauth2_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// revocations records the token_type_hint of each request to a revocation
// endpoint, in order, and sends it on.
type revocations struct {
	mu    sync.Mutex
	hints []string
	next  authlib.Transport
}

func (r *revocations) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/revoke") {
		f, _ := url.ParseQuery(string(req.Body))
		r.mu.Lock()
		r.hints = append(r.hints, f.Get("token_type_hint"))
		r.mu.Unlock()
	}
	return r.next.RoundTrip(req)
}

// Logout revokes the refresh token first, then the access token, found
// from the issuer's metadata; after it the server refuses both, the Source
// holds neither, and OnToken saw nothing new.
func TestLogoutRevokesRefreshThenAccess(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	rec := &revocations{next: &nethttp.Transport{}}
	c := config(srv, nil)
	c.Issuer, c.TokenURL, c.Transport = srv.URL, "", rec
	tok := login(t, c)
	s := oauth2.NewSource(c, tok)
	saved := 0
	s.OnToken = func(*oauth2.Token) { saved++ }
	client := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: s}}
	get := func() int {
		res, err := client.Get(context.Background(), srv.URL+"/oauth/api/user")
		if err != nil {
			return -1
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(); code != 200 {
		t.Fatalf("before: %d", code)
	}
	if err := s.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(rec.hints) != "[refresh_token access_token]" {
		t.Errorf("revocations: %v", rec.hints)
	}
	st := srv.Handler.Stats()
	if st["revoke:refresh_token"] != 1 || st["revoke:access_token"] != 1 {
		t.Errorf("the server revoked %v", st)
	}
	if cached, _, ok := s.Cached(); ok || cached != nil {
		t.Error("the Source still holds a token")
	}
	// The refresh token is refused (the server revoked it), and the access
	// token too.
	if _, err := c.Refresh(context.Background(), tok.RefreshToken); !isCode(err, "invalid_grant") {
		t.Errorf("refresh after logout: %v", err)
	}
	bearer := &authlib.Client{Transport: &nethttp.Transport{}, Auth: authlib.Bearer{Token: tok.AccessToken}}
	if res, err := bearer.Get(context.Background(), srv.URL+"/oauth/api/user"); err != nil || res.StatusCode != 401 {
		t.Errorf("the access token after logout: %v %v", res, err)
	}
	if saved != 0 {
		t.Errorf("OnToken saw %d tokens", saved)
	}
	if err := s.Logout(context.Background()); err != nil {
		t.Errorf("a second logout: %v", err)
	}
}

// Revoking a refresh token takes the access tokens of its grant with it
// (RFC 7009 §2.1), rotations included; an access token goes alone; a
// token the server does not know is revoked already (200, nil).
func TestRevoke(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	c.RevocationURL = srv.URL + "/oauth/revoke"
	live := func(access string) bool {
		cl := &authlib.Client{Transport: &nethttp.Transport{}, Auth: authlib.Bearer{Token: access}}
		res, err := cl.Get(context.Background(), srv.URL+"/oauth/api/user")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode == 200
	}
	first := login(t, c)
	second, err := c.Refresh(context.Background(), first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Revoke(context.Background(), second.RefreshToken, "refresh_token"); err != nil {
		t.Fatal(err)
	}
	if live(first.AccessToken) || live(second.AccessToken) {
		t.Error("an access token of the revoked grant still works")
	}
	other := login(t, c)
	if err := c.Revoke(context.Background(), other.AccessToken, ""); err != nil {
		t.Fatal(err)
	}
	if live(other.AccessToken) {
		t.Error("the revoked access token still works")
	}
	if _, err := c.Refresh(context.Background(), other.RefreshToken); err != nil {
		t.Errorf("revoking the access token took the refresh token: %v", err)
	}
	if err := c.Revoke(context.Background(), "never-issued", ""); err != nil {
		t.Errorf("an unknown token: %v", err)
	}
}

// What the server refuses is an error that names no token and no secret;
// a Config that cannot revoke says why before sending anything.
func TestRevokeRefusals(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	c.RevocationURL = srv.URL + "/oauth/revoke"
	tok := login(t, c)
	err := c.Revoke(context.Background(), tok.AccessToken, "id_token")
	if !isCode(err, "unsupported_token_type") || strings.Contains(err.Error(), tok.AccessToken) {
		t.Errorf("a hint the server does not support: %v", err)
	}
	wrong := *c
	wrong.ClientSecret = "not the secret"
	err = wrong.Revoke(context.Background(), tok.AccessToken, "")
	if !isCode(err, "invalid_client") || strings.Contains(err.Error(), tok.AccessToken) || strings.Contains(err.Error(), "not the secret") {
		t.Errorf("a wrong secret: %v", err)
	}
	// Another client cannot revoke this client's token.
	public := &oauth2.Config{ClientID: authtest.OAuthPublicClientID, RevocationURL: c.RevocationURL, Transport: &nethttp.Transport{}}
	if err := public.Revoke(context.Background(), tok.AccessToken, ""); !isCode(err, "unauthorized_client") {
		t.Errorf("another client's token: %v", err)
	}
	before := srv.Handler.Stats()["/oauth/revoke"]
	for _, cfg := range []*oauth2.Config{{ClientID: "x", Transport: &nethttp.Transport{}}, {ClientID: "x", Issuer: srv.URL + "/none", Transport: &nethttp.Transport{}}} {
		if err := cfg.Revoke(context.Background(), tok.AccessToken, ""); err == nil || strings.Contains(err.Error(), tok.AccessToken) {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
	if err := c.Revoke(context.Background(), "", ""); !errors.Is(err, oauth2.ErrConfig) {
		t.Errorf("no token: %v", err)
	}
	if n := srv.Handler.Stats()["/oauth/revoke"] - before; n != 0 {
		t.Errorf("%d revocation requests sent", n)
	}
}

// gate holds the answer to each token request, which the server has
// handled, until released.
type gate struct {
	next    authlib.Transport
	arrived chan struct{}
	release chan struct{}
}

func (g *gate) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	res, err := g.next.RoundTrip(req)
	if strings.HasSuffix(req.URL.Path, "/oauth/token") {
		g.arrived <- struct{}{}
		<-g.release
	}
	return res, err
}

// A refresh in flight when Logout is called brings no token back into the
// Source, nor to OnToken: the caller logged out.
func TestLogoutDuringRefresh(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	clk := newClock()
	c := config(srv, clk)
	c.RevocationURL = srv.URL + "/oauth/revoke"
	tok := login(t, c)
	g := &gate{next: c.Transport, arrived: make(chan struct{}, 1), release: make(chan struct{})}
	c.Transport = g
	s := oauth2.NewSource(c, tok)
	saved := 0
	s.OnToken = func(*oauth2.Token) { saved++ }
	clk.Add(2 * time.Hour) // the token expired: the next Token refreshes
	done := make(chan error)
	go func() {
		_, err := s.Token(context.Background())
		done <- err
	}()
	<-g.arrived // the server gave a new token; the Source has not got it yet
	if err := s.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	close(g.release)
	if err := <-done; err != nil {
		t.Fatal(err) // the waiter gets its token: it asked before the logout
	}
	if cached, _, ok := s.Cached(); ok || cached != nil {
		t.Error("the refresh brought a token back after the logout")
	}
	if saved != 0 {
		t.Errorf("OnToken saw %d tokens after the logout", saved)
	}
}
