// Package oauth2 is OAuth 2.0 for authlib (RFC 6749, 6750, 7636, 8414,
// 8628), pure Go over the core's Transport, so it runs natively and in
// js/wasm alike.
//
// A [Config] names the client and the server's endpoints (or finds them
// with [Config.Discover]); its grants are [Config.ClientCredentials],
// [Config.Refresh], the authorization code with PKCE ([Config.AuthCodeURL]
// and [Config.Exchange]) and the device flow ([Config.DeviceAuth] and
// [Config.DeviceToken]). A [Source] keeps a token and renews it, one token
// request however many callers need it, and calls OnToken once per new
// token so that rotated refresh tokens can be saved. [Auth] puts a Source
// under an authlib.Client as a Bearer scheme that renews a token the
// server calls invalid_token.
//
// No error, and no value printed with fmt, contains a client secret, a
// code, a verifier or a token.
package oauth2
