//go:build js && wasm

package main

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/fetch"
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

// prepare(input, init) → a prepared request | null | AuthError. The
// request comes back as one string, which authlib.mjs turns into fetch's
// arguments (readPrepared there): lines of the URL, the redirect mode, the
// flags, until when it may be reused (ms since the epoch, or empty), the
// method, the timeout in ms (or empty; JS gives fetch a signal that ends
// then), then header names and values alternating. Go builds no JS object
// for it.
//
// The flags: f, a redirect comes back to Go to follow (Node); r, so does a
// 401, to renew an OAuth token or answer a Digest challenge; c, JS may
// reuse it for the next request with the same credentials to this origin
// (the header is the same every time: not a Digest answer, which counts its
// nonce; an OAuth token until Skew before it expires); a, a Digest answer,
// reused with a new Authorization from answer() each time.
func jsPrepare(s settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		tr, p, s, until, err := prepared(s, arg(args, 0), arg(args, 1))
		switch {
		case err != nil:
			return toAuthError(err)
		case p == nil:
			return safejs.Null()
		}
		redirect, err := tr.Check(p)
		if err != nil {
			return toAuthError(err)
		}
		_, digest := s.auth.(*authlib.Digest)
		flags := ""
		if fetch.IsNode() && s.maxRedirects >= 0 {
			flags += "f"
		}
		if isOAuth(s.auth) || digest {
			flags += "r"
		}
		if digest {
			flags += "a"
		} else {
			flags += "c"
		}
		ms := ""
		if !until.IsZero() {
			ms = strconv.FormatInt(until.UnixMilli(), 10)
		}
		timeout := ""
		if s.timeout > 0 {
			timeout = strconv.FormatInt(max(s.timeout.Milliseconds(), 1), 10)
		}
		lines := []string{p.URL.String(), redirect, flags, ms, p.Method, timeout}
		for name, vs := range p.Header {
			lines = append(lines, name, fetch.ByteString(strings.Join(vs, ", ")))
		}
		return strings.Join(lines, "\n")
	}
}

// failed(input, init, reason, reject): the fast path's fetch rejected;
// reject with the typed, scrubbed AuthError, without sending the request
// again (retries are opt-in, and the fast path has none).
func jsFailed(s settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		input, init, reason, reject := arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3)
		settle(reject, reject, func() (any, error) {
			tr, p, _, _, err := prepared(s, input, init)
			if err == nil && p != nil {
				// The probe of a failed GET in a browser goes with the same
				// fields fetch got unchanged: read only now that it fails.
				if extra := pick(init, passThrough, ownKeys(init)); extra.Type() == safejs.TypeObject {
					tr.Init = extra
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

// prepared returns the request as the fast path sends it, its transport,
// the call's settings (the client's, with init's on top), and for an OAuth
// token until when it may be sent; p is nil when the request does not take
// the fast path.
func prepared(s settings, input, init safejs.Value) (tr *fetch.Transport, p *authlib.Request, _ settings, until time.Time, err error) {
	keys := ownKeys(init)
	// authlib.mjs has read any Request and body (the body comes as bytes),
	// and hands fetch the signal itself: an abort rejects with an
	// AbortError, which failed() turns into ErrCanceled.
	if input.Type() != safejs.TypeString {
		return nil, nil, s, until, nil
	}
	if err := readSettingsKeys(&s, init, keys); err != nil {
		return nil, nil, s, until, err
	}
	// An OAuth token already held goes as the Bearer it is; one that needs
	// a token request takes the full path (a synchronous call cannot wait).
	auth := s.auth
	if isOAuth(auth) {
		if auth, until = cachedBearer(auth); auth == nil {
			return nil, nil, s, until, nil
		}
	}
	digest, _ := auth.(*authlib.Digest)
	if (!stateless(auth) && digest == nil) || (s.retry != nil && s.retry.Max > 0) {
		return nil, nil, s, until, nil
	}
	req, err := buildRequest(context.Background(), s, input, init, keys)
	if err != nil {
		return nil, nil, s, until, err
	}
	// Digest with a nonce held for the origin answers at once: one call to
	// count the nonce and compute the response. Before that, or when its
	// answer is refused, the Client runs the exchange.
	if digest != nil && !digest.Ready(req.Origin()) {
		return nil, nil, s, until, nil
	}
	// JS copies the fields fetch gets unchanged (passThrough) itself.
	tr = &fetch.Transport{HeadersOnDemand: true}
	c := s.client(tr)
	c.Auth = auth
	p, err = c.Prepare(req)
	return tr, p, s, until, err
}

// answer(url, method) → the Authorization of one more request with the
// client's Digest: the nonce held for url's origin counted, the response
// computed. Two strings in, one out: the leanest call there is, for the one
// thing a repeat Digest request needs from Go. null when Go must run the
// request (no nonce held, not Digest); an AuthError for a URL the client
// refuses.
func jsAnswer(s settings) func(safejs.Value, []safejs.Value) any {
	d, ok := s.auth.(*authlib.Digest)
	c := s.client(&fetch.Transport{}) // Prepare sends nothing
	return func(_ safejs.Value, args []safejs.Value) any {
		raw, ok1 := str(arg(args, 0))
		method, ok2 := str(arg(args, 1))
		if !ok || !ok1 || !ok2 {
			return safejs.Null()
		}
		req, err := authlib.NewRequest(context.Background(), method, raw, nil)
		if err != nil {
			return toAuthError(err)
		}
		if !d.Ready(req.Origin()) {
			return safejs.Null()
		}
		p, err := c.Prepare(req)
		if err != nil {
			return toAuthError(err)
		}
		if v := p.Header.Get("Authorization"); v != "" {
			return fetch.ByteString(v)
		}
		return safejs.Null()
	}
}

// resume(input, init, response, sent, resolve, reject): the Client takes
// over from a response the fast path got (a redirect, a 401), as if it
// had sent the request itself; sent is the header lines JS sent, which the
// response is the answer to: an OAuth token refused is the one sent, not
// the one Go would send now (which another call may have renewed already).
func jsResume(s settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		input, init, first := arg(args, 0), arg(args, 1), arg(args, 2)
		sent, _ := str(arg(args, 3))
		settle(arg(args, 4), arg(args, 5), func() (any, error) {
			return doFetchFrom(s, input, init, &primed{first: first, sent: fetch.ParseHeaderLines(sent)})
		})
		return nil
	}
}

// stateless reports the schemes that only add headers, the same every
// time, and answer no challenge: Apply may run again when resume takes over.
func stateless(a authlib.Auth) bool {
	switch a.(type) {
	case nil, authlib.Basic, authlib.Bearer, authlib.HeaderAuth, authlib.ProxyBasic:
		return true
	}
	return false
}
