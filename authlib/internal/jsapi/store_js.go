//go:build js && wasm && !authlib_nooauth

package jsapi

import (
	"context"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/wire"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/hack-pad/safejs"
)

// jsKeeper is an OAuth client's store in the JS API (store.mjs: a file in
// Node, IndexedDB, or the caller's object) as an oauth2.TextKeeper: the
// client's keys function loads, saves and locks it. What it keeps is
// oauth2.Config.SavedText's text, which Go checks when it loads it.
type jsKeeper struct{ keys safejs.Value }

func (k *jsKeeper) call(ctx context.Context, verb, text string) (safejs.Value, error) {
	return askJS(ctx, k.keys, verb, text, func(cause error) error {
		return &authlib.Error{Kind: oauth2.ErrStore, Op: "oauth2 store " + verb, Detail: "the store's " + verb + " failed", Err: cause}
	})
}

// LoadText returns the text kept, "" for none.
func (k *jsKeeper) LoadText(ctx context.Context) (string, error) {
	v, err := k.call(ctx, wire.KeyLoad, "")
	text, _ := str(v)
	return text, err
}

// SaveText keeps text ("" deletes it).
func (k *jsKeeper) SaveText(ctx context.Context, text string) error {
	_, err := k.call(ctx, wire.KeySave, text)
	return err
}

// Lock waits for the store's lock: a Web Lock, a lock file, or the
// caller's; the JS function it resolves to releases it.
func (k *jsKeeper) Lock(ctx context.Context) (func(), error) {
	release, err := k.call(ctx, wire.KeyLock, "")
	if err != nil {
		return nil, err
	}
	return func() { release.Invoke() }, nil
}

// jsStore returns the store of the OAuth settings o, or nil without one.
func jsStore(o wire.OAuth, c *oauth2.Config, keys safejs.Value) *oauth2.TextStore {
	if !o.Store || keys.Type() != safejs.TypeFunction {
		return nil
	}
	return &oauth2.TextStore{Config: c, Keeper: &jsKeeper{keys}}
}

// keep saves tok, a flow's new token, in the store s (when there is one)
// in place of whatever it held: a new login.
func keep(ctx context.Context, s *oauth2.TextStore, tok *oauth2.Token) error {
	if s == nil {
		return nil
	}
	unlock, err := s.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	prev, _ := s.Load(ctx) // one that cannot be used is replaced
	return s.Save(ctx, tok, prev)
}
