// Package authtest is a mock auth server for tests and demos, in the way
// of net/http/httptest: httpbin's auth paths with real Digest nonce state,
// per-path exchange counts, and real CORS. It is what the Node and Chromium
// tests and the demo talk to.
//
// Paths (any method unless said):
//
//	/basic-auth/{user}/{passwd}          Basic; 401 with a challenge when wrong
//	/hidden-basic-auth/{user}/{passwd}   the same, but 404 (browsers show no prompt)
//	/digest-auth/{qop}/{user}/{passwd}[/{algorithm}]
//	                                     Digest; qop auth, auth-int, auth,auth-int or none
//	                                     (RFC 2069); algorithm MD5 (default), MD5-sess,
//	                                     SHA-256[-sess], SHA-512-256[-sess], SHA-512[-sess],
//	                                     SHA[-sess], or several separated by commas (one
//	                                     challenge each);
//	                                     ?stale_after=N makes a nonce stale after N uses,
//	                                     ?userhash=true offers userhash,
//	                                     ?strict_nc=true refuses a nonce-count lower than
//	                                     one already seen (a fresh challenge, not stale),
//	                                     ?domain=URIs sends them as the challenge's domain
//	/bearer, /bearer/{token}             Bearer, any token or that one
//	/token-auth/{token}                  X-TokenAuth must equal token
//	/proxy-auth/{user}/{passwd}          Proxy-Authorization Basic; 407 when wrong
//	/headers                             the request headers as JSON
//	/anything                            method, URL, headers and body as JSON
//	/status/{code}                       that status; ?retry_after=V sets Retry-After
//	/flaky/{n}/{code}/{key}              code for the first n requests of key, then 200
//	/delay/{seconds}                     answers after a delay (at most 10 s)
//	/drip/{seconds}                      200 at once, then a body of 10 bytes over that time
//	/redirect-to?url=U[&status_code=302] a redirect to U
//	/redirect/{n}                        n redirects (n ≤ 100), then /headers
//	/no-cors/PATH                        PATH without CORS (a browser refuses it)
//	any path ?expose=none                CORS without Access-Control-Expose-Headers
//	/aws4/{service}/PATH                 AWS Signature Version 4 for that service, in region
//	                                     AWSRegion, with the key AWSAccessKeyID and
//	                                     AWSSecretAccessKey (any session token), in headers or
//	                                     presigned; 403 with API Gateway's error (the canonical
//	                                     request and string to sign it computed) when wrong
//	/httpsig/PATH                        HTTP Message Signatures (RFC 9421), checked with
//	                                     RFC 9421's example keys (HTTPSigHMACKeyID,
//	                                     HTTPSigEd25519KeyID); a covered Content-Digest is
//	                                     checked against the body
//	/oauth1/request_token, /oauth1/authorize, /oauth1/access_token
//	                                     a mock OAuth 1.0a provider (client OAuth1ClientKey with
//	                                     OAuth1ClientSecret; HMAC-SHA1, HMAC-SHA256, PLAINTEXT;
//	                                     the signature in the header, the query or a form body):
//	                                     authorize approves at once, redirecting to the callback
//	                                     with the verifier (for "oob", it answers it as JSON)
//	/oauth1/api/user                     an OAuth 1.0a resource: its access tokens, and
//	                                     OAuth1Token with OAuth1TokenSecret
//	/stats                               GET: exchanges per path, and token requests
//	                                     per grant as "grant:<grant_type>"; DELETE: reset
//
// and a mock OAuth 2.0 authorization server (clients OAuthClientID with
// OAuthClientSecret, and the public OAuthPublicClientID):
//
//	/.well-known/oauth-authorization-server, /.well-known/openid-configuration
//	                                     metadata (RFC 8414), issuer = the server's URL
//	/oauth/authorize                     approves at once and redirects back with a code
//	                                     (PKCE S256 required; login_hint=deny refuses)
//	/oauth/token                         client_credentials, authorization_code,
//	                                     refresh_token (rotating), device_code; Basic,
//	                                     post, client_secret_jwt or private_key_jwt
//	                                     client authentication (RFC 7523; a jti once);
//	                                     with a DPoP proof (RFC 9449; the server's nonce
//	                                     required) a DPoP token; ?lifetime=N seconds
//	/oauth/device                        device authorization (RFC 8628);
//	                                     ?slow_down=N, ?interval=N
//	/oauth/device/approve?user_code=U    approves (&deny=1 refuses) that code
//	/oauth/revoke                        revokes the form's token (RFC 7009: the client authenticates; a refresh token takes its grant's tokens with it)
//	/oauth/register                      registers a client (RFC 7591), held to its method,
//	                                     redirect URIs and require_pushed_authorization_requests
//	/oauth/par                           pushed authorization requests (RFC 9126)
//	/oauth/api/user, /oauth/api/admin    Bearer and DPoP tokens: 401 invalid_token for an
//	                                     unknown, expired or revoked token, or a DPoP token
//	                                     sent as Bearer; use_dpop_nonce; admin needs
//	                                     scope admin (403 insufficient_scope)
//	/mcp                                 the same, for tokens of its own resource (RFC 8707)
//	                                     or none; its 401s name its metadata (RFC 9728) at
//	                                     /.well-known/oauth-protected-resource/mcp
//	/mcp-elsewhere                       whose metadata names /mcp: a resource to refuse
package authtest

import (
	"net/http"
	"net/http/httptest"
)

// Server is a Handler listening on loopback.
type Server struct {
	*httptest.Server
	Handler *Handler
}

// NewServer starts a Server on http://127.0.0.1:port.
func NewServer() *Server {
	h := NewHandler()
	return &Server{Server: httptest.NewServer(h), Handler: h}
}

// NewTLSServer starts a Server on https; its Client trusts it.
func NewTLSServer() *Server {
	h := NewHandler()
	return &Server{Server: httptest.NewTLSServer(h), Handler: h}
}

var _ http.Handler = (*Handler)(nil)
