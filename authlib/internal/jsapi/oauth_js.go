//go:build js && wasm && !authlib_nooauth

package jsapi

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/jsfetch"
	"github.com/authlib-go/authlib/authlib/internal/wire"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/hack-pad/safejs"
)

// OAuth 2.0 in the JS API. Its settings cross as the oauth fields of a
// wire message (the scheme's in a call, a flow's in its own), a saved token
// as JSON text; tokens and metadata go back as JSON text, which
// authlib.mjs parses.

// oauthConfig checks the OAuth settings o and makes a Config of them;
// keys is the function an OAuth client's keys crossed as (see
// keysFunction in httpsig.mjs), or undefined. A registration needs no
// clientId yet (anonymous).
func oauthConfig(o wire.OAuth, keys safejs.Value, anonymous bool) (*oauth2.Config, error) {
	for _, v := range [...]struct{ name, value string }{{"issuer", o.Issuer}, {"tokenURL", o.TokenURL}, {"deviceURL", o.DeviceURL},
		{"authorizationURL", o.AuthURL}, {"clientId", o.ClientID}, {"clientSecret", o.ClientSecret}, {"clientAuth", o.ClientAuth},
		{"redirectURI", o.RedirectURI}, {"scope", o.Scope}, {"callback", o.Callback}, {"state", o.State}, {"codeVerifier", o.CodeVerifier},
		{"revocationURL", o.RevocationURL}, {"tokenTypeHint", o.TokenTypeHint}, {"registrationURL", o.RegistrationURL}, {"parURL", o.PARURL},
		{"clientKeyId", o.ClientKeyID}, {"par", o.PAR}, {"initialAccessToken", o.InitialAccessToken}} {
		if v.value == wire.Bad || strings.ContainsAny(v.value, "\r\n") {
			return nil, usage("invalid_request", "oauth2 option "+v.name+" must be a string (a scope may be an array of them), without line breaks")
		}
	}
	for _, r := range o.Resources {
		if r == wire.Bad || strings.ContainsAny(r, "\r\n") {
			return nil, usage("invalid_request", "oauth2 option resource must be a URL string or an array of them")
		}
	}
	c := &oauth2.Config{Transport: &jsfetch.Transport{Timeout: tokenTimeout}, Timeout: -1, Issuer: o.Issuer, TokenURL: o.TokenURL,
		DeviceURL: o.DeviceURL, AuthURL: o.AuthURL, RevocationURL: o.RevocationURL, ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURI,
		RegistrationURL: o.RegistrationURL, PARURL: o.PARURL, PAR: o.PAR == "true", ClientKeyID: o.ClientKeyID, Resources: o.Resources}
	if o.Scope != "" {
		c.Scopes = []string{o.Scope} // space-separated, as authlib.mjs joined it
	}
	if c.ClientID == "" && !anonymous {
		return nil, usage("invalid_request", "oauth2 needs clientId (or, to log in from a resource's 401, resource and onAuthorize)")
	}
	if c.Issuer == "" && c.TokenURL == "" && c.AuthURL == "" && c.DeviceURL == "" && c.RevocationURL == "" && c.RegistrationURL == "" && !o.OnAuthorize {
		return nil, usage("invalid_request", "oauth2 needs issuer, or the endpoint URLs (tokenURL, …)")
	}
	ca := o.ClientAuth
	for i, name := range [...]string{"", "basic", "post", "none", "private_key_jwt", "client_secret_jwt"} {
		if ca == name {
			c.AuthStyle = oauth2.AuthStyle(i)
		}
	}
	hasKeys := keys.Type() == safejs.TypeFunction
	switch {
	case c.AuthStyle == oauth2.AuthAuto && ca != "":
		return nil, usage("invalid_request", "clientAuth is \"basic\", \"post\", \"none\", \"private_key_jwt\" or \"client_secret_jwt\"")
	case c.AuthStyle == oauth2.AuthPrivateKeyJWT:
		if !hasKeys || o.ClientKeyAlg == "" {
			return nil, usage("invalid_credentials", "clientAuth private_key_jwt needs clientKey")
		}
		c.ClientKey = jsSigner{fn: keys, alg: o.ClientKeyAlg, which: wire.KeyClient}
	case c.AuthStyle != oauth2.AuthNone && c.AuthStyle != oauth2.AuthAuto && c.ClientSecret == "":
		return nil, usage("invalid_credentials", "clientAuth "+ca+" needs clientSecret")
	}
	if o.DPoP != "" {
		alg := map[string]string{"ES256": "ecdsa-p256-sha256", "EdDSA": "ed25519"}[o.DPoP]
		if !hasKeys || alg == "" {
			return nil, usage("invalid_credentials", "dpop is true, a CryptoKeyPair, or { keyPair, alg } with alg ES256 or EdDSA")
		}
		c.DPoP = &oauth2.DPoP{Key: jsSigner{fn: keys, alg: alg, which: wire.KeyDPoP}, LoadJWK: jsJWK(keys)}
	}
	return c, nil
}

// jsJWK returns the DPoP key's public JWK from the keys function: JWK
// text from WebCrypto, or a promise of it, which a request prepared in a
// context of authlib.NoWait does not wait for.
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func jsJWK(keys safejs.Value) func(ctx context.Context) (oauth2.JWK, error) {
	return func(ctx context.Context) (oauth2.JWK, error) {
		p, err := askJS(ctx, keys, wire.KeyJWK, "", func(cause error) error {
			return &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "oauth2 dpop", Detail: "WebCrypto could not make or export the DPoP key", Err: cause}
		})
		if err != nil {
			return oauth2.JWK{}, err
		}
		text, _ := str(p)
		return oauth2.ParseJWK(text)
	}
}

// oauthAuth is auth {type: 'oauth2', …}: a Bearer scheme over a Source.
// Without a token, a client with a secret uses client credentials; with
// one, its refresh token renews it. onToken, when a function, gets each
// new token as JSON text.
func oauthAuth(o wire.OAuth, onToken, keys safejs.Value) (authlib.Auth, error) {
	c, err := oauthConfig(o, keys, o.OnAuthorize)
	if err != nil {
		return nil, err
	}
	if o.OnAuthorize {
		return resourceLogin(o, c, onToken, keys)
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
	if st := jsStore(o, c, keys); st != nil {
		src.Store = st
	}
	if onToken.Type() == safejs.TypeFunction {
		src.OnToken = func(t *oauth2.Token) { onToken.Invoke(t.JSON(time.Now())) }
	}
	return &oauth2.Auth{Source: src}, nil
}

// resourceLogin is auth {type: 'oauth2', resource, onAuthorize, …}: a
// client that logs in on the resource's first 401 (oauth2.ResourceLogin),
// onAuthorize taking the user to the authorization URL and resolving to
// the callback URL.
func resourceLogin(o wire.OAuth, c *oauth2.Config, onToken, keys safejs.Value) (authlib.Auth, error) {
	if len(o.Resources) != 1 || keys.Type() != safejs.TypeFunction || o.Token != "" {
		return nil, usage("invalid_request", "onAuthorize logs a client in to one resource: give resource, one URL, and no token")
	}
	l := &oauth2.ResourceLogin{Resource: o.Resources[0], Config: c, Authorize: jsAuthorize(keys)}
	if onToken.Type() == safejs.TypeFunction {
		l.OnToken = func(t *oauth2.Token) { onToken.Invoke(t.JSON(time.Now())) }
	}
	return l, nil
}

// jsAuthorize calls onAuthorize through the keys function, and waits for
// the callback URL it resolves to.
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func jsAuthorize(keys safejs.Value) func(ctx context.Context, u string) (string, error) {
	return func(ctx context.Context, u string) (string, error) {
		p, err := askJS(ctx, keys, wire.KeyAuthorize, u, func(cause error) error {
			return &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: "oauth2 login", Detail: "onAuthorize threw or its promise was rejected", Err: cause}
		})
		if err != nil {
			return "", err
		}
		cb, _ := str(p)
		return cb, nil
	}
}

// tokenTimeout bounds each request to an authorization server, as a JS
// timer (see oauth2.Config.Timeout).
const tokenTimeout = 30 * time.Second

// isOAuth reports the OAuth scheme.
func isOAuth(a authlib.Auth) bool {
	_, ok := a.(*oauth2.Auth)
	return ok
}

// cachedBearer returns the OAuth token held now as a plain Bearer (bound
// to the resources it is for, when it is for some), and
// until when it may be sent (zero: no end), or nil when getting one needs
// a token request. A DPoP token stays with its Auth, which makes a proof
// for each request.
func cachedBearer(a authlib.Auth) (authlib.Auth, time.Time) {
	tok, until, ok := a.(*oauth2.Auth).Source.Cached()
	switch {
	case !ok:
		return nil, until
	case tok.TokenType == "DPoP":
		return a, until
	}
	if r := a.(*oauth2.Auth).Source.Config.Resources; len(r) > 0 {
		return boundBearer{authlib.Bearer{Token: tok.AccessToken}, r}, until
	}
	return authlib.Bearer{Token: tok.AccessToken}, until
}

// dpopBound reports an OAuth scheme with a DPoP key: each request gets a
// proof of its own, and what was prepared for one is not reused.
func dpopBound(a authlib.Auth) bool {
	o, ok := a.(*oauth2.Auth)
	return ok && o.Source.Config.DPoP != nil
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
	codes = append(codes, []struct {
		kind error
		code string
	}{{oauth2.ErrConfig, "invalid_request"}, {oauth2.ErrNoToken, "login_required"}, {oauth2.ErrStore, "store"}, {oauth2.ErrConflict, "store"}}...)
}

// logout(resolve, reject): a client's logout (its OAuth Source's: the
// refresh token revoked, then the access token, both forgotten); it
// rejects for a client whose auth is not OAuth.
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func jsLogout(s settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		settle(arg(args, 0), arg(args, 1), func() (any, error) {
			// Each request to the server is bounded by a JS timer (the
			// Config's transport); a Go timer would keep Node alive.
			ctx := context.Background()
			switch a := s.auth.(type) {
			case *oauth2.Auth:
				return nil, a.Source.Logout(ctx)
			case *oauth2.ResourceLogin:
				return nil, a.Logout(ctx)
			}
			return nil, usage("invalid_request", "logout is for a client whose auth is oauth2")
		})
		return nil
	}
}
