package oauth2

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/authlib-go/authlib/authlib"
)

// ResourceLogin is the authlib scheme of a client that starts from nothing
// but a resource's URL, as MCP clients do. Its requests go without
// credentials until the resource answers 401; then, once for all the
// requests waiting, it walks the chain the 401 starts:
//
//  1. the resource's metadata ([DiscoverResource], RFC 9728), named by the
//     401's resource_metadata or found at its well-known URL, which must
//     be for Resource itself;
//  2. its first authorization server's metadata ([Discover], RFC 8414);
//  3. registration ([Config.Register], RFC 7591), when the Config has no
//     ClientID: a public client with the Config's RedirectURL, unless
//     Metadata says otherwise; OnRegister gets the answer, to save;
//  4. the authorization code flow with PKCE for Resource alone (RFC 8707),
//     pushed (RFC 9126) when the server requires it or PAR is set, and
//     bound to the Config's DPoP key when it has one: Authorize takes the
//     user to the URL and returns the callback URL;
//
// and sends the request again with the token. From then on it is an
// [Auth] with a [Source] that refreshes the token. The scope is the
// Config's Scopes, or else the 401's scope, or else the resource's
// scopes_supported.
type ResourceLogin struct {
	Resource string // the resource's URL, its identifier
	// Config is the client: Transport, RedirectURL, and optionally
	// ClientID (with its secret or key), Scopes, DPoP. Its endpoints,
	// Issuer and Resources are set by the walk. Required.
	Config *Config
	// Metadata is what registration sends, a JSON object of RFC 7591 §2
	// members (as [Config.RegisterJSON] takes it); empty means a public
	// client (token_endpoint_auth_method none) with the Config's
	// RedirectURL, for the authorization code and refresh token grants.
	Metadata string
	// PAR pushes the authorization request even where the server does
	// not require it.
	PAR bool
	// Authorize sends the user to url (a browser, a printed link) and
	// returns the URL the server sent the browser back to. Required.
	Authorize func(ctx context.Context, url string) (callback string, err error)
	// OnRegister and OnToken are called with a new registration and each
	// new token, to save them; nil means no call.
	OnRegister func(*Registration)
	OnToken    func(*Token)

	mu     sync.Mutex
	auth   *Auth
	flight *loginFlight
}

type loginFlight struct {
	done chan struct{}
	err  error
}

// Format prints the resource only.
func (l *ResourceLogin) Format(f fmt.State, verb rune) {
	io.WriteString(f, "oauth2.ResourceLogin{Resource: "+redact(l.Resource)+"}")
}

// Bounds returns the Resource: the login's token goes there alone, and a
// 401 from anywhere else neither starts a login nor is answered (see
// [authlib.Bounded]).
func (l *ResourceLogin) Bounds() []string { return []string{l.Resource} }

// Apply sets the token once logged in, and nothing before.
func (l *ResourceLogin) Apply(req *authlib.Request) error {
	l.mu.Lock()
	a := l.auth
	l.mu.Unlock()
	if a == nil {
		return nil
	}
	return a.Apply(req)
}

// Challenge logs in on a 401 before the first token, and after it answers
// as [Auth] does.
func (l *ResourceLogin) Challenge(req *authlib.Request, res *authlib.Response, round int) (bool, error) {
	if !authlib.WithinResource(l.Resource, req.URL) {
		return false, nil // another resource's 401 (the Client asks none: see Bounds)
	}
	l.mu.Lock()
	a := l.auth
	l.mu.Unlock()
	if a != nil && res.StatusCode == 403 {
		return l.stepUp(req, res)
	}
	if a != nil {
		if res.StatusCode == 401 && round == 0 && res.Request != nil && res.Request.Header.Get("Authorization") == "" {
			return true, a.apply(req, finished(req, res)) // sent before the login ended
		}
		return a.Challenge(req, res, round)
	}
	if res.StatusCode != 401 || round > 0 {
		return false, nil
	}
	if err := l.login(req.Context(), res); err != nil {
		return false, err
	}
	l.mu.Lock()
	a = l.auth
	l.mu.Unlock()
	return true, a.apply(req, finished(req, res))
}

// stepUp answers a 403 insufficient_scope (RFC 6750 §3.1) by logging in
// again for the scopes asked before and those the challenge names, as the
// MCP authorization spec has a client do; a challenge that names no scope
// not asked for already is the answer (asking again would meet it again).
func (l *ResourceLogin) stepUp(req *authlib.Request, res *authlib.Response) (bool, error) {
	l.mu.Lock()
	c := l.Config
	held := strings.Fields(strings.Join(c.Scopes, " ")) // an entry may hold several, space-separated
	want := slices.Clone(held)
	for _, s := range strings.Fields(challengeScope(res)) {
		if !slices.Contains(want, s) {
			want = append(want, s)
		}
	}
	if len(want) == len(held) {
		l.mu.Unlock()
		return false, nil
	}
	c.Scopes = want
	l.mu.Unlock()
	if err := l.login(req.Context(), res); err != nil {
		return false, err
	}
	l.mu.Lock()
	a := l.auth
	l.mu.Unlock()
	return true, a.apply(req, finished(req, res))
}

// finished is the request the Client will finish when req answers the
// challenge res: the one that got res (see authlib.Finisher).
func finished(req *authlib.Request, res *authlib.Response) *authlib.Request {
	if res.Request != nil {
		return res.Request
	}
	return req
}

// Finish passes on to the [Auth] once logged in.
func (l *ResourceLogin) Finish(req *authlib.Request, res *authlib.Response) {
	l.mu.Lock()
	a := l.auth
	l.mu.Unlock()
	if a != nil {
		a.Finish(req, res)
	}
}

// Source returns the Source of the tokens once logged in, or nil.
func (l *ResourceLogin) Source() *Source {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.auth == nil {
		return nil
	}
	return l.auth.Source
}

// Logout revokes the tokens as [Source.Logout] does and forgets the
// login: the next 401 walks the chain again (without registering again:
// the Config keeps its client id).
func (l *ResourceLogin) Logout(ctx context.Context) error {
	l.mu.Lock()
	a := l.auth
	l.auth = nil
	l.mu.Unlock()
	if a == nil {
		return nil
	}
	return a.Source.Logout(ctx)
}

// login walks the chain once for every request waiting on it.
func (l *ResourceLogin) login(ctx context.Context, res *authlib.Response) error {
	l.mu.Lock()
	f := l.flight
	if f == nil {
		f = &loginFlight{done: make(chan struct{})}
		l.flight = f
		// The walk serves every waiter: no one request's cancellation is
		// its (Authorize, the caller's own, decides how long it waits).
		go func() {
			err := l.walk(context.WithoutCancel(ctx), res)
			l.mu.Lock()
			f.err, l.flight = err, nil
			l.mu.Unlock()
			close(f.done)
		}()
	}
	l.mu.Unlock()
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return &authlib.Error{Kind: ctxKind(context.Cause(ctx)), Op: "oauth2 login", Detail: "waiting for the login", Err: context.Cause(ctx)}
	}
}

func (l *ResourceLogin) walk(ctx context.Context, res *authlib.Response) error {
	const op = "oauth2 login"
	c := l.Config
	if c == nil || l.Authorize == nil || l.Resource == "" {
		return &authlib.Error{Kind: ErrConfig, Op: op, Detail: "a ResourceLogin needs Resource, Config and Authorize"}
	}
	rm, err := DiscoverResource(ctx, c.Transport, l.Resource, res)
	if err != nil {
		return err
	}
	if _, err := c.Discover(ctx, rm.AuthorizationServers[0]); err != nil {
		return err
	}
	if c.ClientID == "" {
		md := l.Metadata
		if md == "" {
			if !printable(c.RedirectURL) {
				return &authlib.Error{Kind: ErrConfig, Op: op, Detail: "the redirect URL is not printable ASCII"}
			}
			// strconv.Quote writes printable ASCII as JSON does.
			md = `{"redirect_uris":[` + strconv.Quote(c.RedirectURL) + `],"token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"],"response_types":["code"]}`
		}
		r, err := c.RegisterJSON(ctx, md, "")
		if err != nil {
			return err
		}
		if l.OnRegister != nil {
			l.OnRegister(r)
		}
	}
	c.Resources = []string{rm.Resource} // Resource, or the origin whose metadata it was (RFC 9728 §3.1)
	if len(c.Scopes) == 0 {
		if s := challengeScope(res); s != "" {
			c.Scopes = strings.Fields(s)
		} else {
			c.Scopes = rm.ScopesSupported
		}
	}
	state, verifier := NewState(), NewVerifier()
	c.PAR = c.PAR || l.PAR
	u, err := c.AuthorizationURL(ctx, state, verifier, nil)
	if err != nil {
		return err
	}
	cb, err := l.Authorize(ctx, u)
	if err != nil {
		return &authlib.Error{Kind: ErrCallback, Op: op, Detail: "the authorization did not come back", Err: err}
	}
	tok, err := c.Exchange(ctx, cb, state, verifier)
	if err != nil {
		return err
	}
	s := NewSource(c, tok)
	s.OnToken = l.OnToken
	l.mu.Lock()
	l.auth = &Auth{Source: s}
	l.mu.Unlock()
	if l.OnToken != nil {
		l.OnToken(tok)
	}
	return nil
}

// challengeScope is the scope a 401's challenge asks for (RFC 6750 §3).
func challengeScope(res *authlib.Response) string {
	cs, _ := authlib.ParseChallenges(res.Header.Values("WWW-Authenticate")...)
	for _, c := range cs {
		if s, ok := c.Param("scope"); ok {
			return s
		}
	}
	return ""
}
