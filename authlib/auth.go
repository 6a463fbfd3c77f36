package authlib

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Auth adds credentials to a request before it is sent: the AuthBase of
// Python's requests. Every header field Apply sets or changes is treated as
// a credential: the Client sends it only to the origin the request was made
// for (and the origins the caller lists), never after a redirect elsewhere.
//
// Apply may be called concurrently for different requests. It must not send
// anything; it returns an [*Error] of kind [ErrInvalidCredentials] when the
// credentials break a rule, without repeating them.
type Auth interface {
	Apply(req *Request) error
}

// AuthFunc adapts a function to [Auth]:
//
//	tokenAuth := authlib.AuthFunc(func(r *authlib.Request) error {
//		r.Header.Set("X-TokenAuth", token)
//		return nil
//	})
type AuthFunc func(req *Request) error

// Apply calls f(req).
func (f AuthFunc) Apply(req *Request) error { return f(req) }

// Challenger is an [Auth] that can answer a challenge: a 401 response with
// WWW-Authenticate, a 407 with Proxy-Authenticate, or a 403 whose
// WWW-Authenticate says error="insufficient_scope" (RFC 6750 §3.1: a
// token that lacks scope, which a login may step up). It is a small state
// machine that the Client steps, and that a test can step by hand.
//
// After a request prepared by Apply (or by an earlier Challenge) gets such
// a response res, the Client calls Challenge with a fresh copy of the
// request, without credentials, and round, the number of challenges
// already answered for this request (0 the first time). Challenge returns
// true after setting the credentials that answer res on req, and the Client
// sends req; res.Request is the request that got res, with its credentials
// as sent; false gives res to the caller as the answer (a wrong password,
// or a status that is not the scheme's). An error ends the request.
//
// The Client calls Challenge at most twice per request, and a scheme
// should answer a second time only when the server says its first answer
// was merely stale, so that a server answering 401 forever costs at most
// one extra exchange (two when stale).
type Challenger interface {
	Auth
	Challenge(req *Request, res *Response, round int) (retry bool, err error)
}

// Bounded is an optional interface of an [Auth] whose credentials are
// for some resources only, not for every URL of an origin: an OAuth token
// issued for one resource (RFC 8707), a login made for one protected
// resource (RFC 9728). Bounds returns their identifiers (absolute URLs);
// none means the request's origin, as for any Auth.
//
// The Client applies such an Auth only to a URL [WithinResource] one of
// them, and answers challenges only from there: a request elsewhere goes
// without its credentials, and its 401 is the answer. A redirect that
// leaves them, on the same origin too, leaves the credentials off for the
// rest of the chain.
type Bounded interface {
	Auth
	Bounds() []string
}

// boundsOf returns a's bounds, or nil.
func boundsOf(a Auth) []string {
	if b, ok := a.(Bounded); ok {
		return b.Bounds()
	}
	return nil
}

// within reports whether the credentials of a may go to u as far as its
// bounds say (see [Bounded]); an Auth without bounds may go anywhere the
// Client's origin rules let it.
func within(a Auth, u *url.URL) bool {
	bounds := boundsOf(a)
	if len(bounds) == 0 {
		return true
	}
	for _, r := range bounds {
		if WithinResource(r, u) {
			return true
		}
	}
	return false
}

// Finisher is an optional interface of an [Auth] that keeps state across
// requests and needs to know how each request it prepared ended.
//
// For every request on which it called Apply, the Client calls Finish once,
// after the last exchange of that request with its origin (challenges
// answered, before any redirect is followed), with the very req that Apply
// was given and the final response, whose Request field is the request
// that got it, with its credentials as sent; res is nil when the request
// failed or was never sent. Finish must not block or read the body.
//
// [Digest] uses it to let concurrent first requests wait for one challenge
// instead of each drawing its own, and to keep a nonce only once an answer
// with it has been sent.
type Finisher interface {
	Auth
	Finish(req *Request, res *Response)
}

// redacted prints a credential-holding value with its secrets masked, for
// every verb of the fmt package.
func redacted(f fmt.State, name string, fields ...string) {
	s := name + "{"
	for i := 0; i+1 < len(fields); i += 2 {
		if i > 0 {
			s += ", "
		}
		s += fields[i] + ": " + fields[i+1]
	}
	fmt.Fprint(f, s+"}")
}

// printableUser is a username as Format shows it: cut at a ':', since
// "user:password" typed as the username is a common mistake.
func printableUser(u string) string {
	if i := strings.IndexByte(u, ':'); i >= 0 {
		return u[:i] + ":[redacted]"
	}
	return u
}

// checkCredential returns why s cannot be used as the named part of a
// credential, or "". Control characters (CR and LF above all) are refused
// everywhere, and so is invalid UTF-8.
func checkCredential(field, s string) string {
	if !utf8.ValidString(s) {
		return field + " is not valid UTF-8"
	}
	for i, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return field + " contains a control character at byte " + strconv.Itoa(i)
		}
	}
	return ""
}

// credentialError is the error of a credential that cannot be sent. It is
// kept out of line (go:noinline): it is cold, and its copies inlined at
// every check made the wasm binary larger.
//
//go:noinline
func credentialError(op, detail string) error {
	return &Error{Kind: ErrInvalidCredentials, Op: op, Detail: detail}
}

// requestError is credentialError's twin for a request that cannot be
// sent as asked (kept out of line for the same reason).
//
//go:noinline
func requestError(op, detail string) error {
	return &Error{Kind: ErrInvalidRequest, Op: op, Detail: detail}
}
