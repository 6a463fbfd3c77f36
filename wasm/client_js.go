//go:build js && wasm

package main

import (
	"github.com/hack-pad/safejs"
)

// authlib.client(options) → {fetch(input, init), close()}. The client keeps
// its scheme between calls: a Digest nonce is reused, so N requests cost
// N+1 exchanges.
func jsClient(_ safejs.Value, args []safejs.Value) any {
	var s settings
	if err := readSettings(&s, arg(args, 0)); err != nil {
		return toAuthError(err)
	}
	obj := newObject()
	f, err := safejs.FuncOf(guard(func(_ safejs.Value, a []safejs.Value) any {
		input, init := arg(a, 0), arg(a, 1)
		settle(arg(a, 2), arg(a, 3), func() (any, error) { return doFetch(s, input, init) })
		return nil
	}))
	if err != nil {
		return toAuthError(err)
	}
	obj.Set("fetch", f)
	fns := []safejs.Func{f}
	for name, fn := range map[string]func(safejs.Value, []safejs.Value) any{"prepare": jsPrepare(s), "resume": jsResume(s), "failed": jsFailed(s), "answer": jsAnswer(s)} {
		g, err := safejs.FuncOf(guard(fn))
		if err != nil {
			return toAuthError(err)
		}
		obj.Set(name, g)
		fns = append(fns, g)
	}
	var closeFn safejs.Func
	closeFn, err = safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		obj.Set("fetch", safejs.Undefined())
		for _, g := range fns {
			g.Release()
		}
		closeFn.Release()
		return nil
	})
	if err == nil {
		obj.Set("close", closeFn)
	}
	return obj
}
