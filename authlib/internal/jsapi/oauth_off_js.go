//go:build js && wasm && authlib_nooauth

package jsapi

import (
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/wire"
	"github.com/hack-pad/safejs"
)

// Built with -tags authlib_nooauth, authlib.wasm has no OAuth: make bench
// builds it so to measure what OAuth adds.

func oauthAuth(wire.OAuth, safejs.Value, safejs.Value) (authlib.Auth, error) {
	return nil, usage("unsupported", "this build of authlib.wasm has no OAuth 2.0 (authlib-lite.wasm, or -tags authlib_nooauth): load the full build (load() of authlib-wasm)")
}

func isOAuth(authlib.Auth) bool                           { return false }
func cachedBearer(authlib.Auth) (authlib.Auth, time.Time) { return nil, time.Time{} }
func dpopBound(authlib.Auth) bool                         { return false }
func oauthCode(error) (string, string, bool)              { return "", "", false }

func jsLogout(settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		arg(args, 1).Invoke(toAuthError(usage("unsupported", "this build of authlib.wasm has no OAuth 2.0 (authlib-lite.wasm, or -tags authlib_nooauth): load the full build (load() of authlib-wasm)")))
		return nil
	}
}
