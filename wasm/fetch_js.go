//go:build js && wasm

package main

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/fetch"
	"github.com/hack-pad/safejs"
)

// settings are what a call runs with: a client's options, then the
// call's init on top.
type settings struct {
	auth          authlib.Auth
	baseURL       string
	origins       []string
	timeout       time.Duration
	retry         *authlib.Retry
	allowInsecure bool
	maxRedirects  int
}

// passThrough are the RequestInit fields handed to fetch unchanged (PASS
// in authlib.mjs is the same list).
var passThrough = []string{"cache", "credentials", "dispatcher", "integrity", "keepalive", "mode", "priority", "referrer", "referrerPolicy"}

// fetch(input, init, resolve, reject): authlib.mjs makes the Promise and
// hands over its resolve and reject, which spares a call back into Go (the
// executor) on every request.
func jsFetch(_ safejs.Value, args []safejs.Value) any {
	settle(arg(args, 2), arg(args, 3), func() (any, error) { return doFetch(settings{}, arg(args, 0), arg(args, 1)) })
	return nil
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

// readSettings applies the authlib options of obj (an init or client
// options) onto s.
func readSettings(s *settings, obj safejs.Value) error {
	return readSettingsKeys(s, obj, ownKeys(obj))
}

func readSettingsKeys(s *settings, obj safejs.Value, keys map[string]bool) error {
	if nullish(obj) || len(keys) == 0 {
		return nil
	}
	prop := func(obj safejs.Value, name string) safejs.Value {
		if !keys[name] {
			return safejs.Undefined()
		}
		return prop(obj, name)
	}
	if v := prop(obj, "auth"); !v.IsUndefined() {
		a, err := parseAuth(v)
		if err != nil {
			return err
		}
		s.auth = a
	}
	if v := prop(obj, "timeout"); !nullish(v) {
		ms, ok := num(v)
		if !ok || ms < 0 {
			return usage("invalid_request", "timeout is a number of milliseconds")
		}
		s.timeout = time.Duration(ms * float64(time.Millisecond))
	}
	if v := prop(obj, "retry"); !nullish(v) {
		r, err := parseRetry(v)
		if err != nil {
			return err
		}
		s.retry = r
	}
	if v := prop(obj, "allowInsecure"); !nullish(v) {
		b, err := v.Bool()
		if err != nil || v.Type() != safejs.TypeBoolean {
			return usage("invalid_request", "allowInsecure is true or false")
		}
		s.allowInsecure = b
	}
	if v := prop(obj, "baseURL"); !nullish(v) {
		b, ok := str(v)
		if !ok {
			return usage("invalid_url", "baseURL is a string")
		}
		if _, err := authlib.ParseURL(b); err != nil {
			return err
		}
		s.baseURL = b
	}
	if v := prop(obj, "origins"); !nullish(v) {
		if !isArray(v) {
			return usage("invalid_url", "origins is an array of origins such as \"https://api.example.com\"")
		}
		s.origins = nil
		err := each(v, func(_ int, e safejs.Value) error {
			o, ok := str(e)
			if !ok {
				return usage("invalid_url", "origins holds something that is not a string")
			}
			s.origins = append(s.origins, o)
			return nil
		})
		if err != nil {
			return err
		}
	}
	if v := prop(obj, "redirect"); !nullish(v) {
		switch m, _ := str(v); m {
		case "follow":
			s.maxRedirects = 0
		case "manual":
			s.maxRedirects = -1
		default:
			return usage("invalid_request", "redirect is \"follow\" or \"manual\"")
		}
	}
	return nil
}

func parseRetry(v safejs.Value) (*authlib.Retry, error) {
	if n, ok := num(v); ok {
		if n < 0 || n > 100 {
			return nil, usage("invalid_request", "retry is a count from 0 to 100, or an options object")
		}
		return &authlib.Retry{Max: int(n)}, nil
	}
	if v.Type() != safejs.TypeObject {
		return nil, usage("invalid_request", "retry is a count, or {max, base, cap, maxRetryAfter, nonIdempotent}")
	}
	r := &authlib.Retry{}
	ms := func(name string, d *time.Duration) error {
		x := prop(v, name)
		if nullish(x) {
			return nil
		}
		f, ok := num(x)
		if !ok || f < 0 {
			return usage("invalid_request", "retry."+name+" is a number of milliseconds")
		}
		*d = time.Duration(f * float64(time.Millisecond))
		return nil
	}
	if x := prop(v, "max"); !nullish(x) {
		f, ok := num(x)
		if !ok || f < 0 || f > 100 {
			return nil, usage("invalid_request", "retry.max is a count from 0 to 100")
		}
		r.Max = int(f)
	}
	for name, d := range map[string]*time.Duration{"base": &r.Base, "cap": &r.Cap, "maxRetryAfter": &r.MaxRetryAfter} {
		if err := ms(name, d); err != nil {
			return nil, err
		}
	}
	if x := prop(v, "nonIdempotent"); !nullish(x) {
		r.NonIdempotent, _ = x.Bool()
	}
	return r, nil
}

// doFetch runs one call: it builds the request from input and init, sends
// it through an authlib.Client over the fetch transport, and returns the
// final JS Response untouched.
func doFetch(s settings, input, init safejs.Value) (any, error) {
	return doFetchFrom(s, input, init, nil)
}

// doFetchFrom is doFetch where first, when not nil, holds the response
// the JS fast path already got for the first request (a redirect for the
// Client to follow, a challenge): it stands in for sending that request
// again.
func doFetchFrom(s settings, input, init safejs.Value, first *primed) (any, error) {
	keys := ownKeys(init)
	if err := readSettingsKeys(&s, init, keys); err != nil {
		return nil, err
	}
	sig := safejs.Undefined()
	if keys["signal"] {
		sig = prop(init, "signal")
	}
	ctx, release, err := signalContext(sig)
	if err != nil {
		return nil, err
	}
	req, err := buildRequest(ctx, s, input, init, keys)
	if err != nil {
		release(true)
		return nil, err
	}
	tr := &fetch.Transport{HeadersOnDemand: true, Signal: sig}
	if extra := pick(init, passThrough, keys); extra.Type() == safejs.TypeObject {
		tr.Init = extra
	}
	c := s.client(tr)
	if first != nil {
		first.tr = tr
		c.Transport = first
	}
	res, err := c.Do(req)
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
	// The JS caller owns the body now, and the fetch the signal that ends
	// its read: Go lets go of both.
	release(false)
	return raw, nil
}

func (s *settings) client(tr authlib.Transport) *authlib.Client {
	return &authlib.Client{Transport: tr, Auth: s.auth, Origins: s.origins, AllowInsecure: s.allowInsecure,
		MaxRedirects: s.maxRedirects, Retry: s.retry, Timeout: s.timeout}
}

// primed answers its first request with a response already fetched to
// the headers sent, and sends the rest through tr.
type primed struct {
	first safejs.Value
	sent  authlib.Header
	used  bool
	tr    *fetch.Transport
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
// cancel false: the fetch has the signal itself (fetch.Transport.Signal),
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

// pick copies the named fields of obj that are set into a new object, or
// returns undefined when none is.
func pick(obj safejs.Value, names []string, keys map[string]bool) safejs.Value {
	if obj.Type() != safejs.TypeObject {
		return safejs.Undefined()
	}
	out := safejs.Undefined()
	for _, n := range names {
		if !keys[n] {
			continue
		}
		v := prop(obj, n)
		if v.IsUndefined() {
			continue
		}
		if out.IsUndefined() {
			out = newObject()
		}
		out.Set(n, v)
	}
	return out
}

// buildRequest reads input and init as authlib.mjs hands them over (see
// lean in authlib.mjs): input a URL string; init's headers one string of
// alternating name and value lines, its body a Uint8Array with the
// Content-Type already among the headers. JS read the Request, the Headers
// and the body, which is cheap there; Go reads a few values, not objects.
func buildRequest(ctx context.Context, s settings, input, init safejs.Value, keys map[string]bool) (*authlib.Request, error) {
	get := func(name string) safejs.Value {
		if !keys[name] {
			return safejs.Undefined()
		}
		return prop(init, name)
	}
	raw, ok := str(input)
	if !ok {
		return nil, usage("invalid_url", "fetch takes a URL string, a URL or a Request")
	}
	method := "GET"
	if m, ok := str(get("method")); ok {
		method = strings.ToUpper(m)
	}
	req, err := authlib.NewRequest(ctx, method, resolve(raw, s.baseURL), nil)
	if err != nil {
		return nil, err
	}
	if lines, ok := str(get("headers")); ok {
		req.Header = fetch.ParseHeaderLines(lines)
		for name := range req.Header {
			if !authlib.ValidHeaderName(name) {
				return nil, usage("invalid_request", "a header name is not a valid token")
			}
		}
	}
	if b := get("body"); !nullish(b) {
		n, err := b.Length()
		if err != nil {
			return nil, usage("invalid_request", "the body cannot be read")
		}
		req.Body = make([]byte, n)
		if _, err := safejs.CopyBytesToGo(req.Body, b); err != nil {
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
