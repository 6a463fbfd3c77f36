//go:build js && wasm

package fetch

import (
	"context"
	"errors"
	"strings"

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

// scrub removes from msg the values of the request's credential and
// sensitive headers (whole, and the part after the scheme), and user
// information in URLs.
func scrub(msg string, req *authlib.Request) string {
	var secrets []string
	names := append(req.CredentialHeaders(), "Authorization", "Proxy-Authorization", "Cookie")
	for _, n := range names {
		for _, v := range req.Header.Values(n) {
			secrets = append(secrets, v)
			if _, rest, ok := strings.Cut(v, " "); ok {
				secrets = append(secrets, rest)
			}
		}
	}
	for _, s := range secrets {
		if len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return scrubUserinfo(msg)
}

// scrubUserinfo replaces "scheme://user:pass@" with "scheme://[redacted]@".
func scrubUserinfo(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+3])
		s = s[i+3:]
		end := strings.IndexAny(s, "/?# \"'")
		if end < 0 {
			end = len(s)
		}
		if at := strings.LastIndex(s[:end], "@"); at >= 0 {
			b.WriteString("[redacted]")
			s = s[at:]
		}
	}
}
