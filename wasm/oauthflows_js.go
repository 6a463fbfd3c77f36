//go:build js && wasm && !authlib_nooauth && !authlib_nooauthflows

package main

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/fetch"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/hack-pad/safejs"
)

// oauth2(op, settings, extra, onCode, signal, resolve, reject) runs one
// flow of authlib.oauth2, cancelled by signal when one is given, and
// resolves with a string:
//   - "discover": extra is the issuer; the metadata's JSON text.
//   - "authorize": extra holds the extra parameters as lines of name and
//     value; the lines url, state and codeVerifier.
//   - "exchange": the settings hold callback, state and codeVerifier; the
//     token's JSON text.
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
		if op == "discover" {
			m, err := oauth2.Discover(ctx, &fetch.Transport{}, extra)
			if err != nil {
				return nil, err
			}
			return m.JSON, nil
		}
		c, v, err := oauthSettings(lines)
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
			kv := strings.Split(extra, "\n")
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i+1] == "\x00" {
					return nil, usage("invalid_request", "params "+kv[i]+" holds a line break")
				}
				params[kv[i]] = append(params[kv[i]], kv[i+1])
			}
			state, verifier := oauth2.NewState(), oauth2.NewVerifier()
			u, err := c.AuthCodeURL(state, verifier, params)
			if err != nil {
				return nil, err
			}
			return u + "\n" + state + "\n" + verifier, nil
		case "exchange":
			if v[optCallback] == "" || v[optState] == "" || v[optVerifier] == "" {
				return nil, usage("invalid_request", "exchange needs callback, state and codeVerifier (from authorize)")
			}
			tok, err = c.Exchange(ctx, v[optCallback], v[optState], v[optVerifier])
		case "device":
			var d *oauth2.DeviceAuth
			if d, err = c.DeviceAuth(ctx); err != nil {
				return nil, err
			}
			if onCode.Type() == safejs.TypeFunction {
				code := d.UserCode + "\n" + d.VerificationURI + "\n" + d.VerificationURIComplete + "\n" + strconv.Itoa(int(d.ExpiresIn/time.Second))
				if _, err := onCode.Invoke(code); err != nil {
					return nil, &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: "oauth2 device", Detail: "onCode threw", Err: thrown(err)}
				}
			}
			tok, err = c.DeviceToken(ctx, d)
		default:
			return nil, usage("invalid_request", "no such OAuth flow")
		}
		if err != nil {
			return nil, err
		}
		return tok.JSON(time.Now()), nil
	})
	return nil
}
