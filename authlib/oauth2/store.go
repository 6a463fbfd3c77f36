package oauth2

import (
	"context"
	"errors"
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
