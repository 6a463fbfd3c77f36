//go:build js && wasm && !authlib_nooauth

package main

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/fetch"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/hack-pad/safejs"
)

// OAuth 2.0 in the JS API. authlib.mjs hands Go a token as the JSON text
// of requests-oauthlib's fields and gets tokens back the same way, so one
// string crosses each way; onToken gets JSON text too, which authlib.mjs
// parses.

// oauthConfig reads {issuer | tokenURL, deviceURL, authorizationURL,
// clientId, clientSecret, clientAuth, scope, redirectURI}.
func oauthConfig(v safejs.Value) (*oauth2.Config, error) {
	if v.Type() != safejs.TypeObject {
		return nil, usage("invalid_request", "OAuth options are an object with clientId and issuer or tokenURL")
	}
	opt := func(name string) (string, error) {
		x := prop(v, name)
		if nullish(x) {
			return "", nil
		}
		s, ok := str(x)
		if !ok {
			return "", usage("invalid_request", "oauth2 option "+name+" must be a string")
		}
		return s, nil
	}
	c := &oauth2.Config{Transport: &fetch.Transport{}}
	names := []string{"issuer", "tokenURL", "deviceURL", "authorizationURL", "clientId", "clientSecret", "redirectURI"}
	dsts := []*string{&c.Issuer, &c.TokenURL, &c.DeviceURL, &c.AuthURL, &c.ClientID, &c.ClientSecret, &c.RedirectURL}
	for i, name := range names {
		s, err := opt(name)
		if err != nil {
			return nil, err
		}
		*dsts[i] = s
	}
	if c.ClientID == "" {
		return nil, usage("invalid_request", "oauth2 needs clientId")
	}
	if c.Issuer == "" && c.TokenURL == "" && c.AuthURL == "" && c.DeviceURL == "" {
		return nil, usage("invalid_request", "oauth2 needs issuer, or the endpoint URLs (tokenURL, …)")
	}
	ca, err := opt("clientAuth")
	if err != nil {
		return nil, err
	}
	switch ca {
	case "":
	case "basic":
		c.AuthStyle = oauth2.AuthBasic
	case "post":
		c.AuthStyle = oauth2.AuthPost
	case "none":
		c.AuthStyle = oauth2.AuthNone
	default:
		return nil, usage("invalid_request", "clientAuth is \"basic\", \"post\" or \"none\"")
	}
	if c.AuthStyle != oauth2.AuthNone && c.AuthStyle != oauth2.AuthAuto && c.ClientSecret == "" {
		return nil, usage("invalid_credentials", "clientAuth "+ca+" needs clientSecret")
	}
	scope := prop(v, "scope")
	switch {
	case nullish(scope):
	case isArray(scope):
		err := each(scope, func(_ int, e safejs.Value) error {
			s, ok := str(e)
			if !ok {
				return usage("invalid_request", "scope is a string or an array of strings")
			}
			c.Scopes = append(c.Scopes, s)
			return nil
		})
		if err != nil {
			return nil, err
		}
	default:
		s, ok := str(scope)
		if !ok {
			return nil, usage("invalid_request", "scope is a string or an array of strings")
		}
		c.Scopes = strings.Fields(s)
	}
	return c, nil
}

// oauthAuth is auth {type: 'oauth2', …, token, onToken}: a Bearer scheme
// over a Source. Without a token, a client with a secret uses client
// credentials; with one, its refresh token renews it.
func oauthAuth(v safejs.Value) (authlib.Auth, error) {
	c, err := oauthConfig(v)
	if err != nil {
		return nil, err
	}
	var tok *oauth2.Token
	if t := prop(v, "token"); !nullish(t) {
		s, ok := str(t)
		if !ok {
			return nil, usage("invalid_credentials", "auth.token is a token object")
		}
		if tok, err = oauth2.ParseToken(s, time.Now()); err != nil {
			return nil, err
		}
	}
	src := oauth2.NewSource(c, tok)
	if fn := prop(v, "onToken"); fn.Type() == safejs.TypeFunction {
		src.OnToken = func(t *oauth2.Token) { fn.Invoke(t.JSON(time.Now())) }
	}
	return &oauth2.Auth{Source: src}, nil
}

// oauth2Discover(issuer, resolve, reject) → the metadata object.
func jsOAuthDiscover(_ safejs.Value, args []safejs.Value) any {
	issuer, _ := str(arg(args, 0))
	settle(arg(args, 1), arg(args, 2), func() (any, error) {
		m, err := oauth2.Discover(context.Background(), &fetch.Transport{}, issuer)
		if err != nil {
			return nil, err
		}
		return safejs.ValueOf(m.Raw)
	})
	return nil
}

// oauth2Authorize(options, params, resolve, reject) → {url, state,
// codeVerifier}; params is a query string of extra parameters.
func jsOAuthAuthorize(_ safejs.Value, args []safejs.Value) any {
	settle(arg(args, 2), arg(args, 3), func() (any, error) {
		c, err := oauthConfig(arg(args, 0))
		if err != nil {
			return nil, err
		}
		if c.AuthURL == "" && c.Issuer != "" {
			if _, err := c.Discover(context.Background(), c.Issuer); err != nil {
				return nil, err
			}
		}
		raw, _ := str(arg(args, 1))
		extra, err := url.ParseQuery(raw)
		if err != nil {
			return nil, usage("invalid_request", "params holds something that is not a string")
		}
		state, verifier := oauth2.NewState(), oauth2.NewVerifier()
		u, err := c.AuthCodeURL(state, verifier, extra)
		if err != nil {
			return nil, err
		}
		out := newObject()
		out.Set("url", u)
		out.Set("state", state)
		out.Set("codeVerifier", verifier)
		return out, nil
	})
	return nil
}

// oauth2Exchange(options, resolve, reject) → token JSON; options add
// callback, state and codeVerifier.
func jsOAuthExchange(_ safejs.Value, args []safejs.Value) any {
	settle(arg(args, 1), arg(args, 2), func() (any, error) {
		o := arg(args, 0)
		c, err := oauthConfig(o)
		if err != nil {
			return nil, err
		}
		cb, ok1 := str(prop(o, "callback"))
		state, ok2 := str(prop(o, "state"))
		verifier, ok3 := str(prop(o, "codeVerifier"))
		if !ok1 || !ok2 || !ok3 {
			return nil, usage("invalid_request", "exchange needs callback, state and codeVerifier (from authorize)")
		}
		tok, err := c.Exchange(context.Background(), cb, state, verifier)
		if err != nil {
			return nil, err
		}
		return tok.JSON(time.Now()), nil
	})
	return nil
}

// oauth2Device(options, onCode, signal, resolve, reject) → token JSON;
// onCode gets {user_code, verification_uri, verification_uri_complete,
// expires_in} once.
func jsOAuthDevice(_ safejs.Value, args []safejs.Value) any {
	onCode, sig := arg(args, 1), arg(args, 2)
	settle(arg(args, 3), arg(args, 4), func() (any, error) {
		c, err := oauthConfig(arg(args, 0))
		if err != nil {
			return nil, err
		}
		ctx, cancel, err := signalContext(sig)
		if err != nil {
			return nil, err
		}
		defer cancel()
		d, err := c.DeviceAuth(ctx)
		if err != nil {
			return nil, err
		}
		if onCode.Type() == safejs.TypeFunction {
			code := newObject()
			code.Set("user_code", d.UserCode)
			code.Set("verification_uri", d.VerificationURI)
			code.Set("verification_uri_complete", d.VerificationURIComplete)
			code.Set("expires_in", int(d.ExpiresIn/time.Second))
			if _, err := onCode.Invoke(code); err != nil {
				return nil, &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: "oauth2 device", Detail: "onCode threw", Err: thrown(err)}
			}
		}
		tok, err := c.DeviceToken(ctx, d)
		if err != nil {
			return nil, err
		}
		return tok.JSON(time.Now()), nil
	})
	return nil
}

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
