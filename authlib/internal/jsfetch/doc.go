// Package jsfetch is the engine under [authlib/fetch] and the JS API: an
// authlib.Transport over the JavaScript fetch API, for GOOS=js GOARCH=wasm,
// with the pieces the JS API needs to build a fetch itself from plain
// values ([Transport.Check], [Transport.Failed], [Transport.WrapResponse],
// [ByteString], and HeadersOnDemand).
//
// Redirects: in Node it asks fetch for redirect "manual", so that the
// authlib Client follows them with its own origin policy. Browsers make a
// manual redirect opaque, so there it lets fetch follow when Authorization
// is the only credential (fetch drops it across origins by itself), and
// refuses a redirect when any other credential header is attached, with
// authlib.ErrRedirectBlocked.
//
// Header values are checked before they reach fetch, which throws on CR
// and LF and sends text outside Latin-1 differently from Go. Errors are
// *authlib.Error values; fetch's own messages are scrubbed of credentials.
package jsfetch
