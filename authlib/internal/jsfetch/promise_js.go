//go:build js && wasm

package jsfetch

import (
	"context"
	"errors"

	"github.com/hack-pad/safejs"
)

// Rejection is the value a JavaScript promise was rejected with.
type Rejection struct {
	Value safejs.Value
}

func (r Rejection) Error() string {
	msg, _ := jsString(r.Value, "message")
	name, _ := jsString(r.Value, "name")
	switch {
	case name != "" && msg != "":
		return name + ": " + msg
	case msg != "":
		return msg
	}
	s, err := r.Value.String()
	if err != nil {
		return "promise rejected"
	}
	return s
}

// Await waits for the thenable p to settle and returns its value, or a
// [Rejection]. It returns ctx's error if ctx ends first (the promise is
// left to settle on its own). It must not be called from inside a JS
// callback: it blocks, and the callback it waits for could never run.
func Await(ctx context.Context, p safejs.Value) (safejs.Value, error) {
	type result struct {
		v   safejs.Value
		err error
	}
	ch := make(chan result, 1)
	var onOK, onErr safejs.Func
	settle := func(r result) {
		ch <- r // buffered: a callback never blocks
		onOK.Release()
		onErr.Release()
	}
	var err error
	onOK, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		settle(result{v: arg(args, 0)})
		return nil
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	onErr, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		settle(result{err: Rejection{arg(args, 0)}})
		return nil
	})
	if err != nil {
		onOK.Release()
		return safejs.Undefined(), err
	}
	if _, err := p.Call("then", onOK, onErr); err != nil {
		onOK.Release()
		onErr.Release()
		return safejs.Undefined(), err
	}
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		return safejs.Undefined(), ctx.Err()
	}
}

// NewPromise returns a JS Promise settled by fn, which runs in its own
// goroutine so that the caller (often a JS callback) returns at once. fn's
// value resolves the promise; its error rejects it, converted by reject
// (nil means a plain Error with the message). A panic in fn rejects the
// promise instead of killing the Go program.
func NewPromise(fn func() (any, error), reject func(error) any) (safejs.Value, error) {
	ctor := js().promise
	executor, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolveFn, rejectFn := arg(args, 0), arg(args, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					// The panic value stays out of the message: it could hold anything.
					rejectFn.Invoke(toReason(errors.New("authlib: internal error (a panic); please report it"), reject))
				}
			}()
			v, err := fn()
			if err != nil {
				rejectFn.Invoke(toReason(err, reject))
				return
			}
			resolveFn.Invoke(v)
		}()
		return nil
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	defer executor.Release() // the Promise constructor calls it at once
	return ctor.New(executor)
}

func toReason(err error, reject func(error) any) any {
	if reject != nil {
		return reject(err)
	}
	v, _ := js().errorCtor.New(err.Error())
	return v
}

func arg(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

// jsString reads v[name] as a string, "" when it is not one.
func jsString(v safejs.Value, name string) (string, bool) {
	if v.Type() != safejs.TypeObject && v.Type() != safejs.TypeFunction {
		return "", false
	}
	p, err := v.Get(name)
	if err != nil || p.Type() != safejs.TypeString {
		return "", false
	}
	s, err := p.String()
	return s, err == nil
}
