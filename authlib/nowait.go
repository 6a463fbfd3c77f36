package authlib

import (
	"context"
	"errors"
)

// ErrWouldWait is what an [Auth] returns from Apply, in a context made by
// [NoWait], when it cannot set the credentials without waiting: a key
// that signs only asynchronously, a nonce another request is learning.
// The caller prepares the request another way, one that can wait.
var ErrWouldWait = errors.New("authlib: the credentials cannot be had without waiting")

type noWaitKey struct{}

// NoWait returns a context for a request prepared where nothing may block
// (a synchronous call from JavaScript, say): an Auth's Apply in it answers
// at once or returns [ErrWouldWait].
func NoWait(ctx context.Context) context.Context {
	return context.WithValue(ctx, noWaitKey{}, true)
}

// CanWait reports whether Apply may wait in ctx (see [NoWait]).
func CanWait(ctx context.Context) bool { return ctx.Value(noWaitKey{}) == nil }
