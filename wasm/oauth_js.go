//go:build js && wasm && !authlib_nooauth

package main

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/fetch"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/authlib-go/authlib/wasm/wire"
	"github.com/hack-pad/safejs"
)

// OAuth 2.0 in the JS API. Its settings cross as the oauth fields of a
// wire message (the scheme's in a call, a flow's in its own), a saved token
// as JSON text; tokens and metadata go back as JSON text, which
// authlib.mjs parses.

// oauthConfig checks the OAuth settings o and makes a Config of them.
func oauthConfig(o wire.OAuth) (*oauth2.Config, error) {
	for _, v := range [...]struct{ name, value string }{{"issuer", o.Issuer}, {"tokenURL", o.TokenURL}, {"deviceURL", o.DeviceURL},
		{"authorizationURL", o.AuthURL}, {"clientId", o.ClientID}, {"clientSecret", o.ClientSecret}, {"clientAuth", o.ClientAuth},
		{"redirectURI", o.RedirectURI}, {"scope", o.Scope}, {"callback", o.Callback}, {"state", o.State}, {"codeVerifier", o.CodeVerifier},
		{"revocationURL", o.RevocationURL}, {"tokenTypeHint", o.TokenTypeHint}} {
		if v.value == wire.Bad || strings.ContainsAny(v.value, "\r\n") {
			return nil, usage("invalid_request", "oauth2 option "+v.name+" must be a string (a scope may be an array of them), without line breaks")
		}
	}
	c := &oauth2.Config{Transport: &fetch.Transport{Timeout: tokenTimeout}, Timeout: -1, Issuer: o.Issuer, TokenURL: o.TokenURL,
		DeviceURL: o.DeviceURL, AuthURL: o.AuthURL, RevocationURL: o.RevocationURL, ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURI}
	if o.Scope != "" {
		c.Scopes = []string{o.Scope} // space-separated, as authlib.mjs joined it
	}
	if c.ClientID == "" {
		return nil, usage("invalid_request", "oauth2 needs clientId")
	}
	if c.Issuer == "" && c.TokenURL == "" && c.AuthURL == "" && c.DeviceURL == "" && c.RevocationURL == "" {
		return nil, usage("invalid_request", "oauth2 needs issuer, or the endpoint URLs (tokenURL, …)")
	}
	ca := o.ClientAuth
	for i, name := range [...]string{"", "basic", "post", "none"} {
		if ca == name {
			c.AuthStyle = oauth2.AuthStyle(i)
		}
	}
	if c.AuthStyle == oauth2.AuthAuto && ca != "" {
		return nil, usage("invalid_request", "clientAuth is \"basic\", \"post\" or \"none\"")
	}
	if c.AuthStyle != oauth2.AuthNone && c.AuthStyle != oauth2.AuthAuto && c.ClientSecret == "" {
		return nil, usage("invalid_credentials", "clientAuth "+ca+" needs clientSecret")
	}
	return c, nil
}

// oauthAuth is auth {type: 'oauth2', …}: a Bearer scheme over a Source.
// Without a token, a client with a secret uses client credentials; with
// one, its refresh token renews it. onToken, when a function, gets each
// new token as JSON text.
func oauthAuth(o wire.OAuth, onToken safejs.Value) (authlib.Auth, error) {
	c, err := oauthConfig(o)
	if err != nil {
		return nil, err
	}
	if o.Token == wire.Bad {
		return nil, usage("invalid_request", "oauth2 option token must be a token object or its JSON text")
	}
	var tok *oauth2.Token
	if o.Token != "" {
		if tok, err = oauth2.ParseToken(o.Token, time.Now()); err != nil {
			return nil, err
		}
	}
	src := oauth2.NewSource(c, tok)
	if onToken.Type() == safejs.TypeFunction {
		src.OnToken = func(t *oauth2.Token) { onToken.Invoke(t.JSON(time.Now())) }
	}
	return &oauth2.Auth{Source: src}, nil
}

// tokenTimeout bounds each request to an authorization server, as a JS
// timer (see oauth2.Config.Timeout).
const tokenTimeout = 30 * time.Second

// isOAuth reports the OAuth scheme.
func isOAuth(a authlib.Auth) bool {
	_, ok := a.(*oauth2.Auth)
	return ok
}

// cachedBearer returns the OAuth token held now as a plain Bearer, and
// until when it may be sent (zero: no end), or nil when getting one needs
// a token request.
func cachedBearer(a authlib.Auth) (authlib.Auth, time.Time) {
	tok, until, ok := a.(*oauth2.Auth).Source.Cached()
	if !ok {
		return nil, until
	}
	return authlib.Bearer{Token: tok.AccessToken}, until
}

// oauthCode returns the AuthError fields of an OAuth failure: the RFC's
// error code, or one of authlib's for a response it cannot use.
func oauthCode(err error) (code, description string, ok bool) {
	var e *oauth2.Error
	switch {
	case errors.As(err, &e):
		return e.Code, e.Description, true
	case errors.Is(err, oauth2.ErrTokenResponse):
		return "invalid_token_response", "", true
	case errors.Is(err, oauth2.ErrMetadata):
		return "invalid_metadata", "", true
	case errors.Is(err, oauth2.ErrCallback):
		return "invalid_callback", "", true
	}
	return "", "", false
}

func init() {
	codes = append(codes, struct {
		kind error
		code string
	}{oauth2.ErrConfig, "invalid_request"})
}

// logout(resolve, reject): a client's logout (its OAuth Source's: the
// refresh token revoked, then the access token, both forgotten); it
// rejects for a client whose auth is not OAuth.
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func jsLogout(s settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		settle(arg(args, 0), arg(args, 1), func() (any, error) {
			a, ok := s.auth.(*oauth2.Auth)
			if !ok {
				return nil, usage("invalid_request", "logout is for a client whose auth is oauth2")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*tokenTimeout)
			defer cancel()
			return nil, a.Source.Logout(ctx)
		})
		return nil
	}
}
