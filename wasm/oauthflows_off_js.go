//go:build js && wasm && (authlib_nooauth || authlib_nooauthflows)

package main

import "github.com/hack-pad/safejs"

// Built with -tags authlib_nooauthflows, authlib.wasm has the OAuth scheme
// (auth: {type: 'oauth2'}) but not the flows of authlib.oauth2: make bench
// builds it so to measure what the scheme alone adds.
func jsOAuth2(safejs.Value, []safejs.Value) any { return nil }
