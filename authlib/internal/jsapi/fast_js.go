//go:build js && wasm

package jsapi

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/jsfetch"
	"github.com/authlib-go/authlib/authlib/internal/wire"
	"github.com/hack-pad/safejs"
)

// The fast path. A call into Go costs microseconds, and so does every JS
// value Go holds; a loopback request in Node takes a quarter of a
// millisecond. So for the common request (a scheme that only adds
// headers, or Digest with a nonce held; no retry; any method, the body
// read by authlib.mjs as bytes; a signal, a timeout) authlib.mjs
// asks prepare for the request as the Client would send it, in one
// synchronous call, and calls fetch itself. Only a redirect for the Client
// to follow comes back into Go, through resume. Everything else takes the
// full path through fetch(), as does anything prepare declines (null).

// prepare(msg, body, signal, pass, fn, onToken, resolve, reject) → a
// prepared request | null | AuthError. The arguments are fetch's. Go
// decodes msg once: a request it prepares comes back as one message of
// the prepared fields (wire: url, redirectMode, follow, renew, cache,
// answer, until, method, header), which authlib.mjs turns into fetch's
// arguments (Go builds no JS object for it); one it declines (null) Go
// runs itself from what it decoded, and settles with resolve or reject.
//
// The flags: follow, a redirect comes back to Go to follow (Node); renew,
// so does a 401, to renew an OAuth token or answer a Digest challenge;
// cache, JS may reuse it for the next request with the same credentials to
// this origin (the header is the same every time: not a Digest answer,
// which counts its nonce, nor a signature; an OAuth token until Skew
// before it expires);
// answer, a Digest answer, reused with a new Authorization from answer()
// each time.
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func jsPrepare(s settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		s := s // the call's options go on a copy of the client's
		c := callArgs(args, 0)
		m, err := decode(c.msg)
		if err == nil {
			err = s.apply(m, c.fn, c.onToken)
		}
		if err != nil {
			return toAuthError(err)
		}
		out, err := prepareOut(&s, m, c.body)
		switch {
		case err != nil:
			return toAuthError(err)
		case out == nil:
			settle(arg(args, 6), arg(args, 7), func() (any, error) { return run(s, m, c, nil) })
			return safejs.Null()
		}
		return out.Encode()
	}
}

// prepareOut returns the message of the prepared fields for the request of
// m, with s the call's settings (m applied), or nil when prepare declines
// it. It never waits: besides prepare, the lean export calls it (see
// lean_js.go), which must return before anything in JS can happen.
func prepareOut(s *settings, m *wire.Message, body safejs.Value) (*wire.Message, error) {
	tr, p, until, w, err := prepared(s, m, body)
	if err != nil || p == nil {
		return nil, err
	}
	redirect, err := tr.Check(p)
	if err != nil {
		return nil, err
	}
	out := &wire.Message{}
	out.Add("url", p.URL.String())
	out.Add("redirectMode", redirect)
	for _, f := range [...]struct {
		on   bool
		name string
	}{{w.Follow, "follow"}, {w.Renew, "renew"}, {w.Answer, "answer"}, {w.Cache, "cache"}} {
		if f.on {
			out.Add(f.name, "1")
		}
	}
	if !until.IsZero() {
		out.Add("until", strconv.FormatInt(until.UnixMilli(), 10))
	}
	if isAWS(s.auth) {
		out.Add("aws4", "1")
	}
	out.Add("method", p.Method)
	for name, vs := range p.Header {
		out.Add("header", name+":"+jsfetch.ByteString(strings.Join(vs, ", ")))
	}
	return out, nil
}

// failed(msg, body, pass, reason, reject): the fast path's fetch
// rejected; reject with the typed, scrubbed AuthError, without sending the
// request again (retries are opt-in, and the fast path has none).
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func jsFailed(s settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		msg, body, pass, reason, reject := arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4)
		s := s // the call's options go on a copy of the client's
		settle(reject, reject, func() (any, error) {
			var tr *jsfetch.Transport
			var p *authlib.Request
			m, err := decode(msg)
			if err == nil {
				err = s.apply(m, safejs.Undefined(), safejs.Undefined())
			}
			if err == nil {
				tr, p, _, _, err = prepared(&s, m, body)
			}
			if err == nil && p != nil {
				// The probe of a failed GET in a browser goes with the same
				// fields fetch got unchanged.
				if pass.Type() == safejs.TypeObject {
					tr.Init = pass
				}
				err = tr.Failed(p, reason)
			}
			if err == nil {
				err = &authlib.Error{Kind: authlib.ErrNetwork, Detail: "fetch failed"}
			}
			return nil, err
		})
		return nil
	}
}

// prepared returns the request of the message m as the fast path sends
// it, with its transport, the way it goes (way.go), and for an OAuth token
// until when it may be sent; p is nil when Go runs the call instead. s
// holds the call's settings (the client's, with m's applied on top).
func prepared(s *settings, m *wire.Message, body safejs.Value) (tr *jsfetch.Transport, p *authlib.Request, until time.Time, w way, err error) {
	auth := s.auth
	f := facts{
		Kind:    schemeKind(auth),
		Node:    jsfetch.IsNode(),
		Follow:  s.MaxRedirects >= 0,
		GoTimer: s.Timeout > 0, // authlib.mjs sends timeout 0 where JS keeps it
		Retries: s.Retry != nil && s.Retry.Max > 0,
		// Whether a nonce is held is known once the URL is read, below.
		DigestReady: true,
		PathBound:   authlib.PathBound(auth),
	}
	if f.Kind == oauthKind {
		// An OAuth token held goes as the Bearer it is (a DPoP token with
		// its Auth, which makes a proof).
		auth, until = cachedBearer(auth)
		f.TokenHeld, f.TokenSigns = auth != nil, dpopBound(s.auth)
	}
	if w = choose(f); w.GoRuns {
		return nil, nil, until, w, nil
	}
	req, err := buildRequest(authlib.NoWait(context.Background()), s, m, body)
	if err != nil {
		return nil, nil, until, w, err
	}
	if d, ok := auth.(*authlib.Digest); ok {
		if f.DigestReady = d.Ready(req.Origin()); !f.DigestReady {
			return nil, nil, until, choose(f), nil
		}
	}
	// JS copies the fields fetch gets unchanged itself.
	tr = &jsfetch.Transport{HeadersOnDemand: true, Manual: s.MaxRedirects < 0}
	c := s.client(tr)
	c.Auth = auth
	p, err = c.Prepare(req)
	if errors.Is(err, errWouldWait) {
		return nil, nil, until, way{GoRuns: true}, nil // the key signs only asynchronously: the Client runs it
	}
	return tr, p, until, w, err
}

// answer(url, method) → the Authorization of one more request with the
// client's Digest: the nonce held for url's origin counted, the response
// computed. Two strings in, one out: the leanest call there is, for the one
// thing a repeat Digest request needs from Go. null when Go must run the
// request (no nonce held, not Digest); an AuthError for a URL the client
// refuses.
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func jsAnswer(s settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		raw, ok1 := str(arg(args, 0))
		method, ok2 := str(arg(args, 1))
		if !ok1 || !ok2 || s.answer == nil {
			return safejs.Null()
		}
		h, err := s.answer(raw, method)
		switch {
		case err != nil:
			return toAuthError(err)
		case h == "":
			return safejs.Null()
		}
		return h
	}
}

// answerer returns the answer of a client with the settings s: the
// Authorization (a byte string) for a request to raw with method, "" when
// Go must run the request, or an error for a URL the client refuses. It
// never waits (see prepareOut).
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func answerer(s settings) func(raw, method string) (string, error) {
	d, ok := s.auth.(*authlib.Digest)
	c := s.client(&jsfetch.Transport{}) // Prepare sends nothing
	return func(raw, method string) (string, error) {
		if !ok {
			return "", nil
		}
		req, err := authlib.NewRequest(context.Background(), method, raw, nil)
		if err != nil {
			return "", err
		}
		if !d.Ready(req.Origin()) {
			return "", nil
		}
		p, err := c.Prepare(req)
		if err != nil {
			return "", err
		}
		return jsfetch.ByteString(p.Header.Get("Authorization")), nil
	}
}

// resume(msg, body, signal, pass, fn, onToken, response, sent, resolve,
// reject): the Client takes over from a response the fast path got (a
// redirect, a 401), as if it had sent the request itself; sent is the
// header fields JS sent (a wire message of sent fields), which the
// response is the answer to: an OAuth token refused is the one sent, not
// the one Go would send now (which another call may have renewed already).
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func jsResume(s settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		c := callArgs(args, 0)
		first := arg(args, 6)
		sent := authlib.Header{}
		if m, err := decode(arg(args, 7)); err == nil {
			for _, f := range m.All("sent") {
				name, value, _ := strings.Cut(f, ":")
				sent.Add(name, value)
			}
		}
		settle(arg(args, 8), arg(args, 9), func() (any, error) {
			return doFetchFrom(s, c, &primed{first: first, sent: sent})
		})
		return nil
	}
}

// schemeKind is what the scheme a is to the way a call goes (see way.go).
// AWS SigV4 signs at once with its keys given (a credentials function is
// JS, and waits); OAuth 1.0a but in a form body (JS sends the body it has,
// not one Go changed); RFC 9421 always (a key WebCrypto holds signs at
// once where the runtime can, Node, or else declines: errWouldWait).
func schemeKind(a authlib.Auth) kind {
	switch a.(type) {
	case nil, authlib.Basic, authlib.Bearer, boundBearer, authlib.HeaderAuth, authlib.ProxyBasic, authlib.Netrc:
		return headersOnly
	case *authlib.Digest:
		return digestKind
	}
	if k, ok := signingKind(a); ok {
		return k
	}
	if isOAuth(a) {
		return oauthKind
	}
	return goOnly
}

// boundBearer is an OAuth token held now, for the resources it was asked
// for (see authlib.Bounded): the Client applies it within them alone.
type boundBearer struct {
	authlib.Bearer
	bounds []string
}

func (b boundBearer) Bounds() []string { return b.bounds }
