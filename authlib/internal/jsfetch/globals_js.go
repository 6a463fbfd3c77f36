//go:build js && wasm

package jsfetch

import (
	"sync"

	"github.com/hack-pad/safejs"
)

// jsGlobals are the constructors and functions the transport uses on every
// request, looked up once: each lookup is a call into JS and a finalizer.
type jsGlobals struct {
	object, array, abortController, abortSignal, url, uint8Array, fetch, promise, errorCtor safejs.Value
	// serviceWorker: the code runs in a service worker (its global scope
	// is the only one to have ServiceWorkerGlobalScope)
	serviceWorker bool
	// Strings the transport passes on every request, made into JS values
	// once: each new one costs a reference, and a finalizer call later.
	omit, newline safejs.Value
	redirect      map[string]safejs.Value
}

var (
	globalsOnce sync.Once
	globals     jsGlobals
)

// js returns the globals, looking them up on first use. It is kept out of
// line: inlined, its first-use closure was copied into every caller
// (2.8 KB of wasm each).
//
//go:noinline
func js() *jsGlobals {
	globalsOnce.Do(func() {
		g := safejs.Global()
		get := func(name string) safejs.Value {
			v, err := g.Get(name)
			if err != nil {
				return safejs.Undefined()
			}
			return v
		}
		globals = jsGlobals{
			object: get("Object"), array: get("Array"), abortController: get("AbortController"), abortSignal: get("AbortSignal"), url: get("URL"),
			uint8Array: get("Uint8Array"), fetch: get("fetch"), promise: get("Promise"), errorCtor: get("Error"),
			redirect: map[string]safejs.Value{},
		}
		globals.serviceWorker = get("ServiceWorkerGlobalScope").Type() == safejs.TypeFunction
		globals.omit, _ = safejs.ValueOf("omit")
		globals.newline, _ = safejs.ValueOf("\n")
		for _, m := range []string{"manual", "follow", "error"} {
			globals.redirect[m], _ = safejs.ValueOf(m)
		}
	})
	return &globals
}

// inServiceWorker reports code running in a service worker.
func inServiceWorker() bool { return js().serviceWorker }
