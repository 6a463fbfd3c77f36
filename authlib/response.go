package authlib

import (
	"io"
	"net/url"
)

// Response is what a [Transport] returns. Body is read only when the caller
// reads it, and must be closed.
type Response struct {
	StatusCode int
	Header     Header
	Body       io.ReadCloser

	// URL is the URL that answered: the request URL, or where a transport
	// that follows redirects by itself ended up.
	URL *url.URL
	// Redirected is true when the transport followed redirects itself.
	Redirected bool
	// HeadersHidden is true when the runtime hid some header fields from
	// the program: a browser shows a cross-origin response's headers only
	// as far as the server's Access-Control-Expose-Headers allows.
	HeadersHidden bool
	// Request is the request that was sent (credentials as sent).
	Request *Request
	// Raw is the transport's own response (*http.Response for package
	// nethttp, the JS Response for the fetch transport), or nil.
	Raw any
}

// Transport sends one request and returns its response.
//
// RoundTrip must not follow redirects: it returns a 3xx response and the
// Client decides, so that credentials stay with their origin. A transport
// that cannot avoid following them (a browser's fetch, whose manual mode is
// opaque) may follow only when the request carries no credential other than
// Authorization (which fetch itself drops across origins), must otherwise
// refuse with [ErrRedirectBlocked], and reports Redirected and URL.
//
// RoundTrip must honour the request's context. Errors should be [*Error]
// values of kind [ErrNetwork], [ErrTimeout] or [ErrCanceled]; the Client
// wraps anything else as [ErrNetwork]. A transport must not change the
// request.
type Transport interface {
	RoundTrip(req *Request) (*Response, error)
}

// TransportFunc adapts a function to [Transport].
type TransportFunc func(req *Request) (*Response, error)

// RoundTrip calls f(req).
func (f TransportFunc) RoundTrip(req *Request) (*Response, error) { return f(req) }

// drain reads a little of an unwanted body and closes it, so that the
// connection can be reused.
func drain(res *Response) {
	if res == nil || res.Body == nil {
		return
	}
	io.CopyN(io.Discard, res.Body, 64<<10)
	res.Body.Close()
}
