//go:build js && wasm

package main

import (
	"strings"
	"sync"

	"github.com/hack-pad/safejs"
)

func arg(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

func nullish(v safejs.Value) bool { return v.IsUndefined() || v.IsNull() }

// prop returns obj[name], or undefined when obj is not an object.
func prop(obj safejs.Value, name string) safejs.Value {
	if obj.Type() != safejs.TypeObject && obj.Type() != safejs.TypeFunction {
		return safejs.Undefined()
	}
	v, err := obj.Get(name)
	if err != nil {
		return safejs.Undefined()
	}
	return v
}

func str(v safejs.Value) (string, bool) {
	if v.Type() != safejs.TypeString {
		return "", false
	}
	s, err := v.String()
	return s, err == nil
}

func num(v safejs.Value) (float64, bool) {
	if v.Type() != safejs.TypeNumber {
		return 0, false
	}
	f, err := v.Float()
	return f, err == nil
}

var (
	globalsMu sync.Mutex
	globals   = map[string]safejs.Value{}
)

// global returns globalThis[name], looked up once: every lookup is a call
// into JS and a finalizer on the Go side. ("location" is not cached: it is
// read rarely and pages can change it.)
func global(name string) safejs.Value {
	globalsMu.Lock()
	defer globalsMu.Unlock()
	if v, ok := globals[name]; ok {
		return v
	}
	v, err := safejs.Global().Get(name)
	if err != nil {
		return safejs.Undefined()
	}
	if name != "location" {
		globals[name] = v
	}
	return v
}

// ownKeys returns the names of obj's own enumerable properties, in one call
// into JS, so that an init object is read by what it holds rather than by
// asking for every option there is.
func ownKeys(obj safejs.Value) map[string]bool {
	keys := map[string]bool{}
	if obj.Type() != safejs.TypeObject {
		return keys
	}
	arr, err := global("Object").Call("keys", obj)
	if err != nil {
		return keys
	}
	joined, err := arr.Call("join", "\x00")
	if err != nil {
		return keys
	}
	s, _ := joined.String()
	if s == "" {
		return keys
	}
	for _, k := range strings.Split(s, "\x00") {
		keys[k] = true
	}
	return keys
}

func newObject() safejs.Value {
	v, _ := global("Object").New()
	return v
}

func isArray(v safejs.Value) bool {
	r, err := global("Array").Call("isArray", v)
	if err != nil {
		return false
	}
	b, _ := r.Bool()
	return b
}

// each calls fn for every element of the JS array v.
func each(v safejs.Value, fn func(i int, e safejs.Value) error) error {
	n, err := v.Length()
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		e, err := v.Index(i)
		if err != nil {
			return err
		}
		if err := fn(i, e); err != nil {
			return err
		}
	}
	return nil
}
