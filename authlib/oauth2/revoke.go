package oauth2

import (
	"context"
	"strconv"

	"github.com/authlib-go/authlib/authlib"
)

// Revoke asks the authorization server to revoke token, an access or a
// refresh token (RFC 7009); hint, when not empty, is its token_type_hint,
// "access_token" or "refresh_token". The client authenticates as at the
// token endpoint. The endpoint is RevocationURL, or else the issuer's
// revocation_endpoint.
//
// A server answers 200 for a token it does not know or has revoked
// already (RFC 7009 §2.2), so nil means the token is of no use now. A 503
// (the server cannot revoke now, §2.2.1) and any other status are errors;
// an OAuth error response is an [*Error] (unsupported_token_type, for
// one). The token is in no error.
func (c *Config) Revoke(ctx context.Context, token, hint string) error {
	const op = "oauth2 revoke"
	if token == "" {
		return &authlib.Error{Kind: ErrConfig, Op: op, Detail: "no token to revoke"}
	}
	endpoint, err := c.endpoint(ctx, c.RevocationURL, func(m *Metadata) string { return m.RevocationEndpoint })
	if err != nil {
		return err
	}
	if endpoint == "" && c.Issuer != "" {
		return &authlib.Error{Kind: ErrConfig, Op: op, Detail: "the authorization server names no revocation_endpoint: set Config.RevocationURL"}
	}
	form := []string{"token", token}
	if hint != "" {
		form = append(form, "token_type_hint", hint)
	}
	_, status, err := c.send(ctx, op, endpoint, form, []string{token})
	switch {
	case err != nil:
		return err
	case status/100 == 2:
		return nil
	case status == 503:
		return &authlib.Error{Kind: ErrTokenResponse, Op: op, URL: redact(endpoint), Detail: "the server cannot revoke the token now (503): try again later"}
	}
	return &authlib.Error{Kind: ErrTokenResponse, Op: op, URL: redact(endpoint), Detail: "the server answered " + strconv.Itoa(status)}
}

// Logout revokes the Source's tokens, the refresh token first (a server
// revokes the access tokens of its grant with it, RFC 7009 §2.1) and then
// the access token, and forgets both whatever the server answers; it
// returns the first error. A token request in flight when it is called
// does not bring a token back: the next [Source.Token] gets a new one the
// way it would with none (Fetch, when there is one), and [Source.SetToken]
// gives one. The Store, when it holds the token (or, for a Source without
// one yet, any token), holds it no more.
func (s *Source) Logout(ctx context.Context) error {
	s.mu.Lock()
	t := s.tok
	s.tok, s.failed = nil, nil
	s.gen++
	s.mu.Unlock()
	if s.Store != nil {
		// The saved login goes too, unless another process saved a newer
		// one meanwhile; a Source that has not loaded it yet (a CLI's
		// logout command, a worker just restarted) logs that one out.
		if saved, err := s.Store.Load(ctx); err == nil && saved != nil && (t == nil || sameToken(saved, t)) {
			s.Store.Save(ctx, nil, saved)
			t = saved
		}
	}
	if t == nil {
		return nil
	}
	var first error
	if t.RefreshToken != "" {
		first = s.Config.Revoke(ctx, t.RefreshToken, "refresh_token")
	}
	if t.AccessToken != "" {
		if err := s.Config.Revoke(ctx, t.AccessToken, "access_token"); first == nil {
			first = err
		}
	}
	return first
}
