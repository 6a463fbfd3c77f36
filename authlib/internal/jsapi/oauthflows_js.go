//go:build js && wasm && !authlib_nooauth && !authlib_nooauthflows

package jsapi

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/jsfetch"
	"github.com/authlib-go/authlib/authlib/internal/wire"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/hack-pad/safejs"
)

// oauth2(op, settings, onCode, signal, resolve, reject, keys) runs one
// flow of authlib.oauth2 (flows, by op) with the settings message,
// cancelled by signal when one is given, keys the OAuth keys function
// when there are keys (wasm/keys.mjs), and resolves with a string.
func jsOAuth2(_ safejs.Value, args []safejs.Value) any {
	op, _ := str(arg(args, 0))
	lines, _ := str(arg(args, 1))
	f := flow{onCode: arg(args, 2), keys: arg(args, 6)}
	sig := arg(args, 3)
	settle(arg(args, 4), arg(args, 5), func() (any, error) {
		run, ok := flows[op]
		if !ok {
			return nil, usage("invalid_request", "no such OAuth flow")
		}
		ctx, release, err := signalContext(sig)
		if err != nil {
			return nil, err
		}
		defer release(true)
		f.ctx = ctx
		if f.m, err = wire.Decode(lines); err != nil {
			return nil, usage("invalid_request", callUnreadable)
		}
		f.o = wire.ReadOAuth(f.m)
		return run(&f)
	})
	return nil
}

// A flow is one call of authlib.oauth2: its settings, read, and what
// crossed beside them.
type flow struct {
	ctx    context.Context
	m      *wire.Message
	o      wire.OAuth
	onCode safejs.Value // device: the onCode function
	keys   safejs.Value // the keys function, or undefined
}

// config is the Config of the flow's settings; a registration needs no
// clientId yet.
func (f *flow) config(anonymous bool) (*oauth2.Config, error) {
	if f.m.Len() == 0 {
		return nil, usage("invalid_request", "OAuth options are an object with clientId and issuer or tokenURL")
	}
	return oauthConfig(f.o, f.keys, anonymous)
}

// token ends a flow that got tok: kept in the store, when there is one,
// and answered as JSON text.
func (f *flow) token(c *oauth2.Config, tok *oauth2.Token, err error) (any, error) {
	if err == nil {
		err = keep(f.ctx, jsStore(f.o, c, f.keys), tok)
	}
	if err != nil {
		return nil, err
	}
	return tok.JSON(time.Now()), nil
}

// flows are the flows of authlib.oauth2, by op; each answers a string.
var flows = map[string]func(f *flow) (any, error){
	// discover: the metadata of the issuer (oauth.issuer), JSON text.
	"discover": func(f *flow) (any, error) {
		m, err := oauth2.Discover(f.ctx, &jsfetch.Transport{}, f.o.Issuer)
		if err != nil {
			return nil, err
		}
		return m.JSON, nil
	},
	// discoverResource: the metadata of the resource at url (RFC 9728),
	// JSON text.
	"discoverResource": func(f *flow) (any, error) {
		u, _ := f.m.Get("url")
		m, err := oauth2.DiscoverResource(f.ctx, &jsfetch.Transport{}, u, nil)
		if err != nil {
			return nil, err
		}
		return m.JSON, nil
	},
	// register: the settings hold the metadata (RFC 7591); the server's
	// answer, JSON text.
	"register": func(f *flow) (any, error) {
		c, err := f.config(true)
		if err != nil {
			return nil, err
		}
		r, err := c.RegisterJSON(f.ctx, f.o.Metadata, f.o.InitialAccessToken)
		if err != nil {
			return nil, err
		}
		return r.JSON, nil
	},
	// authorize: the settings hold the extra parameters (oauth.param);
	// the message of url, oauth.state and oauth.codeVerifier. The request
	// is pushed (RFC 9126) when par is true or the server requires it.
	"authorize": func(f *flow) (any, error) {
		c, err := f.config(false)
		if err != nil {
			return nil, err
		}
		params := url.Values{}
		for i := 0; i+1 < len(f.o.Params); i += 2 {
			name, err1 := url.QueryUnescape(f.o.Params[i])
			value, err2 := url.QueryUnescape(f.o.Params[i+1])
			if err1 != nil || err2 != nil {
				return nil, usage("invalid_request", "params is a record of strings")
			}
			params[name] = append(params[name], value)
		}
		state, verifier := oauth2.NewState(), oauth2.NewVerifier()
		u, err := c.AuthorizationURL(f.ctx, state, verifier, params)
		if err != nil {
			return nil, err
		}
		out := &wire.Message{}
		out.Add("url", u)
		out.Add("oauth.state", state)
		out.Add("oauth.codeVerifier", verifier)
		return out.Encode(), nil
	},
	// exchange: the settings hold callback, state and codeVerifier; the
	// token's JSON text.
	"exchange": func(f *flow) (any, error) {
		c, err := f.config(false)
		if err != nil {
			return nil, err
		}
		if f.o.Callback == "" || f.o.State == "" || f.o.CodeVerifier == "" {
			return nil, usage("invalid_request", "exchange needs callback, state and codeVerifier (from authorize)")
		}
		tok, err := c.Exchange(f.ctx, f.o.Callback, f.o.State, f.o.CodeVerifier)
		return f.token(c, tok, err)
	},
	// revoke: oauth.token is the token to revoke (RFC 7009), with its
	// oauth.tokenTypeHint; "".
	"revoke": func(f *flow) (any, error) {
		c, err := f.config(false)
		if err != nil {
			return nil, err
		}
		switch f.o.TokenTypeHint {
		case "", "access_token", "refresh_token":
		default:
			return nil, usage("invalid_request", "tokenTypeHint is access_token or refresh_token")
		}
		if err := c.Revoke(f.ctx, f.o.RevokeToken, f.o.TokenTypeHint); err != nil {
			return nil, err
		}
		return "", nil
	},
	// device: onCode gets the message of code.user, code.uri,
	// code.uriComplete and code.expiresIn once (printable ASCII, as
	// DeviceAuth checks); the token's JSON text.
	"device": func(f *flow) (any, error) {
		c, err := f.config(false)
		if err != nil {
			return nil, err
		}
		d, err := c.DeviceAuth(f.ctx)
		if err != nil {
			return nil, err
		}
		if f.onCode.Type() == safejs.TypeFunction {
			code := &wire.Message{}
			code.Add("code.user", d.UserCode)
			code.Add("code.uri", d.VerificationURI)
			code.Add("code.uriComplete", d.VerificationURIComplete)
			code.Add("code.expiresIn", strconv.Itoa(int(d.ExpiresIn/time.Second)))
			if _, err := f.onCode.Invoke(code.Encode()); err != nil {
				return nil, &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: "oauth2 device", Detail: "onCode threw", Err: thrown(err)}
			}
		}
		tok, err := c.DeviceToken(f.ctx, d)
		return f.token(c, tok, err)
	},
}
