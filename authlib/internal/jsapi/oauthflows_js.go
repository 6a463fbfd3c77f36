//go:build js && wasm && !authlib_nooauth && !authlib_nooauthflows

package jsapi

import (
	"net/url"
	"strconv"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/jsfetch"
	"github.com/authlib-go/authlib/authlib/internal/wire"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/hack-pad/safejs"
)

// oauth2(op, settings, extra, onCode, signal, resolve, reject, keys) runs
// one flow of authlib.oauth2, cancelled by signal when one is given, with
// keys the OAuth keys function when there are keys (DPoP's, a client
// key), and resolves with a string:
//   - "discover": extra is the issuer; the metadata's JSON text.
//   - "discoverResource": extra is the resource's URL (RFC 9728); its
//     metadata's JSON text.
//   - "register": the settings hold the metadata (RFC 7591); the
//     server's answer, JSON text.
//   - "authorize": the settings hold the extra parameters; the lines url,
//     state and codeVerifier; pushed (RFC 9126) when par is true or the
//     server requires it.
//   - "exchange": the settings hold callback, state and codeVerifier; the
//     token's JSON text.
//   - "revoke": extra is the token to revoke (RFC 7009), the settings
//     hold its tokenTypeHint; "".
//   - "device": onCode gets the lines user_code, verification_uri,
//     verification_uri_complete and expires_in once (printable ASCII, as
//     DeviceAuth checks); the token's JSON text.
func jsOAuth2(_ safejs.Value, args []safejs.Value) any {
	op, _ := str(arg(args, 0))
	lines, _ := str(arg(args, 1))
	extra, _ := str(arg(args, 2))
	onCode, sig := arg(args, 3), arg(args, 4)
	settle(arg(args, 5), arg(args, 6), func() (any, error) {
		ctx, release, err := signalContext(sig)
		if err != nil {
			return nil, err
		}
		defer release(true)
		switch op {
		case "discover":
			m, err := oauth2.Discover(ctx, &jsfetch.Transport{}, extra)
			if err != nil {
				return nil, err
			}
			return m.JSON, nil
		case "discoverResource":
			m, err := oauth2.DiscoverResource(ctx, &jsfetch.Transport{}, extra, nil)
			if err != nil {
				return nil, err
			}
			return m.JSON, nil
		}
		m, err := wire.Decode(lines)
		if err != nil {
			return nil, usage("invalid_request", callUnreadable)
		}
		if m.Len() == 0 {
			return nil, usage("invalid_request", "OAuth options are an object with clientId and issuer or tokenURL")
		}
		o := wire.ReadOAuth(m)
		c, err := oauthConfig(o, arg(args, 7), op == "register")
		if err != nil {
			return nil, err
		}
		var tok *oauth2.Token
		switch op {
		case "authorize":
			if c.AuthURL == "" && c.Issuer != "" {
				if _, err := c.Discover(ctx, c.Issuer); err != nil {
					return nil, err
				}
			}
			params := url.Values{}
			for i := 0; i+1 < len(o.Params); i += 2 {
				name, err1 := url.QueryUnescape(o.Params[i])
				value, err2 := url.QueryUnescape(o.Params[i+1])
				if err1 != nil || err2 != nil {
					return nil, usage("invalid_request", "params is a record of strings")
				}
				params[name] = append(params[name], value)
			}
			state, verifier := oauth2.NewState(), oauth2.NewVerifier()
			var u string
			var md *oauth2.Metadata
			if c.Issuer != "" {
				md, _ = oauth2.Discover(ctx, c.Transport, c.Issuer) // cached
			}
			if o.PAR == "true" || md != nil && md.PARRequired {
				u, err = c.PushAuthCodeURL(ctx, state, verifier, params)
			} else {
				u, err = c.AuthCodeURL(state, verifier, params)
			}
			if err != nil {
				return nil, err
			}
			out := &wire.Message{}
			out.Add("url", u)
			out.Add("oauth.state", state)
			out.Add("oauth.codeVerifier", verifier)
			return out.Encode(), nil
		case "exchange":
			if o.Callback == "" || o.State == "" || o.CodeVerifier == "" {
				return nil, usage("invalid_request", "exchange needs callback, state and codeVerifier (from authorize)")
			}
			tok, err = c.Exchange(ctx, o.Callback, o.State, o.CodeVerifier)
		case "register":
			r, err := c.RegisterJSON(ctx, o.Metadata, o.InitialAccessToken)
			if err != nil {
				return nil, err
			}
			return r.JSON, nil
		case "revoke":
			switch o.TokenTypeHint {
			case "", "access_token", "refresh_token":
			default:
				return nil, usage("invalid_request", "tokenTypeHint is access_token or refresh_token")
			}
			if err := c.Revoke(ctx, extra, o.TokenTypeHint); err != nil {
				return nil, err
			}
			return "", nil
		case "device":
			var d *oauth2.DeviceAuth
			if d, err = c.DeviceAuth(ctx); err != nil {
				return nil, err
			}
			if onCode.Type() == safejs.TypeFunction {
				code := &wire.Message{}
				code.Add("code.user", d.UserCode)
				code.Add("code.uri", d.VerificationURI)
				code.Add("code.uriComplete", d.VerificationURIComplete)
				code.Add("code.expiresIn", strconv.Itoa(int(d.ExpiresIn/time.Second)))
				if _, err := onCode.Invoke(code.Encode()); err != nil {
					return nil, &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: "oauth2 device", Detail: "onCode threw", Err: thrown(err)}
				}
			}
			tok, err = c.DeviceToken(ctx, d)
		default:
			return nil, usage("invalid_request", "no such OAuth flow")
		}
		if err == nil {
			err = keep(ctx, jsStore(o, c, arg(args, 7)), tok)
		}
		if err != nil {
			return nil, err
		}
		return tok.JSON(time.Now()), nil
	})
	return nil
}
