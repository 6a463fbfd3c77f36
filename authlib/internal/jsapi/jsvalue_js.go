//go:build js && wasm

package jsapi

import (
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

// global returns globalThis[name], read each time: the JS globals Go uses
// on every request are looked up once, by authlib/fetch; what the glue
// reads (the page's location) is read rarely, and pages can change it.
func global(name string) safejs.Value {
	v, err := safejs.Global().Get(name)
	if err != nil {
		return safejs.Undefined()
	}
	return v
}

// newObject returns a new, empty JS object (syscall/js holds the Object
// constructor).
func newObject() safejs.Value {
	v, _ := safejs.ValueOf(map[string]any{})
	return v
}
