package oauth2

import (
	"errors"
	"strings"
)

// Sentinels for [errors.Is].
var (
	// ErrOAuth: the authorization server answered with an OAuth error (RFC
	// 6749 §5.2, RFC 8628 §3.5); [errors.As] gives the [*Error] with its
	// code.
	ErrOAuth = errors.New("authlib: oauth2 error")
	// ErrTokenResponse: the token response, or a saved token, is
	// malformed, has no access_token, or a token_type other than Bearer
	// and DPoP; the message says which of the two.
	ErrTokenResponse = errors.New("authlib: oauth2 malformed token")
	// ErrCallback: the authorization callback does not belong to the
	// request that was started (state differs, or no code).
	ErrCallback = errors.New("authlib: oauth2 callback refused")
	// ErrMetadata: the server's metadata (RFC 8414) cannot be used.
	ErrMetadata = errors.New("authlib: oauth2 metadata unusable")
	// ErrConfig: the Config lacks what the grant needs.
	ErrConfig = errors.New("authlib: oauth2 configuration incomplete")
	// ErrNoToken: a [Source] has no token it can use or renew (none given,
	// none saved, or one expired without a refresh token) and no grant to
	// get one: the user must log in.
	ErrNoToken = errors.New("authlib: oauth2 no token (log in first)")
)

// Error is an OAuth error response: the server's error code
// ("invalid_grant", "access_denied", …) and its description. The
// description is the server's text with any secret of the request taken
// out.
type Error struct {
	Code        string // error
	Description string // error_description
	URI         string // error_uri
	StatusCode  int    // the HTTP status of the response (400, 401, …)
	Endpoint    string // the endpoint, without query
}

func (e *Error) Error() string {
	s := "authlib: oauth2 error " + e.Code
	if e.Endpoint != "" {
		s += " from " + e.Endpoint
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// Is makes errors.Is(err, ErrOAuth) true.
func (e *Error) Is(target error) bool { return target == ErrOAuth }

// scrubSecrets removes every secret of a request from text the server
// wrote, which might echo one.
func scrubSecrets(s string, secrets []string) string {
	for _, x := range secrets {
		if len(x) >= 4 {
			s = strings.ReplaceAll(s, x, "[redacted]")
		}
	}
	// The marker and the text beside it may spell a secret again.
	for _, x := range secrets {
		if len(x) >= 4 && strings.Contains(s, x) {
			return "[redacted]"
		}
	}
	return s
}
