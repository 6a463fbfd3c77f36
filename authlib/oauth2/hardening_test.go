package oauth2_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// An expires_in too large for a time.Duration wrapped it: the expiry fell
// in the past, every call fetched a token, and expires_at went negative.
func TestHugeExpiresInIsClamped(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	for _, in := range []string{"9300000000", "99999999999999"} {
		tok, err := oauth2.ParseToken(`{"access_token":"a","expires_in":`+in+`}`, now)
		if err != nil {
			t.Fatal(err)
		}
		if !tok.Expiry.After(now.Add(10 * 365 * 24 * time.Hour)) {
			t.Errorf("expires_in %s: expiry %v, not far in the future", in, tok.Expiry)
		}
		if s := tok.JSON(now); strings.Contains(s, `"expires_at":-`) || strings.Contains(s, `"expires_in":-`) {
			t.Errorf("expires_in %s: %s", in, s)
		}
	}
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	c.TokenURL += "?lifetime=9300000000"
	s := oauth2.NewSource(c, nil)
	for i := 0; i < 3; i++ {
		if _, err := s.Token(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := grants(srv, "client_credentials"); n != 1 {
		t.Fatalf("%d token requests for three calls", n)
	}
}

// A token that lives less than the skew was renewed on every call: the
// skew is held to a quarter of the lifetime the server gave.
func TestShortLifetimeCapsTheSkew(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	clk := newClock()
	c := config(srv, clk)
	c.TokenURL += "?lifetime=4"
	s := oauth2.NewSource(c, nil)
	for i := 0; i < 5; i++ {
		if _, err := s.Token(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := grants(srv, "client_credentials"); n != 1 {
		t.Fatalf("%d token requests for five calls within a 4 s lifetime", n)
	}
	if _, until, ok := s.Cached(); !ok || until.Sub(clk.Now()) != 3*time.Second {
		t.Fatalf("usable until %v from now; want 3 s (4 s less a quarter)", until.Sub(clk.Now()))
	}
	clk.Add(3 * time.Second)
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := grants(srv, "client_credentials"); n != 2 {
		t.Fatalf("%d token requests; the token is renewed a quarter of its life before expiry", n)
	}
}

// requests-oauthlib saves scope as a list and expires_at as a float; such
// a token is read as it is, and a bad saved token is called one.
func TestRequestsOAuthlibToken(t *testing.T) {
	now := time.Unix(1_767_000_000, 0)
	saved := `{"access_token": "at", "token_type": "Bearer", "expires_in": 3599, "refresh_token": "rt",
		"scope": ["read:user", "repo"], "expires_at": 1767225600.4567}`
	tok, err := oauth2.ParseToken(saved, now)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Scope != "read:user repo" || tok.Expiry.Unix() != 1767225600 || tok.RefreshToken != "rt" {
		t.Fatalf("%+v", tok)
	}
	for _, bad := range []string{`{"access_token": "at", "scope": ["a", 1]}`, `{"access_token": "at", "scope": ["a b"]}`, `{"scope": "x"}`, `[]`} {
		_, err := oauth2.ParseToken(bad, now)
		if err == nil || !errors.Is(err, oauth2.ErrTokenResponse) {
			t.Fatalf("%s: %v", bad, err)
		}
		if !strings.Contains(err.Error(), "saved token") || strings.Contains(err.Error(), "token response") {
			t.Errorf("%s: %q should speak of the saved token", bad, err)
		}
	}
}

// RFC 6749 §3.1: a callback with state, code, iss or error more than once
// is refused, and no code is spent.
func TestCallbackRepeatedParameterRefused(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	state, verifier := oauth2.NewState(), oauth2.NewVerifier()
	for _, q := range []string{
		"state=" + state + "&state=" + state + "&code=c",
		"state=" + state + "&code=c1&code=c2",
		"state=" + state + "&code=c&iss=a&iss=b",
		"state=" + state + "&error=access_denied&error=x",
	} {
		_, err := c.Exchange(context.Background(), "http://127.0.0.1/callback?"+q, state, verifier)
		if !errors.Is(err, oauth2.ErrCallback) || !strings.Contains(err.Error(), "more than once") {
			t.Errorf("%s: %v", q, err)
		}
	}
	if n := grants(srv, "authorization_code"); n != 0 {
		t.Fatalf("%d code exchanges", n)
	}
}

// Extra authorize parameters never set what the Config leaves empty
// (redirect_uri, scope), and one with a control character is refused.
func TestAuthCodeURLExtraParameters(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	c.RedirectURL, c.Scopes = "", nil
	state, verifier := oauth2.NewState(), oauth2.NewVerifier()
	u, err := c.AuthCodeURL(state, verifier, map[string][]string{"redirect_uri": {"https://evil.example/"}, "scope": {"admin"}, "prompt": {"login"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(u, "evil") || strings.Contains(u, "admin") || !strings.Contains(u, "prompt=login") {
		t.Fatalf("%s", u)
	}
	for _, bad := range []map[string][]string{{"a\nb": {"x"}}, {"\x00": {"x"}}, {"a": {"x\r\ny"}}} {
		if _, err := c.AuthCodeURL(state, verifier, bad); !errors.Is(err, oauth2.ErrConfig) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
