//go:build js && wasm

package jsapi

import (
	"errors"
	"strings"

	"github.com/authlib-go/authlib/authlib"
	"github.com/hack-pad/safejs"
)

// authError is the AuthError class that authlib.mjs passed in.
var authError safejs.Value

// newAuthError constructs an AuthError (a real Error subclass, with a
// stack); cause, if not undefined, becomes its cause.
func newAuthError(code, message string, cause ...safejs.Value) safejs.Value {
	args := []any{message, code}
	if len(cause) > 0 && !cause[0].IsUndefined() {
		opts := newObject()
		opts.Set("cause", cause[0])
		args = append(args, opts)
	}
	v, err := authError.New(args...)
	if err != nil {
		errCtor, _ := safejs.Global().Get("Error")
		v, _ = errCtor.New(message)
	}
	return v
}

// codes maps the sentinels to AuthError codes; the first match wins, so
// retries_exhausted comes before network.
var codes = []struct {
	kind error
	code string
}{
	{authlib.ErrInvalidCredentials, "invalid_credentials"},
	{authlib.ErrInvalidURL, "invalid_url"},
	{authlib.ErrInvalidRequest, "invalid_request"},
	{authlib.ErrInsecureTransport, "insecure_transport"},
	{authlib.ErrUnsupportedChallenge, "challenge"},
	{authlib.ErrMalformedChallenge, "challenge"},
	{authlib.ErrRedirectBlocked, "redirect_blocked"},
	{authlib.ErrTooManyRedirects, "too_many_redirects"},
	{authlib.ErrRetriesExhausted, "retries_exhausted"},
	{authlib.ErrTimeout, "timeout"},
	{authlib.ErrCanceled, "aborted"},
	{authlib.ErrSignatureMismatch, "signature_mismatch"},
	{authlib.ErrUnsupported, "unsupported"},
	{authlib.ErrNoTransport, "unsupported"},
	{authlib.ErrNetwork, "network"},
}

// toAuthError converts a Go error to an AuthError value.
func toAuthError(err error) any {
	var jc jsCause
	cause := safejs.Undefined()
	if errors.As(err, &jc) {
		cause = jc.v
	}
	if code, desc, ok := oauthCode(err); ok {
		v := newAuthError("oauth", message(err), cause)
		v.Set("error", code)
		v.Set("errorDescription", desc)
		return v
	}
	return newAuthError(errorCode(err), message(err), cause)
}

// message is err's text in the JS API's words: the Go library's messages
// name its options as Go spells them, which a JS caller knows otherwise.
// (Two ReplaceAll calls: strings.Replacer added 10 KB gzipped to authlib.wasm.)
func message(err error) string {
	s := err.Error()
	for _, r := range [...][2]string{{"set AllowInsecure", "set allowInsecure"}, {"give Region and Service", "give region and service"}} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return s
}

// errorCode is the AuthError code of err (not an OAuth failure).
func errorCode(err error) string {
	// The outermost kind decides: a blocked redirect may wrap an invalid URL.
	var ae *authlib.Error
	if errors.As(err, &ae) {
		for _, c := range codes {
			if ae.Kind == c.kind {
				return c.code
			}
		}
	}
	for _, c := range codes {
		if errors.Is(err, c.kind) {
			return c.code
		}
	}
	return "network"
}

// usage is an AuthError for a call with arguments of the wrong kind. It
// is kept out of line: it is cold, and its copies inlined at every check
// made authlib.wasm some 4 KB larger gzipped.
//
//go:noinline
func usage(code, message string) error {
	return &authlib.Error{Kind: kindOf(code), Detail: message}
}

func kindOf(code string) error {
	for _, c := range codes {
		if c.code == code {
			return c.kind
		}
	}
	return authlib.ErrInvalidRequest
}
