package oauth2

import (
	"context"
	"encoding/base64"
	"github.com/authlib-go/authlib/authlib/internal/hashes"
	"net/url"
	"sort"
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// NewVerifier returns a PKCE code verifier (RFC 7636 §4.1): 32 bytes from
// crypto/rand in base64url, 43 characters.
func NewVerifier() string { return random(32) }

// NewState returns a random state value for an authorization request.
func NewState() string { return random(24) }

func random(n int) string {
	b := make([]byte, n)
	authlib.Random(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// S256 returns the PKCE code challenge of verifier: base64url of its
// SHA-256 (RFC 7636 §4.2).
func S256(verifier string) string {
	h := hashes.Sum(hashes.NewSHA256, []byte(verifier))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// AuthCodeURL returns the URL of the authorization endpoint to send the
// user to (RFC 6749 §4.1.1), with PKCE S256 always (RFC 7636), dpop_jkt
// with [Config.DPoP] (RFC 9449 §10), and a resource parameter for each of
// Resources (RFC 8707). Keep state and verifier (NewState, NewVerifier)
// for [Config.Exchange]. extra adds parameters (prompt, login_hint, …); it
// cannot replace the ones above. A server whose metadata requires pushed
// authorization requests gets an error: use [Config.PushAuthCodeURL].
func (c *Config) AuthCodeURL(state, verifier string, extra url.Values) (string, error) {
	u, q, err := c.authRequest(state, verifier, extra)
	if err != nil {
		return "", err
	}
	if m := cached(strings.TrimSuffix(c.Issuer, "/")); m != nil && m.PARRequired {
		return "", &authlib.Error{Kind: ErrConfig, Op: "oauth2 authorize", Detail: "the server requires pushed authorization requests (RFC 9126): use PushAuthCodeURL"}
	}
	kv, _ := parseForm(u.RawQuery)
	u.RawQuery = encodeForm(append(kv, q...))
	return u.String(), nil
}

// PushAuthCodeURL is [Config.AuthCodeURL] with a pushed authorization
// request (RFC 9126): the parameters go to PARURL, or else the issuer's
// pushed_authorization_request_endpoint, from the client, authenticated
// as at the token endpoint and with a DPoP proof when the Config has a
// key; the URL returned carries only client_id and the request_uri the
// server answered with, which expires soon (its expires_in, a minute or
// so).
func (c *Config) PushAuthCodeURL(ctx context.Context, state, verifier string, extra url.Values) (string, error) {
	u, q, err := c.authRequest(state, verifier, extra)
	if err != nil {
		return "", err
	}
	endpoint, err := c.endpoint(ctx, c.PARURL, func(m *Metadata) string { return m.PAREndpoint })
	if err != nil {
		return "", err
	}
	if endpoint == "" {
		return "", &authlib.Error{Kind: ErrConfig, Op: opPAR, Detail: "the authorization server names no pushed_authorization_request_endpoint: set Config.PARURL"}
	}
	// client_id goes once: send adds it unless the client authenticates
	// with Basic, where it is added here (RFC 9126 §2.1).
	form := make([]string, 0, len(q)+2)
	if c.style() == AuthBasic {
		form = append(form, "client_id", c.ClientID)
	}
	for i := 0; i < len(q); i += 2 {
		if q[i] != "client_id" {
			form = append(form, q[i], q[i+1])
		}
	}
	m, err := c.post(ctx, opPAR, endpoint, form, []string{verifier})
	if err != nil {
		return "", err
	}
	uri := m.str("request_uri")
	if uri == "" || !printable(uri) {
		return "", &authlib.Error{Kind: ErrTokenResponse, Op: opPAR, URL: redact(endpoint), Detail: "the answer has no request_uri"}
	}
	kv, _ := parseForm(u.RawQuery)
	u.RawQuery = encodeForm(append(kv, "client_id", c.ClientID, "request_uri", uri))
	return u.String(), nil
}

// AuthorizationURL returns the URL to send the user to for a login: the
// authorization request pushed ([Config.PushAuthCodeURL]) when PAR is set
// or the issuer's metadata requires it (require_pushed_authorization_requests),
// else in the URL ([Config.AuthCodeURL]). With an Issuer, it reads the
// metadata (once; [Discover] keeps it) and fills the endpoints left empty;
// a failure to read it is the answer only when there is no AuthURL.
func (c *Config) AuthorizationURL(ctx context.Context, state, verifier string, extra url.Values) (string, error) {
	push := c.PAR
	if c.Issuer != "" {
		m, err := c.Discover(ctx, c.Issuer)
		if err != nil && c.AuthURL == "" {
			return "", err
		}
		push = push || m != nil && m.PARRequired
	}
	if push {
		return c.PushAuthCodeURL(ctx, state, verifier, extra)
	}
	return c.AuthCodeURL(state, verifier, extra)
}

// authRequest returns the authorization endpoint (its own query kept,
// RFC 6749 §3.1) and the parameters of an authorization request: extra,
// sorted, then the Config's own, which extra cannot set.
func (c *Config) authRequest(state, verifier string, extra url.Values) (*url.URL, []string, error) {
	authURL := c.AuthURL
	if m := cached(strings.TrimSuffix(c.Issuer, "/")); m != nil && authURL == "" {
		authURL = m.AuthorizationEndpoint
	}
	if authURL == "" {
		return nil, nil, &authlib.Error{Kind: ErrConfig, Op: "oauth2 authorize", Detail: "the authorization endpoint is not set: set AuthURL, or call Config.Discover"}
	}
	if len(verifier) < 43 || len(verifier) > 128 || len(state) < 16 {
		return nil, nil, &authlib.Error{Kind: ErrConfig, Op: "oauth2 authorize", Detail: "state and the PKCE verifier must be random (NewState, NewVerifier): a verifier of 43 to 128 characters"}
	}
	u, err := authlib.ParseURL(authURL)
	if err != nil {
		return nil, nil, err
	}
	jkt := ""
	if c.DPoP != nil {
		// The code is bound to the DPoP key (RFC 9449 §10).
		if jkt, err = c.DPoP.thumbprint(context.Background()); err != nil {
			return nil, nil, err
		}
	}
	own := []string{"response_type", "code", "client_id", c.ClientID, "redirect_uri", c.RedirectURL, "scope", c.scope(),
		"state", state, "code_challenge", S256(verifier), "code_challenge_method", "S256", "dpop_jkt", jkt}
	for _, r := range c.Resources {
		own = append(own, "resource", r)
	}
	// The endpoint's own query stays, and neither it nor extra can set a
	// parameter of the above.
	kv, _ := parseForm(u.RawQuery)
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var q []string
	for _, k := range keys {
		for _, v := range extra[k] {
			if !controlFree(k) || !controlFree(v) {
				return nil, nil, &authlib.Error{Kind: ErrConfig, Op: "oauth2 authorize", Detail: "an extra parameter's name or value holds a control character (a line break, a NUL)"}
			}
			// A parameter of the above is never set from here, even where
			// the Config leaves it empty (redirect_uri, scope).
			if !hasName(own, k) {
				q = append(q, k, v)
			}
		}
	}
	var mine []string
	for i := 0; i < len(kv); i += 2 {
		if !controlFree(kv[i]) || !controlFree(kv[i+1]) {
			return nil, nil, &authlib.Error{Kind: ErrConfig, Op: "oauth2 authorize", Detail: "the endpoint's query holds a control character (a line break, a NUL)"}
		}
		if !hasName(own, kv[i]) {
			mine = append(mine, kv[i], kv[i+1])
		}
	}
	u.RawQuery = encodeForm(mine)
	for i := 0; i < len(own); i += 2 {
		if own[i+1] != "" {
			q = append(q, own[i], own[i+1])
		}
	}
	return u, q, nil
}

// Exchange reads callback, the URL the server sent the browser back to:
// its state must be state, its iss the Issuer (RFC 9207, against mix-up
// attacks: checked when the callback has one, and required when the
// server's metadata says it sends one), and an error there
// (access_denied, …) is an [*Error]; then it exchanges the code, with the
// verifier, for a token (RFC 6749 §4.1.3, RFC 7636 §4.5).
func (c *Config) Exchange(ctx context.Context, callback, state, verifier string) (*Token, error) {
	u, err := url.Parse(callback)
	if err != nil {
		return nil, &authlib.Error{Kind: ErrCallback, Op: "oauth2 callback", Detail: "the callback is not a URL"}
	}
	kv, _ := parseForm(u.RawQuery)
	if u.Fragment != "" && lookup(kv, "state") == "" {
		kv, _ = parseForm(u.EscapedFragment()) // response_mode=fragment
	}
	// RFC 6749 §3.1: a parameter sent more than once is an error; reading
	// the first of two states, codes or issuers would let a forged one in.
	for _, name := range [...]string{"state", "code", "iss", "error"} {
		if count(kv, name) > 1 {
			return nil, &authlib.Error{Kind: ErrCallback, Op: "oauth2 callback", Detail: "the callback has " + name + " more than once (RFC 6749 §3.1)"}
		}
	}
	q := formFields(kv)
	got := q.str("state")
	if state == "" || !hashes.Equal(got, state) {
		return nil, &authlib.Error{Kind: ErrCallback, Op: "oauth2 callback", Detail: "the callback's state is not the one this login started with (a forged or stale callback)"}
	}
	if err := c.checkIss(ctx, q); err != nil {
		return nil, err
	}
	code := q.str("code")
	secrets := []string{code, verifier}
	if e := q.str("error"); e != "" {
		return nil, &Error{Code: cut(e, 64), Description: cut(scrubSecrets(q.str("error_description"), secrets), 500), URI: cut(q.str("error_uri"), 200), Endpoint: redact(c.AuthURL)}
	}
	if code == "" {
		return nil, &authlib.Error{Kind: ErrCallback, Op: "oauth2 callback", Detail: "the callback has no code"}
	}
	form := []string{"grant_type", "authorization_code", "code", code, "code_verifier", verifier}
	if c.RedirectURL != "" {
		form = append(form, "redirect_uri", c.RedirectURL)
	}
	return c.token(ctx, form, secrets)
}

// checkIss checks the callback's iss against the Issuer (RFC 9207 §2.4):
// the metadata's issuer identifier when the server has one, compared as
// strings, exactly: no final "/", letter case or default port is made
// alike first (the RFC's simple string comparison; an attacker's server
// may differ from the honest one by just that). Without an Issuer there is
// nothing to compare with, and iss is not checked.
func (c *Config) checkIss(ctx context.Context, q fields) error {
	if c.Issuer == "" {
		return nil
	}
	want, sends := c.Issuer, false
	if m, err := Discover(ctx, c.Transport, c.Issuer); err == nil {
		want, sends = m.Issuer, m.IssParameterSupported
	}
	iss, has := q["iss"]
	switch {
	case has && iss.text != want:
		return &authlib.Error{Kind: ErrCallback, Op: "oauth2 callback", Detail: "the callback's iss is not the issuer this login started with (a mix-up, RFC 9207)"}
	case !has && sends:
		return &authlib.Error{Kind: ErrCallback, Op: "oauth2 callback", Detail: "the callback has no iss, which the server's metadata says it sends (RFC 9207)"}
	}
	return nil
}
