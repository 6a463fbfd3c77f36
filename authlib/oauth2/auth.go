package oauth2

import (
	"fmt"
	"io"
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// Auth is the authlib scheme of an OAuth 2.0 client: it sets the token
// from Source as Authorization: Bearer (RFC 6750), or, for a DPoP-bound
// token, as Authorization: DPoP with a proof of the Config's DPoP key in
// the DPoP header (RFC 9449 §7), never as Bearer. It answers a 401 whose
// WWW-Authenticate says error="invalid_token" by getting a new token once
// and sending the request again, when the Source can get one; and a 401
// DPoP error="use_dpop_nonce" by sending the request again once with the
// resource's new DPoP-Nonce (§9). Otherwise the 401 is the answer; a 403
// insufficient_scope is returned as it is. Like every credential, the
// token goes only to the request's origin (and the Client's Origins), and
// a token for resources (Config.Resources) only within them.
type Auth struct {
	Source *Source
}

// Bounds returns the resources the Config's tokens are for (see
// [authlib.Bounded]): a token asked for with RFC 8707's resource goes only
// within them; none means the request's origin, as for any Auth.
func (a *Auth) Bounds() []string { return a.Source.Config.Resources }

// Format prints no token.
func (a Auth) Format(f fmt.State, verb rune) { io.WriteString(f, "oauth2.Auth{}") }

// Apply sets the token, getting one first if needed, and its DPoP proof.
func (a *Auth) Apply(req *authlib.Request) error { return a.apply(req, req) }

// apply is Apply for a request the Client will finish as owner: req
// itself, or, for an answer to a challenge, the request that got it (see
// authlib.Finisher).
func (a *Auth) apply(req, owner *authlib.Request) error {
	t, err := a.Source.Token(req.Context())
	if err != nil {
		return err
	}
	v, err := authlib.Bearer{Token: t.AccessToken}.HeaderValue()
	if err != nil {
		return err
	}
	if t.TokenType == "DPoP" {
		d := a.Source.Config.DPoP
		if d == nil {
			return &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "oauth2 dpop", Detail: "the token is DPoP-bound and the Config has no DPoP key"}
		}
		jkt, err := d.thumbprint(req.Context())
		if err != nil {
			return err
		}
		if t.KeyThumbprint != "" && t.KeyThumbprint != jkt {
			return &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "oauth2 dpop", Detail: "the token is bound to another DPoP key than the Config's"}
		}
		nonce, prober, err := d.resourceNonce(req.Context(), req.URL, owner)
		if err != nil {
			return err
		}
		proof, err := d.Proof(req.Context(), req.Method, req.URL.String(), t.AccessToken, nonce)
		if err != nil {
			if prober { // no request will learn the nonce: let the others go
				d.mu.Lock()
				d.endProbe("rs "+authlib.Origin(req.URL), owner)
				d.mu.Unlock()
			}
			return err
		}
		v = "DPoP " + strings.TrimPrefix(v, "Bearer ")
		req.Header.Set("DPoP", proof)
	}
	req.Header.Set("Authorization", v)
	return nil
}

// Challenge renews a token the server refused as invalid_token, once, and
// answers a DPoP nonce challenge with the nonce it brings.
func (a *Auth) Challenge(req *authlib.Request, res *authlib.Response, round int) (bool, error) {
	if res.StatusCode != 401 {
		return false, nil
	}
	sent := finished(req, res)
	scheme, tok, _ := strings.Cut(sent.Header.Get("Authorization"), " ")
	switch {
	case scheme == "DPoP" && a.Source.Config.DPoP != nil && challenged(res, "DPoP", "use_dpop_nonce"):
		// The nonce the proof sent already is no answer: the request is
		// not sent again with it. (Requests sent together before the
		// first nonce each get the challenge; each goes again once.)
		d := a.Source.Config.DPoP
		d.keepNonce("rs", req.URL, res.Header.Get("DPoP-Nonce"))
		if n := d.nonce("rs", req.URL); n == "" || n == proofNonce(sent.Header.Get("DPoP")) {
			return false, nil
		}
	case round == 0 && challenged(res, scheme, "invalid_token"):
		if !a.Source.Invalidate(tok) {
			return false, nil
		}
	default:
		return false, nil
	}
	if err := a.apply(req, sent); err != nil {
		return false, err
	}
	return true, nil
}

// Finish keeps the DPoP-Nonce a resource sent with its answer, for the
// next proof sent there (RFC 9449 §9: it may send a new one at any time),
// and, for a first request to the resource, lets those waiting for the
// nonce it learned go.
func (a *Auth) Finish(req *authlib.Request, res *authlib.Response) {
	d := a.Source.Config.DPoP
	if d == nil {
		return
	}
	if res != nil && res.Request != nil && res.Request.Header.Get("DPoP") != "" {
		d.keepNonce("rs", req.URL, res.Header.Get("DPoP-Nonce"))
	}
	d.finishProbe(req, res)
}

// challenged reports a challenge of scheme (Bearer, RFC 6750 §3.1, or
// DPoP, RFC 9449 §7.1) with the error code.
func challenged(res *authlib.Response, scheme, code string) bool {
	cs, _ := authlib.ParseChallenges(res.Header.Values("WWW-Authenticate")...)
	for _, c := range cs {
		if e, _ := c.Param("error"); c.Is(scheme) && e == code {
			return true
		}
	}
	return false
}
