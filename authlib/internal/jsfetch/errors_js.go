//go:build js && wasm

package jsfetch

import (
	"context"
	"errors"

	"github.com/authlib-go/authlib/authlib"
	"github.com/hack-pad/safejs"
)

// scrubbedError carries a JS error's text with credentials taken out.
type scrubbedError struct{ msg string }

func (e scrubbedError) Error() string { return e.msg }

// jsError wraps err, whose text comes from JavaScript, scrubbed of every
// credential value of req and of any user:password@ in a URL.
func jsError(req *authlib.Request, kind error, detail string, err error) error {
	msg := err.Error()
	var rej Rejection
	if errors.As(err, &rej) {
		if c, cerr := rej.Value.Get("cause"); cerr == nil && c.Type() == safejs.TypeObject {
			if cm, ok := jsString(c, "message"); ok && cm != "" {
				msg += ": " + cm
			}
		}
	}
	return &authlib.Error{Kind: kind, Op: req.Method, URL: authlib.RedactURL(req.URL), Detail: detail,
		Err: scrubbedError{scrub(msg, req)}}
}

func ctxError(req *authlib.Request, err error) error {
	kind := authlib.ErrCanceled
	if errors.Is(err, context.DeadlineExceeded) {
		kind = authlib.ErrTimeout
	}
	return &authlib.Error{Kind: kind, Op: req.Method, URL: authlib.RedactURL(req.URL), Err: err}
}
