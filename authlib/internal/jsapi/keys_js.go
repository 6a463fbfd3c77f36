//go:build js && wasm

package jsapi

import (
	"context"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/jsfetch"
	"github.com/hack-pad/safejs"
)

// askJS calls fn, a keys function or a signer (wasm/keys.mjs), as
// fn(arg, sync, verb) (a signer, verb "", takes no verb), and returns its
// answer: a string JS gave at once; else, in a context of authlib.NoWait
// (sync), errWouldWait rather than a promise to wait for; else the
// promise's value. A throw or a rejection is fail's error, the JS
// exception its cause.
func askJS(ctx context.Context, fn safejs.Value, verb, arg string, fail func(cause error) error) (safejs.Value, error) {
	sync := !authlib.CanWait(ctx)
	var v safejs.Value
	var err error
	if verb == "" {
		v, err = fn.Invoke(arg, sync)
	} else {
		v, err = fn.Invoke(arg, sync, verb)
	}
	if err == nil && v.Type() != safejs.TypeString {
		if sync {
			return v, errWouldWait
		}
		v, err = jsfetch.Await(ctx, v)
	}
	if err != nil {
		return v, fail(thrown(err))
	}
	return v, nil
}
