//go:build js && wasm

package main

import (
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

func newObject() safejs.Value {
	v, _ := global("Object").New()
	return v
}
