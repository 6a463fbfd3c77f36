//go:build js && wasm && authlib_lite

package jsapi

import (
	"github.com/authlib-go/authlib/authlib"
	"github.com/hack-pad/safejs"
)

// Built with -tags authlib_lite (and authlib_nooauth), this is
// authlib-lite.wasm: Basic, Digest, Bearer, proxy Basic, header tokens,
// netrc and auth functions, without the signing schemes (AWS SigV4, OAuth
// 1.0a, RFC 9421) or OAuth 2.0, which it refuses as unsupported, naming the
// full build.

var beside = map[string]besider{}

var signedHook safejs.Value // unused: no AWS SigV4 here

func signingKind(authlib.Auth) (kind, bool)                        { return 0, false }
func isAWS(authlib.Auth) bool                                      { return false }
func recordIfSigned(authlib.Auth, *authlib.Response, safejs.Value) {}

// notInLite rejects a call of the API this build lacks.
func notInLite(what string, reject safejs.Value) any {
	reject.Invoke(toAuthError(usage("unsupported", "authlib-lite.wasm has no "+what+": load the full build (load() of authlib-wasm, not authlib-wasm/lite)")))
	return nil
}

func jsAWSPresign(_ safejs.Value, args []safejs.Value) any {
	return notInLite("AWS SigV4", arg(args, 3))
}
func jsOAuth1(_ safejs.Value, args []safejs.Value) any { return notInLite("OAuth 1.0a", arg(args, 3)) }

func jsAWSSigned(settings) func(safejs.Value, []safejs.Value) any {
	return func(safejs.Value, []safejs.Value) any {
		return toAuthError(usage("unsupported", "authlib-lite.wasm has no AWS SigV4: load the full build (load() of authlib-wasm, not authlib-wasm/lite)"))
	}
}
