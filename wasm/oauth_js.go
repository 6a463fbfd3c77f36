//go:build js && wasm && !authlib_nooauth

package main

import (
	"errors"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/fetch"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/hack-pad/safejs"
)

// OAuth 2.0 in the JS API. authlib.mjs hands Go the settings as one line
// each (oauthLines), a token among them as the JSON text of
// requests-oauthlib's fields, and gets tokens and metadata back as JSON
// text, which it parses: one string crosses each way.

// oauthOptions are the settings authlib.mjs sends (oauthLines), one line
// each in this order, empty when not given, NUL when not a string or
// holding a line break.
var oauthOptions = [...]string{"issuer", "tokenURL", "deviceURL", "authorizationURL", "clientId", "clientSecret", "clientAuth",
	"redirectURI", "scope", "callback", "state", "codeVerifier", "token"}

// The positions in oauthOptions of the settings that are not a Config's.
const (
	optCallback = iota + 9
	optState
	optVerifier
	optToken
)

// oauthSettings reads the lines of oauthLines into a Config, and returns
// them for the settings that are not the Config's.
func oauthSettings(lines string) (*oauth2.Config, []string, error) {
	v := strings.Split(lines, "\n")
	if len(v) != len(oauthOptions) {
		return nil, nil, usage("invalid_request", "OAuth options are an object with clientId and issuer or tokenURL")
	}
	for i, x := range v {
		if x == "\x00" {
			return nil, nil, usage("invalid_request", "oauth2 option "+oauthOptions[i]+" must be a string (a scope may be an array of them), without line breaks")
		}
	}
	c := &oauth2.Config{Transport: &fetch.Transport{Timeout: tokenTimeout}, Timeout: -1, Issuer: v[0], TokenURL: v[1], DeviceURL: v[2], AuthURL: v[3],
		ClientID: v[4], ClientSecret: v[5], RedirectURL: v[7]}
	if v[8] != "" {
		c.Scopes = []string{v[8]} // space-separated, as authlib.mjs joined it
	}
	if c.ClientID == "" {
		return nil, nil, usage("invalid_request", "oauth2 needs clientId")
	}
	if c.Issuer == "" && c.TokenURL == "" && c.AuthURL == "" && c.DeviceURL == "" {
		return nil, nil, usage("invalid_request", "oauth2 needs issuer, or the endpoint URLs (tokenURL, …)")
	}
	ca := v[6]
	for i, name := range [...]string{"", "basic", "post", "none"} {
		if ca == name {
			c.AuthStyle = oauth2.AuthStyle(i)
		}
	}
	if c.AuthStyle == oauth2.AuthAuto && ca != "" {
		return nil, nil, usage("invalid_request", "clientAuth is \"basic\", \"post\" or \"none\"")
	}
	if c.AuthStyle != oauth2.AuthNone && c.AuthStyle != oauth2.AuthAuto && c.ClientSecret == "" {
		return nil, nil, usage("invalid_credentials", "clientAuth "+ca+" needs clientSecret")
	}
	return c, v, nil
}

// oauthAuth is auth {type: 'oauth2', settings, onToken}: a Bearer scheme
// over a Source. Without a token, a client with a secret uses client
// credentials; with one, its refresh token renews it.
func oauthAuth(v safejs.Value) (authlib.Auth, error) {
	lines, _ := str(prop(v, "settings"))
	c, m, err := oauthSettings(lines)
	if err != nil {
		return nil, err
	}
	var tok *oauth2.Token
	if t := m[optToken]; t != "" {
		if tok, err = oauth2.ParseToken(t, time.Now()); err != nil {
			return nil, err
		}
	}
	src := oauth2.NewSource(c, tok)
	if fn := prop(v, "onToken"); fn.Type() == safejs.TypeFunction {
		src.OnToken = func(t *oauth2.Token) { fn.Invoke(t.JSON(time.Now())) }
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
