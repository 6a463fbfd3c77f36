package nethttp

import (
	"errors"
	"io"
	"net/http"
	"strings"

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
// follows a redirect elsewhere. Once the chain has left, the RoundTripper
// also removes what the caller set on the request and net/http copied
// along (net/http compares host names only, not ports or schemes):
// Authorization, Proxy-Authorization and the caller's cookies. Cookies that
// the http.Client's Jar adds for the new host stay.
//
// Proxy credentials, the scheme's or the caller's, follow [Transport]'s
// rule: they go only to the proxy that Base chooses.
//
// The request body is read into memory so that it can be sent again.
type RoundTripper struct {
	// Auth adds credentials and answers challenges; nil adds none.
	Auth authlib.Auth
	// Base sends each request; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Origins lists further origins ("https://api.example.com") where the
	// credentials may go besides the first request's own.
	Origins []string
	// AllowInsecure allows credentials over plain http to a host that is
	// not loopback.
	AllowInsecure bool
	// Retry enables retries (see authlib.Retry); nil means none.
	Retry *authlib.Retry
}

// RoundTrip implements http.RoundTripper.
func (rt *RoundTripper) RoundTrip(hr *http.Request) (*http.Response, error) {
	var body []byte
	if hr.Body != nil && hr.Body != http.NoBody {
		b, err := readBody(hr)
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
	if first, bound := rt.chain(hr); !bound {
		c.Auth = nil
		dropCallerCredentials(req.Header, authlib.Header(first.Header))
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

// readBody reads hr's body into one buffer of its length when it is known
// (io.ReadAll grows by doubling: a 64 MB body cost 157 MB), and with
// io.ReadAll when it is not.
func readBody(hr *http.Request) ([]byte, error) {
	n := hr.ContentLength
	if n <= 0 || n > 1<<40 {
		return io.ReadAll(hr.Body)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(hr.Body, b); err != nil {
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = errors.New("the body is shorter than its ContentLength")
		}
		return nil, err
	}
	var one [1]byte
	if m, _ := hr.Body.Read(one[:]); m > 0 {
		return nil, errors.New("the body is longer than its ContentLength")
	}
	return b, nil
}

// chain returns the first request of hr's redirect chain, and whether every
// request of the chain went to its origin or to one of rt.Origins.
func (rt *RoundTripper) chain(hr *http.Request) (first *http.Request, bound bool) {
	chain := []*http.Request{hr}
	for r := hr; r.Response != nil && r.Response.Request != nil; r = r.Response.Request {
		chain = append(chain, r.Response.Request)
	}
	first = chain[len(chain)-1]
	allowed := map[string]bool{authlib.Origin(first.URL): true}
	for _, o := range rt.Origins {
		if u, err := authlib.ParseURL(o); err == nil {
			allowed[authlib.Origin(u)] = true
		}
	}
	for _, r := range chain {
		if !allowed[authlib.Origin(r.URL)] {
			return first, false
		}
	}
	return first, true
}

// dropCallerCredentials removes from h, a request's header off the origin,
// what net/http copied from the first request although the origin changed
// (it compares host names only, not ports or schemes): Authorization and
// Proxy-Authorization, and the caller's own cookies. Cookies an
// http.Client's Jar added for this URL stay.
func dropCallerCredentials(h, first authlib.Header) {
	h.Del("Authorization")
	h.Del("Proxy-Authorization")
	callers := map[string]bool{}
	for _, v := range first.Values("Cookie") {
		for _, c := range strings.Split(v, ";") {
			callers[strings.TrimSpace(c)] = true
		}
	}
	var kept []string
	for _, v := range h.Values("Cookie") {
		for _, c := range strings.Split(v, ";") {
			if c = strings.TrimSpace(c); c != "" && !callers[c] {
				kept = append(kept, c)
			}
		}
	}
	h.Del("Cookie")
	h.Del("Cookie2")
	if len(kept) > 0 {
		h.Set("Cookie", strings.Join(kept, "; "))
	}
}
