package nethttp

import (
	"io"
	"net/http"

	"github.com/authlib-go/authlib/authlib"
)

// RoundTripper puts an authlib scheme under an http.Client:
//
//	client := &http.Client{Transport: &nethttp.RoundTripper{Auth: &authlib.Digest{...}}}
//
// Each request gets the scheme's credentials, and its challenges are
// answered, through an authlib.Client over Base (nil means
// http.DefaultTransport). Redirects stay with the http.Client, but a
// request it makes for a redirect gets credentials only while every hop of
// its chain, the first request's included, stays on the first request's
// origin or one of Origins: a custom header such as X-TokenAuth never
// follows a redirect elsewhere.
//
// The request body is read into memory so that it can be sent again.
type RoundTripper struct {
	Auth          authlib.Auth
	Base          http.RoundTripper
	Origins       []string
	AllowInsecure bool
	Retry         *authlib.Retry
}

// RoundTrip implements http.RoundTripper.
func (rt *RoundTripper) RoundTrip(hr *http.Request) (*http.Response, error) {
	var body []byte
	if hr.Body != nil && hr.Body != http.NoBody {
		b, err := io.ReadAll(hr.Body)
		hr.Body.Close()
		if err != nil {
			return nil, &authlib.Error{Kind: authlib.ErrNetwork, Op: hr.Method, URL: authlib.RedactURL(hr.URL), Detail: "reading the request body", Err: err}
		}
		body = b
	}
	method := hr.Method
	if method == "" {
		method = "GET"
	}
	u := *hr.URL
	req, err := authlib.NewRequest(hr.Context(), method, u.String(), body)
	if err != nil {
		return nil, err
	}
	req.Header = authlib.Header(hr.Header.Clone())
	if req.Header == nil {
		req.Header = authlib.Header{}
	}
	c := &authlib.Client{
		Transport:     &Transport{Base: rt.Base},
		Auth:          rt.Auth,
		Origins:       rt.Origins,
		AllowInsecure: rt.AllowInsecure,
		MaxRedirects:  -1,
		Retry:         rt.Retry,
	}
	if !rt.chainBound(hr) {
		c.Auth = nil
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	out, ok := res.Raw.(*http.Response)
	if !ok {
		out = &http.Response{StatusCode: res.StatusCode, Header: http.Header(res.Header), ContentLength: -1}
	}
	out.Body = res.Body
	out.Request = hr
	return out, nil
}

// chainBound reports whether every request of hr's redirect chain went to
// the origin of the first or to one of rt.Origins.
func (rt *RoundTripper) chainBound(hr *http.Request) bool {
	chain := []*http.Request{hr}
	for r := hr; r.Response != nil && r.Response.Request != nil; r = r.Response.Request {
		chain = append(chain, r.Response.Request)
	}
	first := chain[len(chain)-1]
	allowed := map[string]bool{authlib.Origin(first.URL): true}
	for _, o := range rt.Origins {
		if u, err := authlib.ParseURL(o); err == nil {
			allowed[authlib.Origin(u)] = true
		}
	}
	for _, r := range chain {
		if !allowed[authlib.Origin(r.URL)] {
			return false
		}
	}
	return true
}
