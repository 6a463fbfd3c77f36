package oauth2

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// DefaultSkew is how long before its expiry a token is renewed when
// Source.Skew is 0.
const DefaultSkew = 10 * time.Second

// TokenSource yields a token that can be used now.
type TokenSource interface {
	Token(ctx context.Context) (*Token, error)
}

// Source is a [TokenSource] that keeps a token and renews it: with its
// refresh token when it has one, otherwise with Fetch (client credentials,
// for one). It renews Skew before expiry (a quarter of the token's lifetime
// before, when that is shorter: a token that lives less than Skew is not
// renewed on every call), and when [Source.Invalidate] says the server
// refused the token.
//
// Any number of concurrent callers that need a new token cause exactly one
// token request; the others wait for it, and fail together with the same
// error if it fails. A refresh token the server refused for good
// (invalid_grant and the like) is not sent again: callers get the same
// error until [Source.SetToken] gives a new token or, with a Store, until
// the store holds another one (a login elsewhere).
//
// OnToken is called once for each new token, rotated refresh tokens
// included, so that the caller can save it; it must not call the Source.
type Source struct {
	Config *Config
	// Fetch gets a token when there is none to refresh; nil means the
	// Source can only refresh.
	Fetch func(ctx context.Context) (*Token, error)
	// Skew renews a token this long before its expiry; 0 means
	// DefaultSkew, a negative value only at expiry.
	Skew time.Duration
	// OnToken is called once per new token; nil means no call.
	OnToken func(*Token)
	// Store, when set, is read before each token request and written
	// after it (see [Store]): a token another process saved is used
	// instead of renewing, and a saved token is the Source's first one.
	Store Store

	mu      sync.Mutex
	tok     *Token
	flight  *flight
	failed  error  // a permanent refusal of tok's refresh token
	refused string // the refresh token failed answers for
	gen     int    // Logout's count: a token request started before one keeps nothing
}

type flight struct {
	done chan struct{}
	tok  *Token
	err  error
}

// NewSource returns a Source that starts from tok (which may be nil) and,
// for a client with a secret or a key (private_key_jwt), gets new tokens
// with its client credentials when it cannot refresh.
func NewSource(c *Config, tok *Token) *Source {
	s := &Source{Config: c, tok: tok}
	if c.ClientSecret != "" || c.AuthStyle == AuthPrivateKeyJWT && c.ClientKey != nil {
		s.Fetch = c.ClientCredentials
	}
	return s
}

// SetToken replaces the token (a new login); it calls no hook.
func (s *Source) SetToken(t *Token) {
	s.mu.Lock()
	s.tok, s.failed = t, nil
	s.mu.Unlock()
}

// Cached returns the token held now if it can be used without a token
// request (not within Skew of its expiry), and until when: Skew before its
// expiry, or zero when it does not expire. It never waits.
func (s *Source) Cached() (t *Token, until time.Time, ok bool) {
	s.mu.Lock()
	t = s.tok
	skew := s.skewFor(t)
	s.mu.Unlock()
	if !t.valid(s.Config.now(), skew) {
		return nil, time.Time{}, false
	}
	if !t.Expiry.IsZero() {
		until = t.Expiry.Add(-skew)
	}
	return t, until, true
}

// Token returns a valid token, renewing it if needed.
func (s *Source) Token(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	if s.tok.valid(s.Config.now(), s.skewFor(s.tok)) {
		t := s.tok
		s.mu.Unlock()
		return t, nil
	}
	// With a Store, a refusal holds only while the store holds the refused
	// token: renew looks (another process may have logged in again).
	if s.failed != nil && s.Store == nil {
		err := s.failed
		s.mu.Unlock()
		return nil, err
	}
	f := s.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		s.flight = f
		// The request serves every waiter, so no caller's cancellation
		// (nor deadline, nor values) is its; Config.Timeout bounds it.
		go s.renew(context.Background(), f, s.tok)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, &authlib.Error{Kind: ctxKind(context.Cause(ctx)), Op: "oauth2 token", Detail: "waiting for a new token", Err: context.Cause(ctx)}
	}
}

// Invalidate tells the Source that the server refused stale, an access
// token it gave: unless a newer token has come since, the next Token gets
// a new one. It reports whether a new one can be got at all.
func (s *Source) Invalidate(stale string) bool {
	s.mu.Lock()
	if s.tok != nil && s.tok.AccessToken == stale {
		t := *s.tok
		t.Expiry = time.Unix(1, 0) // expired, the refresh token kept
		s.tok = &t
	}
	can := s.failed == nil && (s.tok != nil && s.tok.RefreshToken != "" || s.Fetch != nil)
	s.mu.Unlock()
	return can
}

// renew runs one token request for every waiter.
func (s *Source) renew(ctx context.Context, f *flight, old *Token) {
	var t, unsaved *Token
	var err error
	held := old        // the token held when the renewal began
	fromStore := false // t is what another process saved
	s.mu.Lock()
	gen, failed, refused := s.gen, s.failed, s.refused
	s.mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, &authlib.Error{Kind: ErrTokenResponse, Op: "oauth2 token", Detail: "internal error while getting a token"}
		}
		s.mu.Lock()
		f.tok, f.err = t, err
		kept := false
		switch {
		case s.gen != gen:
			// Logged out meanwhile: the new token is neither kept nor
			// handed to OnToken (its waiters get it, as they asked before
			// the logout).
		case err == nil:
			s.tok, kept, s.failed = t, !fromStore, nil
		case unsaved != nil:
			// The Store could not save it: its waiters get that error,
			// and the token serves from here on.
			s.tok, t, kept = unsaved, unsaved, true
		case errors.Is(err, ErrStore) && held.valid(s.Config.now(), 0):
			// The store cannot be reached (Redis down): the token held
			// serves until it expires; the next call tries the store again.
			f.tok, f.err = held, nil
		case permanent(err) && old != nil && old.RefreshToken != "":
			s.failed, s.refused = err, old.RefreshToken
		}
		s.flight = nil
		s.mu.Unlock()
		if kept && s.OnToken != nil {
			s.OnToken(t)
		}
		close(f.done)
	}()
	// With a Store: under its lock, a token another process saved since
	// serves; else the freshest refresh token renews, and the new token is
	// saved before the lock is let go, for the next process to load. A
	// saved token that cannot be used counts as none.
	var saved *Token
	var loadErr error
	if s.Store != nil {
		unlock := func() {}
		if l, ok := s.Store.(Locker); ok {
			if unlock, err = l.Lock(ctx); err != nil {
				return
			}
		}
		defer unlock()
		if saved, loadErr = s.Store.Load(ctx); saved != nil {
			if loadErr = s.Config.keyFits(ctx, saved); loadErr != nil {
				saved = nil
			}
		}
		if saved.valid(s.Config.now(), s.skewFor(saved)) && !sameToken(saved, old) {
			t, fromStore = saved, true
			return
		} else if saved != nil {
			old = saved
		}
	}
	switch {
	case failed != nil && old != nil && old.RefreshToken == refused:
		err = failed // refused for good: not sent again
	case old != nil && old.RefreshToken != "":
		t, err = s.Config.Refresh(ctx, old.RefreshToken)
	case s.Fetch != nil:
		t, err = s.Fetch(ctx)
	case loadErr != nil:
		err = loadErr // what made the saved token unusable
	default:
		err = &authlib.Error{Kind: ErrNoToken, Op: "oauth2 token", Detail: "no token that can be used or renewed, and no grant to get one: log in"}
	}
	if err == nil && s.Store != nil {
		if err = s.Store.Save(ctx, t, saved); err != nil {
			unsaved, t = t, nil
		}
	}
}

// skewFor is how long before its expiry t is renewed: Skew, but no more
// than a quarter of the lifetime the server gave it, so that a token that
// lives less than Skew is not renewed on every call.
func (s *Source) skewFor(t *Token) time.Duration {
	skew := s.skew()
	if t != nil && t.life > 0 {
		skew = min(skew, t.life/4)
	}
	return skew
}

func (s *Source) skew() time.Duration {
	switch {
	case s.Skew == 0:
		return DefaultSkew
	case s.Skew < 0:
		return 0
	}
	return s.Skew
}

// permanent reports the OAuth errors that asking again will not mend.
func permanent(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case "invalid_grant", "invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_scope":
		return true
	}
	return false
}

func ctxKind(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return authlib.ErrTimeout
	}
	return authlib.ErrCanceled
}

// keyFits checks that a saved token t can be sent with c's DPoP key: a
// DPoP token bound to another key (or with no key here) is one this client
// cannot use, an [ErrStore] error, as a token for another client is.
func (c *Config) keyFits(ctx context.Context, t *Token) error {
	if t.TokenType != "DPoP" && t.KeyThumbprint == "" {
		return nil
	}
	why := "a DPoP token, and the client has no DPoP key"
	if c.DPoP != nil {
		jkt, err := c.DPoP.thumbprint(ctx)
		if err != nil {
			return err
		}
		if t.KeyThumbprint == "" || t.KeyThumbprint == jkt {
			return nil
		}
		why = "a token bound to another DPoP key"
	}
	return &authlib.Error{Kind: ErrStore, Op: opSaved, Detail: "the store holds " + why}
}
