//go:build js && wasm

// Package jsapi is the Go of authlib's JavaScript API: built into
// authlib.wasm (authlib/cmd/authlib-wasm calls [Serve]) and loaded by authlib.mjs,
// which hands it the AuthError class and receives the functions below,
// and publishes them as the authlib namespace (also globalThis.authlib).
// Its //go:wasmexport calls are the lean path of requests that reuse a
// credential. Only the JS API uses it.
package jsapi

import (
	"github.com/hack-pad/safejs"
)

// Version is the API version reported as authlib.version.
const Version = "0.1.0"

// Serve hands the API to authlib.mjs and serves its calls until the page
// or process goes away; it returns only when it was started without
// authlib.mjs or could not build the API, having said why.
func Serve() {
	boot, err := safejs.Global().Get("__authlib_boot")
	if err != nil || boot.Type() != safejs.TypeObject {
		println("authlib: load authlib.wasm through authlib.mjs (its load function); it was started without it")
		return
	}
	ctor, err := boot.Get("AuthError")
	if err != nil || ctor.Type() != safejs.TypeFunction {
		println("authlib: authlib.mjs did not pass AuthError")
		return
	}
	authError = ctor
	signedHook, _ = boot.Get("recordSigned")
	ns, err := namespace()
	if err != nil {
		println("authlib: cannot build the namespace: " + err.Error())
		return
	}
	if _, err := boot.Call("ready", ns); err != nil {
		println("authlib: ready failed: " + err.Error())
		return
	}
	select {} // serve calls until the page or process goes away
}

// namespace builds the object of exported functions. Each one recovers
// from panics; none blocks.
func namespace() (safejs.Value, error) {
	object, err := safejs.Global().Get("Object")
	if err != nil {
		return safejs.Undefined(), err
	}
	ns, err := object.New()
	if err != nil {
		return ns, err
	}
	for name, fn := range map[string]func(safejs.Value, []safejs.Value) any{
		"basic":      jsBasic,
		"bearer":     jsBearer,
		"client":     jsClient,
		"prepare":    jsPrepare(settings{}),
		"aws4Signed": jsAWSSigned(settings{}),
		"resume":     jsResume(settings{}),
		"failed":     jsFailed(settings{}),

		"aws4Presign": jsAWSPresign,
		"oauth1":      jsOAuth1,

		"oauth2": jsOAuth2,
	} {
		f, err := safejs.FuncOf(guard(fn))
		if err != nil {
			return ns, err
		}
		if err := ns.Set(name, f); err != nil {
			return ns, err
		}
	}
	if err := ns.Set("version", Version); err != nil {
		return ns, err
	}
	return ns, nil
}

// guard turns a panic in fn into a returned AuthError, so that the Go
// program survives any call.
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func guard(fn func(safejs.Value, []safejs.Value) any) func(safejs.Value, []safejs.Value) any {
	return func(this safejs.Value, args []safejs.Value) (result any) {
		defer func() {
			if p := recover(); p != nil {
				result = newAuthError("internal", "authlib: internal error; please report it")
			}
		}()
		return fn(this, args)
	}
}
