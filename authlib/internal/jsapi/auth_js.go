//go:build js && wasm

package jsapi

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"syscall/js"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/jsfetch"
	"github.com/authlib-go/authlib/authlib/internal/wire"
	"github.com/hack-pad/safejs"
)

// authlib.basic(user, password) → "Basic …"
func jsBasic(_ safejs.Value, args []safejs.Value) any {
	user, ok1 := str(arg(args, 0))
	pass, ok2 := str(arg(args, 1))
	if !ok1 || !ok2 {
		return toAuthError(usage("invalid_credentials", "basic(user, password) takes two strings"))
	}
	v, err := authlib.Basic{Username: user, Password: pass}.HeaderValue()
	if err != nil {
		return toAuthError(err)
	}
	return v
}

// authlib.bearer(token) → "Bearer …"
func jsBearer(_ safejs.Value, args []safejs.Value) any {
	tok, ok := str(arg(args, 0))
	if !ok {
		return toAuthError(usage("invalid_credentials", "bearer(token) takes a string"))
	}
	v, err := authlib.Bearer{Token: tok}.HeaderValue()
	if err != nil {
		return toAuthError(err)
	}
	return v
}

func quote(s string) string { return "\"" + s + "\"" }

// jsCause carries a value a JS callback threw, for AuthError's cause. Its
// text is fixed: the thrown message is the caller's, and may hold anything.
type jsCause struct{ v safejs.Value }

func (jsCause) Error() string { return "the JavaScript exception is the cause" }

// jsAuthFunc adapts a JS auth function (request) => void | Promise<void>,
// which may change request.headers (a WHATWG Headers). authlib.mjs wraps
// it (see authFunction there) so that one call crosses each way: Go hands
// over a message of the method, the URL and the header fields (wire), and
// gets a message of the header fields back, or a promise of one.
func jsAuthFunc(fn safejs.Value) authlib.Auth {
	return authlib.AuthFunc(func(r *authlib.Request) error {
		m := &wire.Message{}
		m.Add("method", r.Method)
		m.Add("url", r.URL.String())
		for name, vs := range r.Header {
			for _, v := range vs {
				m.Add("header", name+":"+v)
			}
		}
		res, err := fn.Invoke(m.Encode())
		if err != nil {
			return &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "auth function", Detail: "the auth function threw", Err: thrown(err)}
		}
		if res.Type() == safejs.TypeObject {
			if res, err = jsfetch.Await(r.Context(), res); err != nil {
				return awaitError(r.Context(), err, "auth function", "the auth function's promise was rejected")
			}
		}
		out, _ := str(res)
		back, err := wire.Decode(out)
		if err != nil {
			return &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "auth function", Detail: "the auth function's headers cannot be read"}
		}
		got := authlib.Header{}
		for _, f := range back.All("header") {
			name, value, _ := strings.Cut(f, ":")
			got.Add(name, value)
		}
		for k, vs := range r.Header {
			if g, ok := got[k]; ok && len(g) == 1 && g[0] == strings.Join(vs, ", ") {
				got[k] = vs // unchanged, only joined by Headers
			}
		}
		for k := range r.Header {
			delete(r.Header, k)
		}
		for k, vs := range got {
			// A JS string is not bytes: a character outside ASCII has no
			// one encoding on the wire (fetch would send Latin-1, Go
			// UTF-8), so a function's value is held to plain ASCII.
			for _, v := range vs {
				if reason := authlib.CheckHeaderValue(v); reason != "" {
					return &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "auth function", Detail: "the header " + k + " " + reason}
				}
			}
			r.Header[k] = vs
		}
		return nil
	})
}

// awaitError is the error of a wait for a caller's promise that failed:
// the call's timeout or abort when its context ended meanwhile (a
// function still pending then is no credential refused), else the
// rejection, an invalid_credentials.
func awaitError(ctx context.Context, err error, op, rejected string) error {
	if cause := context.Cause(ctx); cause != nil {
		kind := authlib.ErrCanceled
		if errors.Is(cause, context.DeadlineExceeded) {
			kind = authlib.ErrTimeout
		}
		return &authlib.Error{Kind: kind, Op: op, Detail: "the call ended while waiting for its promise", Err: cause}
	}
	return &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: op, Detail: rejected, Err: thrown(err)}
}

// thrown keeps the JS value behind err, if any, as the cause.
func thrown(err error) error {
	var rej jsfetch.Rejection
	if errors.As(err, &rej) {
		return jsCause{rej.Value}
	}
	var je js.Error
	if errors.As(err, &je) {
		return jsCause{safejs.Safe(je.Value)}
	}
	return jsCause{safejs.Undefined()}
}

// jsAWSCredentials adapts aws4's credentials function, async () =>
// ({accessKeyId, secretAccessKey, sessionToken, expiration}), which
// authlib.mjs wraps (see credentialsFunction there) to answer with a
// message (wire: auth.accessKeyId, …, auth.expiration), or a promise of
// one.
func jsAWSCredentials(fn safejs.Value) func(context.Context) (authlib.AWSCredentials, error) {
	return func(ctx context.Context) (authlib.AWSCredentials, error) {
		res, err := fn.Invoke()
		if err != nil {
			return authlib.AWSCredentials{}, &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "aws4", Detail: "the credentials function threw", Err: thrown(err)}
		}
		if res.Type() == safejs.TypeObject {
			if res, err = jsfetch.Await(ctx, res); err != nil {
				return authlib.AWSCredentials{}, awaitError(ctx, err, "aws4", "the credentials function's promise was rejected")
			}
		}
		out, _ := str(res)
		m, err := wire.Decode(out)
		if err != nil {
			return authlib.AWSCredentials{}, &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "aws4", Detail: "the credentials cannot be read"}
		}
		return wire.ReadAWSCredentials(m)
	}
}

// jsSigner signs a signature base (RFC 9421's, OAuth 1.0a's RSA) with a
// WebCrypto key: fn is the signer authlib.mjs made of the key (see
// httpsig.mjs), base in, the signature in base64 out, or a promise of it.
// The key never enters Go. An OAuth client's keys cross as one function
// (see keysFunction in httpsig.mjs), which which names: "dpop" or
// "client".
type jsSigner struct {
	fn         safejs.Value
	alg, which string
}

func (s jsSigner) Algorithm() string { return s.alg }

// errWouldWait is what a jsSigner answers in a context of authlib.NoWait
// when its key cannot sign at once: the request is prepared the slow way,
// which waits for WebCrypto. (The prepared request, the lean calls, run in
// such a context: a jsSigner asks its key to sign at once, as Node does
// with node:crypto, and never waits for a promise.)
var errWouldWait = authlib.ErrWouldWait

func (s jsSigner) Sign(ctx context.Context, base []byte) ([]byte, error) {
	p, err := askJS(ctx, s.fn, s.which, string(base), func(cause error) error {
		return &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "httpsig", Detail: "WebCrypto could not sign with the key", Err: cause}
	})
	if err != nil {
		return nil, err
	}
	b64, _ := str(p)
	sig, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "httpsig", Detail: "the signature cannot be read"}
	}
	return sig, nil
}
