//go:build js && wasm

package jsapi

import (
	"context"
	"net/url"
	"sync"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/jsfetch"
	"github.com/authlib-go/authlib/authlib/internal/wire"
	"github.com/hack-pad/safejs"
)

// settings are what a call runs with: a client's options, then the
// call's on top, as wire decoded them, and the scheme built from them.
type settings struct {
	wire.Options
	auth authlib.Auth
	// answer is a client's Digest answer (answerer), nil elsewhere.
	answer func(raw, method string) (string, error)
}

// apply decodes the options of the message msg onto s. fn and onToken are
// the JS functions that crossed beside it (an auth function, OAuth's
// onToken), or undefined.
func (s *settings) apply(m *wire.Message, fn, onToken safejs.Value) error {
	if err := s.Options.Apply(m); err != nil {
		return err
	}
	if _, ok := m.Get("auth"); !ok {
		return nil
	}
	switch s.Scheme {
	case "function":
		if fn.Type() != safejs.TypeFunction {
			return usage("invalid_credentials", "auth must be [user, password], an object with a type, or a function")
		}
		s.auth = jsAuthFunc(fn)
	case "oauth2":
		a, err := oauthAuth(s.OAuth, onToken, fn)
		if err != nil {
			return err
		}
		s.auth = a
	default:
		s.auth = s.Options.Auth
		if b, ok := beside[s.Scheme]; ok && s.SchemeFunc {
			if fn.Type() != safejs.TypeFunction {
				return usage("invalid_credentials", b.need)
			}
			alg, _ := m.Get("auth.alg")
			s.auth = b.attach(s.auth, fn, alg)
		}
	}
	return nil
}

// A besider attaches to a scheme read from the message
// (wire.Options.Auth) the JS function that crossed beside it
// (wire.Options.SchemeFunc); need is the refusal when what crossed is not
// a function. beside holds one per scheme that has such a function (see
// signed_js.go).
type besider struct {
	need   string
	attach func(a authlib.Auth, fn safejs.Value, alg string) authlib.Auth
}

// callUnreadable is the error's detail for a message Go cannot decode.
const callUnreadable = "the call cannot be read (are authlib.mjs and authlib.wasm of different versions?)"

// decode reads a message that crossed from authlib.mjs.
func decode(msg safejs.Value) (*wire.Message, error) {
	text, _ := str(msg)
	m, err := wire.Decode(text)
	if err != nil {
		return nil, usage("invalid_request", callUnreadable)
	}
	return m, nil
}

// A call is what crossed for one request: the message, and beside it the
// body (a Uint8Array or undefined), the signal, the fields fetch gets
// unchanged (an object or undefined), an auth function and onToken.
type call struct {
	msg, body, signal, pass, fn, onToken safejs.Value
}

// callArgs reads a call from args at i: msg, body, signal, pass, fn,
// onToken.
func callArgs(args []safejs.Value, i int) call {
	return call{arg(args, i), arg(args, i+1), arg(args, i+2), arg(args, i+3), arg(args, i+4), arg(args, i+5)}
}

// settle runs fn in a goroutine, so that the calling JS returns at once,
// and resolves or rejects with its outcome; a panic rejects too, and the Go
// program lives on.
func settle(resolve, reject safejs.Value, fn func() (any, error)) {
	go func() {
		defer func() {
			if p := recover(); p != nil {
				reject.Invoke(newAuthError("internal", "authlib: internal error; please report it"))
			}
		}()
		v, err := fn()
		if err != nil {
			reject.Invoke(toAuthError(err))
			return
		}
		resolve.Invoke(v)
	}()
}

// doFetchFrom is doFetch where first, when not nil, holds the response
// the JS fast path already got for the first request (a redirect for the
// Client to follow, a challenge): it stands in for sending that request
// again.
func doFetchFrom(s settings, c call, first *primed) (any, error) {
	m, err := decode(c.msg)
	if err != nil {
		return nil, err
	}
	if err := s.apply(m, c.fn, c.onToken); err != nil {
		return nil, err
	}
	return run(s, m, c, first)
}

// run is doFetchFrom once the message m of c is decoded and applied to s:
// prepare, when it declines a request, continues here with what it read.
func run(s settings, m *wire.Message, c call, first *primed) (any, error) {
	ctx, release, err := signalContext(c.signal)
	if err != nil {
		return nil, err
	}
	req, err := buildRequest(ctx, &s, m, c.body)
	if err != nil {
		release(true)
		return nil, err
	}
	tr := &jsfetch.Transport{HeadersOnDemand: true, Signal: c.signal, Manual: s.MaxRedirects < 0}
	if c.pass.Type() == safejs.TypeObject {
		tr.Init = c.pass
	}
	cl := s.client(tr)
	if first != nil {
		first.tr = tr
		cl.Transport = first
	}
	res, err := cl.Do(req)
	if err != nil {
		release(true)
		return nil, err
	}
	raw, ok := res.Raw.(safejs.Value)
	if !ok {
		res.Body.Close()
		release(true)
		return nil, &authlib.Error{Kind: authlib.ErrNetwork, Detail: "the transport returned no JS Response"}
	}
	recordIfSigned(s.auth, res, raw)
	// The JS caller owns the body now, and the fetch the signal that ends
	// its read: Go lets go of both.
	release(false)
	return raw, nil
}

func (s *settings) client(tr authlib.Transport) *authlib.Client {
	return &authlib.Client{Transport: tr, Auth: s.auth, Origins: s.Origins, AllowInsecure: s.AllowInsecure,
		MaxRedirects: s.MaxRedirects, Retry: s.Retry, Timeout: s.Timeout}
}

// primed answers its first request with a response already fetched to
// the headers sent, and sends the rest through tr.
type primed struct {
	first safejs.Value
	sent  authlib.Header
	used  bool
	tr    *jsfetch.Transport
}

func (p *primed) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	if !p.used {
		p.used = true
		// The response answers what JS sent (its Request), whatever Go
		// would send now.
		r := req.Clone()
		r.Header = p.sent
		return p.tr.WrapResponse(r, p.first)
	}
	return p.tr.RoundTrip(req)
}

// signalContext returns a context that the AbortSignal sig cancels while
// a call runs (with the cause context.DeadlineExceeded when the signal
// timed out: AbortSignal.timeout, which the JS API makes of a timeout),
// and a release that takes the listener off the signal and frees it; the
// call releases it however it ends, with cancel true when it failed or is
// over with the context. A call that has its response releases it with
// cancel false: the fetch has the signal itself (jsfetch.Transport.Signal),
// so an abort still ends the reading of the body, and nothing of Go's
// stays on the signal (a listener and a Go function per request did,
// for as long as the signal lived).
func signalContext(sig safejs.Value) (context.Context, func(cancel bool), error) {
	if sig.Type() != safejs.TypeObject {
		// No signal: a context that never ends, so that the transport needs
		// no AbortController.
		return context.Background(), func(bool) {}, nil
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	if a, _ := prop(sig, "aborted").Bool(); a {
		cause := abortCause(sig)
		cancel(cause)
		kind := authlib.ErrCanceled
		if cause == context.DeadlineExceeded {
			kind = authlib.ErrTimeout
		}
		return nil, nil, &authlib.Error{Kind: kind, Detail: "the signal was already aborted"}
	}
	var once sync.Once
	var onAbort safejs.Func
	free := func() { once.Do(onAbort.Release) }
	onAbort, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		cancel(abortCause(sig))
		free()
		return nil
	})
	if err != nil {
		return ctx, func(bool) { cancel(context.Canceled) }, nil
	}
	opts := newObject()
	opts.Set("once", true)
	sig.Call("addEventListener", "abort", onAbort, opts)
	return ctx, func(end bool) {
		if end {
			cancel(context.Canceled)
		}
		once.Do(func() {
			sig.Call("removeEventListener", "abort", onAbort)
			onAbort.Release()
		})
	}, nil
}

// abortCause is the context cause for sig's abort: DeadlineExceeded for
// a TimeoutError, Canceled for anything else.
func abortCause(sig safejs.Value) error {
	if name, _ := str(prop(prop(sig, "reason"), "name")); name == "TimeoutError" {
		return context.DeadlineExceeded
	}
	return context.Canceled
}

// buildRequest builds the request of a call message, with body (a
// Uint8Array, or undefined) copied in.
func buildRequest(ctx context.Context, s *settings, m *wire.Message, body safejs.Value) (*authlib.Request, error) {
	raw, method, h, err := wire.Request(m)
	if err != nil {
		return nil, err
	}
	req, err := authlib.NewRequest(ctx, method, resolve(raw, s.BaseURL), nil)
	if err != nil {
		return nil, err
	}
	req.Header = h
	if !nullish(body) {
		n, err := body.Length()
		if err != nil {
			return nil, usage("invalid_request", "the body cannot be read")
		}
		req.Body = make([]byte, n)
		if _, err := safejs.CopyBytesToGo(req.Body, body); err != nil {
			return nil, usage("invalid_request", "the body cannot be read")
		}
	}
	return req, nil
}

// resolve makes raw absolute against base (a client's baseURL, or the
// page's address in a browser); an absolute raw is left alone, typos and
// all, for ParseURL to judge.
func resolve(raw, base string) string {
	if hasScheme(raw) {
		return raw
	}
	if base == "" {
		base, _ = str(prop(global("location"), "href"))
	}
	if base == "" {
		return raw
	}
	b, err := url.Parse(base)
	if err != nil {
		return raw
	}
	r, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return b.ResolveReference(r).String()
}

func hasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}
