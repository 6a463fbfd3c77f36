//go:build js && wasm

package fetch

import (
	"context"

	"github.com/authlib-go/authlib/authlib/internal/jsfetch"
	"github.com/hack-pad/safejs"
)

// Rejection is the value a JavaScript promise was rejected with.
type Rejection = jsfetch.Rejection

// Await waits for the thenable p to settle and returns its value, or a
// [Rejection]. It returns ctx's error if ctx ends first (the promise is
// left to settle on its own). It must not be called from inside a JS
// callback: it blocks, and the callback it waits for could never run.
func Await(ctx context.Context, p safejs.Value) (safejs.Value, error) {
	return jsfetch.Await(ctx, p)
}

// NewPromise returns a JS Promise settled by fn, run on its own goroutine:
// its value resolves the promise; its error rejects it, converted by reject
// (nil means a plain Error with the message). A panic in fn rejects the
// promise instead of killing the Go program.
func NewPromise(fn func() (any, error), reject func(error) any) (safejs.Value, error) {
	return jsfetch.NewPromise(fn, reject)
}
