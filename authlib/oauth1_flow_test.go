package authlib_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// The three-legged flow against authtest's provider, with a callback and
// out of band, and the access token used; every placement of the
// signature, and a replayed nonce refused.
func TestOAuth1Flow(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	tr := &nethttp.Transport{}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, callback := range []string{"https://app.example/callback?x=1", ""} {
		client := authlib.OAuth1{ClientKey: authtest.OAuth1ClientKey, ClientSecret: authtest.OAuth1ClientSecret, Callback: callback}
		rt, err := client.RequestToken(ctx, tr, srv.URL+"/oauth1/request_token")
		if err != nil {
			t.Fatal(err)
		}
		u, err := authlib.OAuth1AuthorizationURL(srv.URL+"/oauth1/authorize", rt.Token)
		if err != nil {
			t.Fatal(err)
		}
		res, err := noRedirect.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var verifier string
		if callback != "" {
			loc := res.Header.Get("Location")
			if !strings.HasPrefix(loc, "https://app.example/callback?") {
				t.Fatalf("back to %q", loc)
			}
			var tok string
			if tok, verifier, err = authlib.ParseOAuth1Callback(loc); err != nil || tok != rt.Token {
				t.Fatalf("callback %q: %v", loc, err)
			}
		} else {
			var got struct {
				Verifier string `json:"oauth_verifier"`
			}
			if err := json.Unmarshal(body, &got); err != nil || got.Verifier == "" {
				t.Fatalf("out of band: %s %v", body, err)
			}
			verifier = got.Verifier
		}
		client.ResourceOwnerKey, client.ResourceOwnerSecret = rt.Token, rt.Secret
		at, err := client.AccessToken(ctx, tr, srv.URL+"/oauth1/access_token", verifier)
		if err != nil || at.Extra["screen_name"] != "alice" {
			t.Fatalf("access token: %v %v", at, err)
		}
		// The request token is spent.
		if _, err := client.AccessToken(ctx, tr, srv.URL+"/oauth1/access_token", verifier); !errors.Is(err, authlib.ErrInvalidCredentials) {
			t.Errorf("a request token used twice: %v", err)
		}
		for _, typ := range []string{"header", "query", "body"} {
			api := authlib.OAuth1{ClientKey: authtest.OAuth1ClientKey, ClientSecret: authtest.OAuth1ClientSecret, ResourceOwnerKey: at.Token,
				ResourceOwnerSecret: at.Secret, SignatureType: typ, SignatureMethod: "HMAC-SHA256"}
			req, _ := authlib.NewRequest(ctx, "POST", srv.URL+"/oauth1/api/user?q=a+b", []byte("c=d"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := (&authlib.Client{Transport: tr, Auth: api}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("%s: %d %s", typ, res.StatusCode, b)
			}
		}
	}
	// A replayed nonce and a wrong secret are refused.
	fixed := authlib.OAuth1{ClientKey: authtest.OAuth1ClientKey, ClientSecret: authtest.OAuth1ClientSecret, ResourceOwnerKey: authtest.OAuth1Token,
		ResourceOwnerSecret: authtest.OAuth1TokenSecret, Nonce: func() string { return "same-nonce-each-time-0123456789" }}
	c := &authlib.Client{Transport: tr, Auth: fixed}
	for i, want := range []int{200, 401} {
		res, err := c.Get(ctx, srv.URL+"/oauth1/api/user")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("send %d with one nonce: %d, want %d", i+1, res.StatusCode, want)
		}
	}
	fixed.Nonce, fixed.ResourceOwnerSecret = nil, "wrong"
	res, err := (&authlib.Client{Transport: tr, Auth: fixed}).Get(ctx, srv.URL+"/oauth1/api/user")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("a wrong token secret: %d", res.StatusCode)
	}
	assertNoSecret(t, "OAuth1Token", authlib.OAuth1Token{Token: sentinel, Secret: sentinel})
}
