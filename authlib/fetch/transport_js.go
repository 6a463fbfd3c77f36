//go:build js && wasm

package fetch

import (
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/jsfetch"
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
	// in JS, with no Go code waiting on it.
	Signal safejs.Value

	// Timeout, if positive, bounds each fetch and the reading of its body
	// with AbortSignal.timeout, a JS timer: unlike a Go timer in wasm, it
	// does not keep a Node process alive after the work is done. An
	// expired one is [authlib.ErrTimeout].
	Timeout time.Duration

	// Manual, in a browser, gives fetch redirect "manual": a redirect is
	// the answer (an opaqueredirect response, status 0, as fetch makes it),
	// for a Client that follows none (MaxRedirects < 0). Node's fetch is
	// always given "manual", and the Client decides.
	Manual bool
}

// RoundTrip implements authlib.Transport. The response's Raw is the JS
// Response; its Body reads the JS body only when read.
func (t *Transport) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	e := jsfetch.Transport{Init: t.Init, Signal: t.Signal, Timeout: t.Timeout, Manual: t.Manual}
	return e.RoundTrip(req)
}

// IsNode reports whether the program runs under Node (where fetch allows
// redirect "manual" and Proxy-Authorization) rather than in a browser.
func IsNode() bool { return jsfetch.IsNode() }
