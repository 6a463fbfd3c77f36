//go:build js && wasm

package jsfetch

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/hack-pad/safejs"
)

// Transport sends authlib requests with the runtime's fetch. Its zero
// value is ready to use.
type Transport struct {
	// Init, if set, is a JS object whose own properties (mode, credentials,
	// cache, referrerPolicy, ...) are copied into every RequestInit before
	// the fields the transport sets itself. The transport's default for
	// credentials is "omit": authlib sends the credentials it is given, not
	// the browser's cookies or cached logins, and so a 401 with Basic does
	// not make the browser show its own login dialog (which it does for
	// "same-origin" and "include").
	Init safejs.Value

	// Signal, if set, is an AbortSignal given to every fetch beside the
	// request context's own: it ends the fetch and the reading of its body
	// in JS, with no Go code waiting on it. The JS API hands the caller's
	// signal here, so that nothing of Go's need stay on it once a call has
	// its response.
	Signal safejs.Value

	// Timeout, if positive, bounds each fetch and the reading of its body
	// with AbortSignal.timeout, a JS timer: unlike a Go timer in wasm, it
	// does not keep a Node process alive after the work is done. An
	// expired one is [authlib.ErrTimeout].
	Timeout time.Duration

	// HeadersOnDemand skips copying the response headers into
	// Response.Header for statuses the authlib Client does not act on (1xx,
	// 2xx, 304, and errors other than 401, 403, 407, 429, 502, 503 and 504); the
	// JS Response in Raw has them all. Copying them is the dearest step of a
	// round trip, so the JS API, which hands Raw back, sets it.
	HeadersOnDemand bool

	// Manual, in a browser, gives fetch redirect "manual": a redirect is
	// the answer (an opaqueredirect response, status 0, as fetch makes it),
	// for a Client that follows none (MaxRedirects < 0). Node's fetch is
	// always given "manual", and the Client decides.
	Manual bool
}

// RoundTrip implements authlib.Transport. The response's Raw is the JS
// Response; its Body reads the JS body only when read.
func (t *Transport) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	ctx := req.Context()
	if err := context.Cause(ctx); err != nil {
		return nil, ctxError(req, err)
	}
	node := IsNode()
	if err := checkRequest(req, node); err != nil {
		return nil, err
	}
	mode := t.redirectMode(req, node)
	// An AbortController only when the context can end: it costs JS calls.
	abortable := ctx.Done() != nil
	init, ctrl, err := t.buildInit(req, mode, abortable)
	if err != nil {
		return nil, jsError(req, authlib.ErrNetwork, "building the fetch request failed", err)
	}
	stop := func() bool { return false }
	if abortable {
		stop = context.AfterFunc(ctx, func() { ctrl.Call("abort") })
	}
	fetchFn := js().fetch
	if fetchFn.Type() != safejs.TypeFunction {
		stop()
		return nil, &authlib.Error{Kind: authlib.ErrUnsupported, Op: req.Method, Detail: "this runtime has no fetch (Node 18 or later, or a browser, is needed)"}
	}
	p, err := fetchFn.Invoke(req.URL.String(), init)
	if err != nil {
		stop()
		return nil, jsError(req, authlib.ErrNetwork, "fetch refused the request", err)
	}
	v, err := Await(context.Background(), p) // an abort rejects it promptly
	if err != nil {
		stop()
		if cerr := context.Cause(ctx); cerr != nil {
			return nil, ctxError(req, cerr)
		}
		return nil, t.fetchFailed(req, mode, err)
	}
	return response(req, v, stop, t.HeadersOnDemand)
}

// clientNeedsHeaders reports the statuses whose headers the Client reads:
// redirects (Location), challenges (a 403 may say insufficient_scope), and
// retries (Retry-After).
func clientNeedsHeaders(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308, 401, 403, 407, 429, 502, 503, 504:
		return true
	}
	return false
}

// Check refuses, as RoundTrip does before fetch sees them, what fetch
// would throw on, mangle or drop, and returns the redirect mode RoundTrip
// gives fetch: "manual" in Node, where the Client follows redirects; in a
// browser "follow", or "error" when a credential other than Authorization
// must not follow. A caller that builds the fetch itself from plain
// values, as authlib.mjs does, needs both; header values go to fetch as
// [ByteString] makes them.
func (t *Transport) Check(req *authlib.Request) (redirect string, err error) {
	node := IsNode()
	if err := checkRequest(req, node); err != nil {
		return "", err
	}
	return t.redirectMode(req, node), nil
}

// Failed returns the typed, scrubbed error for a fetch of req, sent with
// the fields [Transport.Check] allowed, that rejected with reason, without sending req
// again. In a browser a failed GET or HEAD is probed once, without
// credentials, to tell a refused redirect from a network failure.
func (t *Transport) Failed(req *authlib.Request, reason safejs.Value) error {
	return t.fetchFailed(req, t.redirectMode(req, IsNode()), Rejection{Value: reason})
}

// WrapResponse turns a JS Response to req, fetched as [Transport.Check] allowed,
// into an authlib.Response, as RoundTrip would return it.
func (t *Transport) WrapResponse(req *authlib.Request, v safejs.Value) (*authlib.Response, error) {
	return response(req, v, func() bool { return false }, t.HeadersOnDemand)
}

// checkRequest refuses, before fetch sees them, what fetch would throw on,
// mangle, or drop.
func checkRequest(req *authlib.Request, node bool) error {
	creds := req.CredentialHeaders()
	for name, vs := range req.Header {
		if !authlib.ValidHeaderName(name) {
			return &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: req.Method, Detail: "a header name is not a valid token"}
		}
		check := authlib.CheckHeaderValue
		if slices.Contains(creds, name) {
			check = authlib.CheckCredentialValue
		}
		for _, v := range vs {
			if r := check(v); r != "" {
				return &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: req.Method, Detail: "the header " + name + " " + r}
			}
		}
		if !node && forbiddenInBrowsers(name) {
			return &authlib.Error{Kind: authlib.ErrUnsupported, Op: req.Method,
				Detail: "browsers do not let scripts set " + name + "; send it from Node or a native program"}
		}
		if node && name == "Proxy-Authorization" {
			// fetch would send it to the origin: a proxy is reached only
			// through a dispatcher, which takes its credentials itself.
			return &authlib.Error{Kind: authlib.ErrUnsupported, Op: req.Method,
				Detail: "fetch sends Proxy-Authorization to the origin, not to a proxy; in Node give the proxy its credentials through a dispatcher (undici's ProxyAgent with token; in authlib.mjs the proxy option)"}
		}
	}
	if len(req.Body) > 0 && (req.Method == "GET" || req.Method == "HEAD") {
		return &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: req.Method, Detail: "fetch cannot send a body with GET or HEAD"}
	}
	return nil
}

// redirectMode: Node hands redirects to the Client; a browser follows only
// when fetch's own stripping of Authorization is protection enough: not
// for other credential fields, nor for credentials bound to a path.
func (t *Transport) redirectMode(req *authlib.Request, node bool) string {
	if node || t.Manual {
		return "manual"
	}
	if req.CredentialsPathBound() {
		// fetch would carry Authorization to any path of the origin, and
		// the credentials are for a part of it.
		return "error"
	}
	for _, name := range req.CredentialHeaders() {
		if name != "Authorization" {
			return "error"
		}
	}
	return "follow"
}

func (t *Transport) buildInit(req *authlib.Request, mode string, abortable bool) (init, ctrl safejs.Value, err error) {
	object := js().object
	if init, err = object.New(); err != nil {
		return
	}
	// Only the credentials authlib is given: no cookies or cached logins,
	// and so no login dialog of the browser's own on a 401 with Basic.
	if err = init.Set("credentials", js().omit); err != nil {
		return
	}
	if t.Init.Type() == safejs.TypeObject {
		if _, err = object.Call("assign", init, t.Init); err != nil {
			return
		}
	}
	headers, err := object.New()
	if err != nil {
		return
	}
	for name, vs := range req.Header {
		if err = headers.Set(name, ByteString(strings.Join(vs, ", "))); err != nil {
			return
		}
	}
	// The fetch's signal: the context's (an AbortController that
	// RoundTrip aborts), the transport's Signal, a timeout's; joined with
	// AbortSignal.any when there are more than one.
	var signals []any
	if abortable {
		if ctrl, err = js().abortController.New(); err != nil {
			return
		}
		var signal safejs.Value
		if signal, err = ctrl.Get("signal"); err != nil {
			return
		}
		signals = append(signals, signal)
	}
	if t.Signal.Type() == safejs.TypeObject {
		signals = append(signals, t.Signal)
	}
	if t.Timeout > 0 {
		var signal safejs.Value
		if signal, err = js().abortSignal.Call("timeout", max(t.Timeout.Milliseconds(), 1)); err != nil {
			return
		}
		signals = append(signals, signal)
	}
	switch len(signals) {
	case 0:
	case 1:
		err = init.Set("signal", signals[0])
	default:
		var any safejs.Value
		if any, err = js().abortSignal.Call("any", signals); err == nil {
			err = init.Set("signal", any)
		}
	}
	if err != nil {
		return
	}
	if req.Method != "GET" {
		if err = init.Set("method", req.Method); err != nil {
			return
		}
	}
	if err = init.Set("headers", headers); err != nil {
		return
	}
	if err = init.Set("redirect", js().redirect[mode]); err != nil {
		return
	}
	if len(req.Body) > 0 {
		var body safejs.Value
		if body, err = js().uint8Array.New(len(req.Body)); err != nil {
			return
		}
		if _, err = safejs.CopyBytesToJS(body, req.Body); err != nil {
			return
		}
		err = init.Set("body", body)
	}
	return
}

// response wraps the JS Response v.
func response(req *authlib.Request, v safejs.Value, stop func() bool, onDemand bool) (*authlib.Response, error) {
	status, err := getInt(v, "status")
	if err != nil {
		stop()
		return nil, jsError(req, authlib.ErrNetwork, "the fetch response is unreadable", err)
	}
	h := authlib.Header{}
	if !onDemand || clientNeedsHeaders(status) {
		if h, err = readHeaders(v); err != nil {
			stop()
			return nil, jsError(req, authlib.ErrNetwork, "the fetch response headers are unreadable", err)
		}
	}
	res := &authlib.Response{StatusCode: status, Header: h, Request: req, Raw: v, URL: req.URL}
	// A redirect's Location as fetch will read it (WHATWG): resolved, its
	// host mapped as fetch connects to it (IDNA, IPv4 in any notation), so
	// that the Client decides where credentials go by the host fetch will
	// reach, not by another reading of the same text.
	if loc := h.Get("Location"); loc != "" && status >= 300 && status < 400 {
		if u, err := js().url.New(loc, req.URL.String()); err == nil {
			if href, ok := jsString(u, "href"); ok {
				h.Set("Location", href)
			}
		}
	}
	if r, err := v.Get("redirected"); err == nil {
		res.Redirected, _ = r.Bool()
	}
	// Only a followed redirect changes the URL; reading it costs a string.
	if res.Redirected {
		if s, ok := jsString(v, "url"); ok && s != "" {
			if u, err := url.Parse(s); err == nil {
				res.URL = u
			}
		}
	}
	// A challenge that is not there may only be hidden: say so when the
	// response is cross-origin (read only then: it costs a string).
	if (status == 401 && h.Get("WWW-Authenticate") == "" || status == 407 && h.Get("Proxy-Authenticate") == "") && !IsNode() {
		typ, _ := jsString(v, "type")
		res.HeadersHidden = typ == "cors"
	}
	res.Body = &body{res: v, stop: stop}
	return res, nil
}

func getInt(v safejs.Value, name string) (int, error) {
	p, err := v.Get(name)
	if err != nil {
		return 0, err
	}
	return p.Int()
}

// readHeaders copies a Headers object; fetch has already joined repeated
// fields with ", ", which the challenge parser reads as a list. It asks JS
// for one string, names and values separated by newlines (which no name or
// value can contain), rather than taking a callback per field: a call back
// into Go is the most expensive crossing there is.
func readHeaders(v safejs.Value) (authlib.Header, error) {
	hv, err := v.Get("headers")
	if err != nil {
		return nil, err
	}
	pairs, err := js().array.Call("from", hv)
	if err != nil {
		return nil, err
	}
	flat, err := pairs.Call("flat")
	if err != nil {
		return nil, err
	}
	joined, err := flat.Call("join", js().newline)
	if err != nil {
		return nil, err
	}
	s, err := joined.String()
	if err != nil {
		return nil, err
	}
	return parseHeaderLines(s), nil
}

// fetchFailed turns a rejected fetch into a typed error. A browser hides
// why fetch failed; a GET or HEAD that failed is probed again without
// credentials and with redirect mode "manual", and if its answer is a
// redirect, the failure is a redirect that was not followed: refused by
// mode "error" (a credential header would have gone along), or refused by
// the browser (a target fetch does not go to, or too many hops).
func (t *Transport) fetchFailed(req *authlib.Request, mode string, err error) error {
	var rej Rejection
	if errors.As(err, &rej) {
		switch name, _ := jsString(rej.Value, "name"); name {
		case "AbortError":
			return &authlib.Error{Kind: authlib.ErrCanceled, Op: req.Method, URL: authlib.RedactURL(req.URL), Detail: "the request was aborted"}
		case "TimeoutError": // AbortSignal.timeout
			return &authlib.Error{Kind: authlib.ErrTimeout, Op: req.Method, URL: authlib.RedactURL(req.URL), Detail: "the signal's time ran out"}
		}
	}
	browser := !IsNode()
	where := authlib.RedactURL(req.URL)
	safe := req.Method == "GET" || req.Method == "HEAD"
	// A service worker sends the page's requests: it sends no other (the
	// probe is one), and the page's script sees only a failed fetch anyway.
	if browser && safe && !inServiceWorker() {
		switch t.probe(req) {
		case probeRedirect:
			detail := "the server redirects, and a browser cannot follow a redirect without sending the credential headers along (only Authorization is dropped across origins); request the final URL directly"
			if mode != "error" {
				detail = "the server redirects, and the browser would not follow: the target may be a URL that fetch does not go to (ftp:, data:, javascript:, or one with user:password@), or the chain loops or passes 20 redirects; browsers do not say which"
			}
			return &authlib.Error{Kind: authlib.ErrRedirectBlocked, Op: req.Method, URL: where, Detail: detail}
		case probeAnswers:
			return jsError(req, authlib.ErrNetwork, "the server answers a request without credentials, so the browser refused this one by CORS: the server's answer to the preflight must name every header sent in Access-Control-Allow-Headers ("+headerNames(req)+"; * does not cover Authorization)", err)
		case probeNoCORS:
			return jsError(req, authlib.ErrNetwork, "the server answered, but does not allow this page's origin by CORS (no Access-Control-Allow-Origin for it), so the browser keeps the response from scripts", err)
		case probeNothing:
			return jsError(req, authlib.ErrNetwork, "nothing answered at "+req.URL.Host+": the server is down or the port closed, the name does not resolve, or its TLS certificate is not trusted", err)
		}
	}
	detail := "fetch failed"
	switch {
	case browser && mode == "error":
		detail += " (a browser hides the cause: the server may have redirected, which authlib does not let a browser follow while a credential header other than Authorization would go along; or the server does not allow this origin by CORS, its TLS certificate is not trusted, or it is unreachable)"
	case browser:
		detail += " (a browser hides the cause: a redirect the browser would not follow, a server that does not allow this origin by CORS, a TLS certificate that is not trusted, or a server that is unreachable)"
	}
	return jsError(req, authlib.ErrNetwork, detail, err)
}

// What a browser's failed fetch turns out to be, asked again without
// credentials.
type probeResult int

const (
	probeUnknown  probeResult = iota
	probeRedirect             // the first answer is a redirect
	probeAnswers              // without credentials the server answers, CORS and all
	probeNoCORS               // the server answers, without CORS for this origin
	probeNothing              // nothing answers
)

// probe asks req's URL again, without credentials: with redirect mode
// "manual" (a redirect shows as opaqueredirect), then, if the browser
// refused that too, with mode "no-cors", which any answering server
// satisfies.
func (t *Transport) probe(req *authlib.Request) probeResult {
	bare := req.Clone()
	for _, name := range req.CredentialHeaders() {
		bare.Header.Del(name)
	}
	bare.Header.Del("Authorization")
	init, _, err := t.buildInit(bare, "manual", false)
	if err != nil {
		return probeUnknown
	}
	if v, ok := t.probeFetch(req, init); ok {
		if typ, _ := jsString(v, "type"); typ == "opaqueredirect" {
			return probeRedirect
		}
		return probeAnswers
	}
	// no-cors allows only safelisted headers and following redirects.
	if init.Set("mode", "no-cors") != nil || init.Set("redirect", "follow") != nil || init.Delete("headers") != nil {
		return probeUnknown
	}
	if _, ok := t.probeFetch(req, init); ok {
		return probeNoCORS
	}
	return probeNothing
}

func (t *Transport) probeFetch(req *authlib.Request, init safejs.Value) (safejs.Value, bool) {
	p, err := js().fetch.Invoke(req.URL.String(), init)
	if err != nil {
		return safejs.Undefined(), false
	}
	ctx, cancel := context.WithTimeout(req.Context(), 10*time.Second)
	defer cancel()
	v, err := Await(ctx, p)
	return v, err == nil
}

// headerNames lists the names of the header fields req sends.
func headerNames(req *authlib.Request) string {
	return strings.Join(req.Header.Names(), ", ")
}

// ByteString returns a header value as fetch's ByteString wants it: one
// character per byte, so that a byte outside ASCII (the UTF-8 of a Digest
// username) is sent as itself, as Go's net/http sends it, not re-encoded.
// A caller that hands a header value to fetch itself needs it.
func ByteString(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 {
			r := make([]rune, len(v))
			for j := 0; j < len(v); j++ {
				r[j] = rune(v[j])
			}
			return string(r)
		}
	}
	return v
}
