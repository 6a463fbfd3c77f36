package authlib

import (
	"context"
	"errors"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxRedirects is how many redirects a Client follows when
// MaxRedirects is 0.
const DefaultMaxRedirects = 10

// Client sends requests with credentials. Its zero value with a Transport
// is usable; it is safe for concurrent use, and keeps scheme state (a
// Digest nonce) between requests through its Auth.
//
// For every request, Do:
//   - checks the URL, method and headers, and the credentials, before
//     anything is sent;
//   - refuses credentials over plain http unless the host is loopback or
//     AllowInsecure is set;
//   - applies Auth and answers its challenges (see [Challenger]);
//   - follows redirects itself: credentials (every header Auth set, and
//     Authorization, Proxy-Authorization and Cookie whoever set them) go
//     only to the request's origin and the Origins listed, and those of a
//     [Bounded] Auth only within its resources; once a redirect leaves
//     them, they stay off for the rest of the chain;
//   - retries as Retry says.
type Client struct {
	// Transport sends each request; required.
	Transport Transport
	// Auth adds credentials; nil sends none.
	Auth Auth
	// Origins lists further origins ("https://api.example.com") where
	// credentials may go besides the request's own.
	Origins []string
	// AllowInsecure allows credentials over plain http to any host.
	AllowInsecure bool
	// MaxRedirects bounds the redirects followed; 0 means
	// DefaultMaxRedirects, a negative value returns 3xx responses as they are.
	MaxRedirects int
	// Retry enables retries; nil means none.
	Retry *Retry
	// Timeout bounds the whole request, redirects, retries and reading the
	// body included; 0 means no limit beyond the request's context.
	Timeout time.Duration
}

// Get sends a GET to rawURL.
func (c *Client) Get(ctx context.Context, rawURL string) (*Response, error) {
	req, err := NewRequest(ctx, "GET", rawURL, nil)
	if err != nil {
		return nil, err
	}
	return c.Do(req)
}

// Do sends req and returns the final response, whose Body the caller must
// close. A 401 or 403 is a response, not an error. Do does not change req.
func (c *Client) Do(req *Request) (*Response, error) {
	bound, err := c.check(req)
	if err != nil {
		return nil, err
	}
	ctx := req.Context()
	cancel := context.CancelFunc(func() {})
	if c.Timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
	}
	res, err := c.follow(ctx, req.Clone().WithContext(ctx), bound)
	if err != nil {
		cancel()
		return nil, err
	}
	if res.Body == nil {
		res.Body = io.NopCloser(strings.NewReader(""))
	}
	res.Body = &cancelBody{ReadCloser: res.Body, cancel: cancel}
	return res, nil
}

// check refuses what cannot be sent, before anything is, and returns the
// origins credentials may go to.
func (c *Client) check(req *Request) (map[string]bool, error) {
	if err := c.checkRequest(req); err != nil {
		return nil, err
	}
	bound := map[string]bool{req.Origin(): true}
	return bound, c.origins(func(o string) { bound[o] = true })
}

// checkRequest is check without the map of origins: what Prepare needs.
func (c *Client) checkRequest(req *Request) error {
	if req == nil || req.URL == nil {
		return &Error{Kind: ErrInvalidURL, Detail: "no request URL"}
	}
	if err := CheckURL(req.URL); err != nil {
		return err
	}
	if !isToken(req.Method) {
		return &Error{Kind: ErrInvalidRequest, Detail: "the method is not a valid token"}
	}
	if name, reason := checkHeader(req.Header); reason != "" {
		return &Error{Kind: ErrInvalidRequest, Detail: headerLabel(name) + " " + reason}
	}
	if c.Transport == nil {
		return &Error{Kind: ErrNoTransport, Detail: "set Client.Transport"}
	}
	return nil
}

// origins checks each of Origins and hands add its origin (add may be nil).
func (c *Client) origins(add func(string)) error {
	for _, o := range c.Origins {
		u, err := url.Parse(o)
		if err != nil || CheckURL(u) != nil || (u.Path != "" && u.Path != "/") {
			return &Error{Kind: ErrInvalidURL, Detail: "Client.Origins holds an entry that is not an http or https origin"}
		}
		if add != nil {
			add(Origin(u))
		}
	}
	return nil
}

// Prepare returns the request as Do would send it first, without sending
// anything: checked, with the Auth applied, its credential fields in
// CredentialHeaders. A caller that can send it more cheaply than a round
// trip through Do (the JS API does, in JavaScript) may send it itself; when
// the response needs the Client (a redirect to follow, a challenge), it
// calls Do with a Transport that returns that response first.
func (c *Client) Prepare(req *Request) (*Request, error) {
	if err := c.checkRequest(req); err != nil {
		return nil, err
	}
	if err := c.origins(nil); err != nil {
		return nil, err
	}
	r := req.Clone()
	if err := c.checkInsecure(r); err != nil {
		return nil, err
	}
	if c.Auth != nil && within(c.Auth, r.URL) {
		err := c.applyAuth(r, nil, c.Auth.Apply)
		// The Client will not see how it ends.
		if f, ok := c.Auth.(Finisher); ok {
			f.Finish(r, nil)
		}
		if err != nil {
			return nil, err
		}
	}
	return r, nil
}

// checkInsecure refuses credentials over plain http to a host that is not
// loopback, unless AllowInsecure.
func (c *Client) checkInsecure(req *Request) error {
	if !c.AllowInsecure && (c.Auth != nil || hasSensitive(req.Header)) &&
		req.URL.Scheme == "http" && !IsLoopback(req.URL.Hostname()) {
		return &Error{Kind: ErrInsecureTransport, URL: RedactURL(req.URL),
			Detail: "credentials would go over plain http to a host that is not loopback; use https, or set AllowInsecure if you must"}
	}
	return nil
}

// follow sends req and follows its redirects.
func (c *Client) follow(ctx context.Context, req *Request, bound map[string]bool) (*Response, error) {
	max := c.MaxRedirects
	if max == 0 {
		max = DefaultMaxRedirects
	}
	stripped := false
	outside := false   // the first hop is outside the Auth's bounds: no Auth on the chain
	var creds []string // every credential header set so far in the chain
	for hop := 0; ; hop++ {
		if !bound[req.Origin()] {
			stripped = true
		}
		if !within(c.Auth, req.URL) {
			// A Bounded Auth's credentials are for its resources alone:
			// a redirect that leaves them strips them, as one that leaves
			// the origin does; a request made outside them goes without,
			// with the header fields the caller set.
			stripped, outside = stripped || hop > 0, outside || hop == 0
		}
		withAuth := c.Auth != nil && !stripped && !outside
		if stripped {
			for _, name := range creds {
				req.Header.Del(name)
			}
			for name := range req.Header {
				if isSensitiveHeader(name) {
					req.Header.Del(name)
				}
			}
		} else if err := c.checkInsecure(req); err != nil {
			return nil, err
		}
		res, err := c.authorize(ctx, req, withAuth, &creds, bound)
		if err != nil {
			return nil, err
		}
		if max < 0 || !isRedirect(res.StatusCode) || res.Redirected {
			return res, nil
		}
		loc := res.Header.Get("Location")
		if loc == "" {
			return res, nil
		}
		next, err := redirectRequest(req, res, loc)
		drain(res)
		if err != nil {
			return nil, err
		}
		if hop+1 > max {
			return nil, &Error{Kind: ErrTooManyRedirects, URL: RedactURL(req.URL), Detail: "stopped after " + strconv.Itoa(max) + " redirects"}
		}
		req = next
	}
}

// authorize sends one hop: the request with credentials, then the answers
// to at most two challenges.
func (c *Client) authorize(ctx context.Context, base *Request, withAuth bool, creds *[]string, bound map[string]bool) (res *Response, err error) {
	req := base.Clone()
	if withAuth {
		// Finish for every request Apply saw, one whose credentials failed
		// their check too (a DPoP probe, a Digest first request, must end).
		if f, ok := c.Auth.(Finisher); ok {
			defer func() { f.Finish(req, res) }()
		}
		if err := c.applyAuth(req, creds, func(r *Request) error { return c.Auth.Apply(r) }); err != nil {
			return nil, err
		}
	}
	res, err = c.send(ctx, req)
	if err != nil || !withAuth {
		return res, err
	}
	ch, ok := c.Auth.(Challenger)
	if !ok || (res.Redirected && res.URL != nil && !bound[Origin(res.URL)]) {
		// A transport that followed a redirect elsewhere by itself: the
		// challenge is another origin's, and is not answered.
		return res, nil
	}
	for round := 0; round < 2 && (res.StatusCode == 401 || res.StatusCode == 407 || insufficientScope(res)); round++ {
		next := base.Clone()
		var retry bool
		err := c.applyAuth(next, creds, func(r *Request) error {
			var err error
			retry, err = ch.Challenge(r, res, round)
			return err
		})
		if err != nil {
			drain(res)
			return nil, err
		}
		if !retry {
			break
		}
		drain(res)
		if res, err = c.send(ctx, next); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// applyAuth runs a scheme step on req, records which header fields it set
// as credentials, and checks them.
func (c *Client) applyAuth(req *Request, creds *[]string, step func(*Request) error) error {
	var before Header // what the request had; none to copy is the common case
	if len(req.Header) > 0 {
		before = req.Header.Clone()
	}
	if err := step(req); err != nil {
		// An error that says its own kind (an *Error, an OAuth server's
		// refusal, which matches errors.Is by its Is) is the answer as it
		// is: wrapped, it would say what went wrong in three layers.
		var e *Error
		var typed interface{ Is(error) bool }
		if errors.As(err, &e) || errors.As(err, &typed) {
			return err
		}
		return &Error{Kind: ErrInvalidCredentials, Op: "auth", Detail: "the Auth returned an error", Err: err}
	}
	req.pathBound = pathBound(boundsOf(c.Auth))
	for name, vs := range req.Header {
		if !equalValues(before[name], vs) {
			req.creds = appendUnique(req.creds, name)
			if creds != nil {
				*creds = appendUnique(*creds, name)
			}
		}
	}
	if name, reason := checkHeader(req.Header, req.creds...); reason != "" {
		return &Error{Kind: ErrInvalidCredentials, Op: "auth", Detail: headerLabel(name) + " " + reason}
	}
	return nil
}

// send sends req through the transport, retrying as c.Retry allows.
func (c *Client) send(ctx context.Context, req *Request) (*Response, error) {
	for attempt := 0; ; attempt++ {
		res, err := c.Transport.RoundTrip(req)
		if err == nil && res.Request == nil {
			res.Request = req
		}
		if cerr := context.Cause(ctx); cerr != nil {
			if res != nil {
				drain(res)
			}
			return nil, ctxError(req, cerr)
		}
		if err == nil && !retryableStatus(res.StatusCode) {
			return res, nil
		}
		if err != nil {
			err = networkError(req, err)
		}
		if !c.Retry.allows(req.Method, attempt) {
			if err != nil && attempt > 0 {
				return nil, &Error{Kind: ErrRetriesExhausted, Op: req.Method, URL: RedactURL(req.URL),
					Detail: "gave up after " + strconv.Itoa(attempt+1) + " attempts", Err: err}
			}
			return res, err
		}
		wait, ok := c.Retry.wait(attempt, res)
		if dl, has := ctx.Deadline(); ok && has && time.Until(dl) < wait {
			ok = false
		}
		if !ok {
			return res, err
		}
		if res != nil {
			drain(res)
		}
		if serr := c.Retry.sleep(ctx, wait); serr != nil {
			return nil, ctxError(req, serr)
		}
	}
}

func networkError(req *Request, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Kind: ErrNetwork, Op: req.Method, URL: RedactURL(req.URL), Err: err}
}

func ctxError(req *Request, err error) error {
	kind := ErrCanceled
	if errors.Is(err, context.DeadlineExceeded) {
		kind = ErrTimeout
	}
	return &Error{Kind: kind, Op: req.Method, URL: RedactURL(req.URL), Err: err}
}

func isRedirect(code int) bool {
	switch code {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// redirectRequest builds the next hop: 303, and 301/302 after POST, become
// a GET without body, as browsers do; 307 and 308 keep method and body.
func redirectRequest(req *Request, res *Response, loc string) (*Request, error) {
	u, err := req.URL.Parse(loc)
	if err != nil {
		return nil, &Error{Kind: ErrRedirectBlocked, URL: RedactURL(req.URL), Detail: "the Location of the redirect cannot be parsed"}
	}
	if u.User != nil {
		return nil, &Error{Kind: ErrRedirectBlocked, URL: RedactURL(req.URL), Detail: "the redirect target carries user information"}
	}
	if err := CheckURL(u); err != nil {
		detail := "the redirect goes to a URL authlib does not follow"
		var e *Error
		if errors.As(err, &e) {
			detail += " (" + e.Detail + ")"
		}
		return nil, &Error{Kind: ErrRedirectBlocked, URL: RedactURL(req.URL), Detail: detail}
	}
	u.Fragment, u.RawFragment = "", ""
	next := req.Clone()
	next.URL = u
	next.creds, next.pathBound = nil, false
	code := res.StatusCode
	if code == 303 && req.Method != "HEAD" || (code == 301 || code == 302) && req.Method == "POST" {
		next.Method = "GET"
		next.Body = nil
		next.Header.Del("Content-Type")
		next.Header.Del("Content-Length")
	}
	return next, nil
}

func hasSensitive(h Header) bool {
	for name := range h {
		if isSensitiveHeader(name) {
			return true
		}
	}
	return false
}

func headerLabel(name string) string {
	if isToken(name) {
		return "the header " + name
	}
	return "a header name"
}

func equalValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func appendUnique(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// cancelBody releases the request's timeout when the body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// insufficientScope reports a 403 whose challenge says the token lacks
// scope (RFC 6750 §3.1): a Challenger may log in again asking for more.
func insufficientScope(res *Response) bool {
	if res.StatusCode != 403 {
		return false
	}
	cs, _ := ParseChallenges(res.Header.Values("WWW-Authenticate")...)
	for _, c := range cs {
		if e, _ := c.Param("error"); e == "insufficient_scope" {
			return true
		}
	}
	return false
}
