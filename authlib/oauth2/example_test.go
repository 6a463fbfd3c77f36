package oauth2_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// A device login like `gh auth login`: show the code, wait for approval,
// then call the API with the token; new tokens go to OnToken to be saved.
func ExampleConfig_DeviceAuth() {
	srv := authtest.NewServer() // a mock authorization server and API
	defer srv.Close()
	ctx := context.Background()

	c := &oauth2.Config{ClientID: authtest.OAuthPublicClientID, Scopes: []string{"read:user"}, Transport: &nethttp.Transport{}}
	if _, err := c.Discover(ctx, srv.URL); err != nil {
		panic(err)
	}
	d, err := c.DeviceAuth(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("open", d.VerificationURI == srv.URL+"/oauth/device/approve", "and enter", len(d.UserCode), "characters")
	http.Get(d.VerificationURIComplete) // here the mock approves; a person would
	c.Sleep = func(context.Context, time.Duration) error { return nil }
	tok, err := c.DeviceToken(ctx, d)
	if err != nil {
		panic(err)
	}

	src := oauth2.NewSource(c, tok)
	src.OnToken = func(t *oauth2.Token) { fmt.Println("save the new token") }
	api := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: src}}
	res, err := api.Get(ctx, srv.URL+"/oauth/api/user")
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode)
	// Output:
	// open true and enter 9 characters
	// 200
}

// Client credentials: the Source gets a token on first use and renews it
// before it expires; every request carries it.
func ExampleNewSource() {
	srv := authtest.NewServer()
	defer srv.Close()
	c := &oauth2.Config{
		ClientID: authtest.OAuthClientID, ClientSecret: authtest.OAuthClientSecret, // Basic, form-urlencoded first
		TokenURL: srv.URL + "/oauth/token", Transport: &nethttp.Transport{},
	}
	api := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: oauth2.NewSource(c, nil)}}
	for i := 0; i < 3; i++ {
		res, err := api.Get(context.Background(), srv.URL+"/oauth/api/user")
		if err != nil {
			panic(err)
		}
		res.Body.Close()
		fmt.Println(res.StatusCode)
	}
	fmt.Println(srv.Handler.Stats()["grant:client_credentials"], "token request")
	// Output:
	// 200
	// 200
	// 200
	// 1 token request
}

// A user logs out: the refresh token is revoked first, then the access
// token, and the Source forgets both.
func ExampleSource_Logout() {
	srv := authtest.NewServer()
	defer srv.Close()
	c := &oauth2.Config{ClientID: authtest.OAuthClientID, ClientSecret: authtest.OAuthClientSecret, Issuer: srv.URL, Transport: &nethttp.Transport{}}
	src := oauth2.NewSource(c, nil) // client credentials: no refresh token
	if _, err := src.Token(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(src.Logout(context.Background()), srv.Handler.Stats()["revoke:access_token"])
	// Output: <nil> 1
}
