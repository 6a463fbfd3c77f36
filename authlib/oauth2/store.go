package oauth2

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// ErrStore: a saved token cannot be used (a truncated file, a token of
// another client, issuer or scope) or cannot be saved; a token that cannot
// be used is treated as none, and never sent.
var ErrStore = errors.New("authlib: oauth2 token store")

// ErrConflict: the store no longer holds the token a Save was to replace
// (another process or tab saved first). Load again.
var ErrConflict = errors.New("authlib: oauth2 token store changed meanwhile")

// Store keeps a [Source]'s token where other Sources see it: other
// processes sharing a file, other tabs sharing IndexedDB. The Source reads
// it before every token request and writes it after, so that whoever
// renews first wins and the others use what it saved: with rotating
// refresh tokens, a refresh token is spent once.
//
// Load returns the token saved, or nil when there is none; a token that
// cannot be used is an [ErrStore] error. Save replaces prev (what Load
// returned; nil for none) with t (nil deletes it), and fails with
// [ErrConflict] when the store no longer holds prev: a compare-and-swap.
type Store interface {
	Load(ctx context.Context) (*Token, error)
	Save(ctx context.Context, t, prev *Token) error
}

// Locker is a [Store] that can keep other processes from renewing while
// one does: the Source holds the lock from its Load to its Save, so the
// others wait, load what it saved, and send no token request. A lock held
// by a process that dies is free again.
type Locker interface {
	Store
	Lock(ctx context.Context) (unlock func(), err error)
}

// sameToken reports whether a and b are the same token (both nil, or the
// same access and refresh tokens).
func sameToken(a, b *Token) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken
}

// SavedText returns what a [Store] keeps of t: the token as [Token.JSON]
// writes it (a DPoP token with its key's thumbprint, dpop_jkt), with what
// it is for: the client id, the server (the token endpoint, or else the
// issuer), the scope asked for (requested_scope: a server may grant less,
// RFC 6749 §3.3) and the resources (RFC 8707), which [Config.ParseSaved]
// checks.
func (c *Config) SavedText(t *Token) (string, error) {
	client, server := c.owner()
	scope, resource := strings.Join(c.Scopes, " "), strings.Join(c.Resources, " ")
	if !printable(client) || !printable(server) || !printable(scope) || !printable(resource) {
		return "", &authlib.Error{Kind: ErrStore, Op: opSaved, Detail: "the client id, server, scope or resource is not printable ASCII"}
	}
	text := t.JSON(time.Now())
	return text[:len(text)-1] + `,"client_id":` + strconv.Quote(client) + `,"server":` + strconv.Quote(server) +
		`,"requested_scope":` + strconv.Quote(scope) + `,"resource":` + strconv.Quote(resource) + "}", nil
}

// ParseSaved reads a token that [Config.SavedText] wrote. Text that is not
// one (truncated, say), a token of another client or server or for other
// resources, or one asked for without a scope c asks for, is an
// [ErrStore] error saying which: to be treated as no token. (A DPoP
// token's key is checked where it is loaded, see [Source].)
func (c *Config) ParseSaved(text string) (*Token, error) {
	m, err := parseObject(text)
	var tok *Token
	client, server := c.owner()
	why := ""
	switch {
	case err != nil:
		why = "nothing that can be read as a saved token (truncated?)"
	case m.str("client_id") != client || m.str("server") != server:
		why = "a token of another client or server"
	case m.str("resource") != strings.Join(c.Resources, " "):
		why = "a token for other resources" // one resource's token is not another's (RFC 8707)
	default:
		if tok, err = savedToken(m, time.Now()); err != nil {
			why = "a token that cannot be read"
			break
		}
		asked := tok.Scope // a token saved without requested_scope: what it was granted
		if v, has := m.get("requested_scope"); has {
			asked = v.text
		}
		for _, want := range c.Scopes {
			for _, w := range strings.Fields(want) {
				if asked != "" && !strings.Contains(" "+asked+" ", " "+w+" ") {
					why = "a token asked for without the scope " + strconv.Quote(w)
				}
			}
		}
	}
	if why != "" {
		return nil, &authlib.Error{Kind: ErrStore, Op: opSaved, Detail: "the store holds " + why}
	}
	return tok, nil
}

// opSaved is the Op of ParseSaved's and SavedText's errors.
const opSaved = "oauth2 saved token"

// owner is what a saved token must belong to: the client id and where its
// tokens come from (the token endpoint, or else the issuer).
func (c *Config) owner() (client, server string) {
	server = c.TokenURL
	if server == "" {
		server = strings.TrimSuffix(c.Issuer, "/")
	}
	return c.ClientID, server
}

// TextKeeper keeps one text where a [TextStore] puts it: a database row,
// a keychain entry, IndexedDB. LoadText returns "" when there is none;
// SaveText("") deletes it. A TextKeeper that is also a [Locker]'s Lock
// (other processes or tabs can share it) makes the TextStore one.
type TextKeeper interface {
	LoadText(ctx context.Context) (string, error)
	SaveText(ctx context.Context, text string) error
}

// TextStore is a [Store] of the text [Config.SavedText] writes, kept by
// Keeper: Load checks it with [Config.ParseSaved], and Save loads it again
// first, which makes it a compare-and-swap under the lock the Source
// holds (see [Locker]). It is a Locker, its Lock the Keeper's or, for a
// Keeper without one, none.
type TextStore struct {
	Config *Config // whose tokens it keeps
	Keeper TextKeeper
}

// Load returns the token kept, or nil for none.
func (s *TextStore) Load(ctx context.Context) (*Token, error) {
	text, err := s.Keeper.LoadText(ctx)
	if err != nil || text == "" {
		return nil, err
	}
	return s.Config.ParseSaved(text)
}

// Save keeps t in place of prev, or deletes it for a nil t; it fails with
// [ErrConflict] when the Keeper no longer holds prev.
func (s *TextStore) Save(ctx context.Context, t, prev *Token) error {
	now, err := s.Load(ctx)
	if err != nil && prev != nil || err == nil && !sameToken(now, prev) {
		return &authlib.Error{Kind: ErrConflict, Op: "oauth2 store save", Detail: "the store holds another token than the one to replace"}
	}
	text := ""
	if t != nil {
		if text, err = s.Config.SavedText(t); err != nil {
			return err
		}
	}
	return s.Keeper.SaveText(ctx, text)
}

// Lock takes the Keeper's lock, when it has one.
func (s *TextStore) Lock(ctx context.Context) (func(), error) {
	if l, ok := s.Keeper.(interface {
		Lock(context.Context) (func(), error)
	}); ok {
		return l.Lock(ctx)
	}
	return func() {}, nil
}
