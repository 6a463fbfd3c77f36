package authlib

import (
	"errors"
	"strings"
)

// Sentinels for [errors.Is]. Every error the package returns is an [*Error]
// whose Kind is one of these.
var (
	// ErrInvalidCredentials: a username, password, token or credential
	// header breaks a rule of its scheme; the error names the rule.
	ErrInvalidCredentials = errors.New("authlib: invalid credentials")
	// ErrInvalidRequest: a method or header of the request itself is invalid.
	ErrInvalidRequest = errors.New("authlib: invalid request")
	// ErrInvalidURL: the URL is not an absolute http or https URL, or it
	// carries user:password@.
	ErrInvalidURL = errors.New("authlib: invalid URL")
	// ErrInsecureTransport: credentials would go over plain http to a host
	// that is not loopback, and the caller did not allow it.
	ErrInsecureTransport = errors.New("authlib: insecure transport")
	// ErrUnsupportedChallenge: the server asked for a scheme, algorithm or
	// qop that the configured Auth cannot answer.
	ErrUnsupportedChallenge = errors.New("authlib: unsupported challenge")
	// ErrMalformedChallenge: a WWW-Authenticate or Proxy-Authenticate field
	// could not be used as written.
	ErrMalformedChallenge = errors.New("authlib: malformed challenge")
	// ErrRedirectBlocked: a redirect was refused (unsupported scheme, or a
	// transport that cannot follow it without leaking credentials).
	ErrRedirectBlocked = errors.New("authlib: redirect blocked")
	// ErrTooManyRedirects: the redirect chain was longer than allowed.
	ErrTooManyRedirects = errors.New("authlib: too many redirects")
	// ErrRetriesExhausted: every attempt failed with a network error.
	ErrRetriesExhausted = errors.New("authlib: retries exhausted")
	// ErrNetwork: the request could not be sent or its response not read.
	ErrNetwork = errors.New("authlib: network error")
	// ErrTimeout: the context deadline or Client.Timeout passed.
	ErrTimeout = errors.New("authlib: timeout")
	// ErrCanceled: the context was canceled (aborted).
	ErrCanceled = errors.New("authlib: canceled")
	// ErrUnsupported: the runtime cannot do what was asked (a browser will
	// not let a script set Proxy-Authorization, for one).
	ErrUnsupported = errors.New("authlib: unsupported")
	// ErrSignatureMismatch: the server computed another signature than the
	// one sent (AWS's SignatureDoesNotMatch); see [AWSV4.Check].
	ErrSignatureMismatch = errors.New("authlib: signature mismatch")
	// ErrNoTransport: a Client was used without a Transport.
	ErrNoTransport = errors.New("authlib: no transport")
)

// Error is the one error type of the package. Its fields never hold a
// secret: Detail names the rule that was broken, not the value that broke
// it, and URL has no user information and no query.
type Error struct {
	Kind   error  // one of the Err* sentinels
	Op     string // what was being done: "basic", "digest", "GET", ...
	URL    string // the redacted URL, when there is one
	Detail string // which rule, in plain words
	Err    error  // the underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
	} else {
		b.WriteString("authlib: error")
	}
	if e.Op != "" {
		b.WriteString(" (")
		b.WriteString(e.Op)
		b.WriteString(")")
	}
	if e.URL != "" {
		b.WriteString(" ")
		b.WriteString(e.URL)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is reports whether target is the error's Kind.
func (e *Error) Is(target error) bool { return target != nil && target == e.Kind }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
