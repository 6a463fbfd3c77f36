//go:build js && wasm && !authlib_lite

package jsapi

import (
	"context"
	"net/url"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/jsfetch"
	"github.com/authlib-go/authlib/authlib/internal/wire"
	"github.com/hack-pad/safejs"
)

// oauth1(op, msg, resolve, reject): the legs of OAuth 1.0a's three-legged
// flow that send a request, op "requestToken" or "accessToken"; msg holds
// url and the oauth1 auth fields (auth.verifier for the access token).
// Resolves to a message of the answer's fields, each an oauth.param
// "name=value" form-urlencoded.
func jsOAuth1(_ safejs.Value, args []safejs.Value) any {
	op, _ := str(arg(args, 0))
	msg := arg(args, 1)
	settle(arg(args, 2), arg(args, 3), func() (any, error) {
		m, err := decode(msg)
		if err != nil {
			return nil, err
		}
		var s settings
		if err := s.apply(m, safejs.Undefined(), safejs.Undefined()); err != nil {
			return nil, err
		}
		o, ok := s.auth.(authlib.OAuth1)
		if !ok {
			return nil, usage("invalid_credentials", "the flow needs the oauth1 credentials (clientKey, clientSecret)")
		}
		endpoint, _ := m.Get("url")
		if endpoint == wire.Bad {
			return nil, usage("invalid_url", "the endpoint must be a string")
		}
		// Each fetch is bounded by a JS timer (the transport's Timeout); a
		// Go timer would keep Node alive until it fired, stopped or not.
		ctx := context.Background()
		tr := &jsfetch.Transport{Timeout: 30 * time.Second}
		var tok authlib.OAuth1Token
		switch op {
		case "requestToken":
			tok, err = o.RequestToken(ctx, tr, endpoint)
		case "accessToken":
			tok, err = o.AccessToken(ctx, tr, endpoint, o.Verifier)
		default:
			return nil, usage("invalid_request", "unknown oauth1 operation")
		}
		if err != nil {
			return nil, err
		}
		out := &wire.Message{}
		out.Add("oauth.param", "oauth_token="+url.QueryEscape(tok.Token))
		out.Add("oauth.param", "oauth_token_secret="+url.QueryEscape(tok.Secret))
		for k, v := range tok.Extra {
			out.Add("oauth.param", url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
		return out.Encode(), nil
	})
	return nil
}
