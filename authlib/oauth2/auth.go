package oauth2

import (
	"fmt"
	"io"
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// Auth is the authlib scheme of an OAuth 2.0 client (RFC 6750): it sets
// Authorization: Bearer with a token from Source, and answers a 401 whose
// WWW-Authenticate says Bearer error="invalid_token" by getting a new
// token once and sending the request again, when the Source can get one;
// otherwise the 401 is the answer. A 403 insufficient_scope is returned
// as it is. Like every credential, the token goes only to the request's
// origin (and the Client's Origins).
type Auth struct {
	Source *Source
}

// Format prints no token.
func (a Auth) Format(f fmt.State, verb rune) { io.WriteString(f, "oauth2.Auth{}") }

// Apply sets the Bearer token, getting one first if needed.
func (a *Auth) Apply(req *authlib.Request) error {
	t, err := a.Source.Token(req.Context())
	if err != nil {
		return err
	}
	v, err := authlib.Bearer{Token: t.AccessToken}.HeaderValue()
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", v)
	return nil
}

// Challenge renews a token the server refused as invalid_token, once.
func (a *Auth) Challenge(req *authlib.Request, res *authlib.Response, round int) (bool, error) {
	if res.StatusCode != 401 || round > 0 || !invalidToken(res) {
		return false, nil
	}
	sent := ""
	if res.Request != nil {
		sent, _ = strings.CutPrefix(res.Request.Header.Get("Authorization"), "Bearer ")
	}
	if !a.Source.Invalidate(sent) {
		return false, nil
	}
	if err := a.Apply(req); err != nil {
		return false, err
	}
	return true, nil
}

// invalidToken reports a Bearer challenge with error="invalid_token" (RFC
// 6750 §3.1).
func invalidToken(res *authlib.Response) bool {
	cs, _ := authlib.ParseChallenges(res.Header.Values("WWW-Authenticate")...)
	for _, c := range cs {
		if e, _ := c.Param("error"); c.Is("Bearer") && e == "invalid_token" {
			return true
		}
	}
	return false
}
