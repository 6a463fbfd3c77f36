//go:build js && wasm && (authlib_nooauth || authlib_nooauthflows)

package jsapi

import "github.com/hack-pad/safejs"

// Built with -tags authlib_nooauthflows, authlib.wasm has the OAuth scheme
// (auth: {type: 'oauth2'}) but not the flows of authlib.oauth2, which
// reject as unsupported; make bench builds it so to measure what the scheme
// alone adds. -tags authlib_nooauth leaves out both.
func jsOAuth2(_ safejs.Value, args []safejs.Value) any {
	arg(args, 5).Invoke(toAuthError(usage("unsupported", "this build of authlib.wasm has no flows of authlib.oauth2 (authlib-lite.wasm, or -tags authlib_nooauthflows or authlib_nooauth): load the full build (load() of authlib-wasm)")))
	return nil
}
