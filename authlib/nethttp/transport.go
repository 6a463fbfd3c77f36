// Package nethttp joins authlib to net/http for native Go programs: a
// [Transport] that sends authlib requests through an http.RoundTripper,
// and a [RoundTripper] that puts any authlib scheme under an http.Client.
//
// It is the one place in authlib that imports net/http; a js/wasm program
// should use the fetch transport instead.
package nethttp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// Transport sends authlib requests through net/http. It does not follow
// redirects (the authlib Client does). Base nil means http.DefaultTransport.
//
// Proxy credentials (Proxy-Authorization) go only to the proxy that Base's
// Proxy chooses: in the CONNECT of the tunnel to an https origin, in the
// request to an http origin; a request that goes to no proxy is refused
// with them (see proxy.go). A Digest challenge from a proxy (407) can be
// answered for http origins only: for https, net/http ends the CONNECT.
type Transport struct {
	Base http.RoundTripper
}

// RoundTrip implements authlib.Transport.
func (t *Transport) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(req.Context(), req.Method, req.URL.String(), body)
	if err != nil {
		return nil, &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: req.Method, URL: authlib.RedactURL(req.URL), Detail: "net/http refused the request"}
	}
	hr.Header = http.Header(req.Header.Clone())
	// Host without the scheme's default port, as fetch sends it: what a
	// signature (AWS SigV4, RFC 9421 @authority) covers is then the same
	// whichever transport sends it. net/http keeps an explicit ":443".
	if u := req.URL; (u.Scheme == "https" && u.Port() == "443") || (u.Scheme == "http" && u.Port() == "80") {
		hr.Host = u.Hostname()
		if strings.Contains(hr.Host, ":") {
			hr.Host = "[" + hr.Host + "]"
		}
	}
	base, hr, err = proxyRoute(base, hr, req)
	if err != nil {
		return nil, err
	}
	res, err := base.RoundTrip(hr)
	if err != nil {
		return nil, transportError(req, err)
	}
	u := res.Request.URL
	return &authlib.Response{
		StatusCode: res.StatusCode,
		Header:     authlib.Header(res.Header),
		Body:       res.Body,
		URL:        u,
		Request:    req,
		Raw:        res,
	}, nil
}

// transportError classifies err without its URL: *url.Error would repeat
// the query string, which may hold a token.
func transportError(req *authlib.Request, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	kind := authlib.ErrNetwork
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		kind = authlib.ErrTimeout
	case errors.Is(err, context.Canceled):
		kind = authlib.ErrCanceled
	}
	return &authlib.Error{Kind: kind, Op: req.Method, URL: authlib.RedactURL(req.URL), Err: err}
}
