package authlib

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// Request is an HTTP request as authlib sends it. Its Body is held in
// memory so that it can be sent again (after a challenge, a redirect or a
// retry) and hashed (Digest qop=auth-int).
type Request struct {
	Method string   // "GET", "POST", …
	URL    *url.URL // absolute http or https
	Header Header   // the fields to send; schemes add theirs
	Body   []byte   // nil for none

	ctx   context.Context
	creds []string // header names a scheme set: see CredentialHeaders
	// pathBound: the credentials are for a part of the origin only (see
	// CredentialsPathBound)
	pathBound bool
	// origin caches Origin(URL) for the scheme and host it was computed
	// from: a Digest answer asks for it four times.
	origin, originScheme, originHost string
}

// NewRequest returns a request for rawURL, checked by [ParseURL]. An empty
// method means GET.
func NewRequest(ctx context.Context, method, rawURL string, body []byte) (*Request, error) {
	if method == "" {
		method = "GET"
	}
	if !isToken(method) {
		return nil, &Error{Kind: ErrInvalidRequest, Detail: "the method is not a valid token"}
	}
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return &Request{Method: method, URL: u, Header: Header{}, Body: body, ctx: ctx}, nil
}

// Context returns the request's context; never nil.
func (r *Request) Context() context.Context {
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}

// WithContext returns a shallow copy of r with ctx.
func (r *Request) WithContext(ctx context.Context) *Request {
	c := *r
	c.ctx = ctx
	return &c
}

// Clone returns a copy of r whose URL and Header may be changed freely. The
// body bytes are shared: nothing in authlib writes to them.
func (r *Request) Clone() *Request {
	c := *r
	if r.URL != nil {
		u := *r.URL
		c.URL = &u
	}
	c.Header = r.Header.Clone()
	c.creds = append([]string(nil), r.creds...)
	return &c
}

// Origin returns the origin of the request URL (see [Origin]).
func (r *Request) Origin() string {
	if r.origin == "" || r.originScheme != r.URL.Scheme || r.originHost != r.URL.Host {
		r.origin, r.originScheme, r.originHost = Origin(r.URL), r.URL.Scheme, r.URL.Host
	}
	return r.origin
}

// RequestURI returns the request target as written on the request line:
// the escaped path (at least "/") and the query. Digest signs it as "uri".
func (r *Request) RequestURI() string {
	p := r.URL.EscapedPath()
	if p == "" {
		p = "/"
	}
	if r.URL.RawQuery != "" {
		p += "?" + r.URL.RawQuery
	}
	return p
}

// CredentialHeaders returns the names of the header fields that the
// Client's Auth set on this request. A transport that cannot stop a
// redirect from carrying them elsewhere must refuse to follow it.
func (r *Request) CredentialHeaders() []string { return append([]string(nil), r.creds...) }

// CredentialsPathBound reports credentials that are for a part of the
// request's origin only (a [Bounded] Auth's resource with a path): a
// transport that follows redirects by itself must not follow them, since
// even a same-origin redirect may leave that part (fetch carries
// Authorization to any path of the origin).
func (r *Request) CredentialsPathBound() bool { return r.pathBound && len(r.creds) > 0 }

// Format prints the request with the values of credential fields and of
// Authorization, Proxy-Authorization and Cookie masked, so that a request
// can be logged. It has a value receiver so that a Request printed by value
// (as a field of another struct) is masked too.
func (r Request) Format(f fmt.State, verb rune) {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteString(" ")
	b.WriteString(RedactURL(r.URL))
	for _, k := range r.Header.Names() {
		v := strings.Join(r.Header[k], ", ")
		if r.isSecretHeader(k) {
			v = "[redacted]"
		}
		b.WriteString("\n" + k + ": " + v)
	}
	fmt.Fprint(f, b.String())
}

func (r Request) isSecretHeader(name string) bool {
	if isSensitiveHeader(name) {
		return true
	}
	for _, c := range r.creds {
		if c == name {
			return true
		}
	}
	return false
}

// isSensitiveHeader reports the fields that carry credentials whoever set
// them; like net/http, authlib never forwards them to another origin.
func isSensitiveHeader(name string) bool {
	switch CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Cookie", "Cookie2":
		return true
	}
	return false
}
