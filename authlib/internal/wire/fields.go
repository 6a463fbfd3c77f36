package wire

// Type is how a field's value is written.
type Type string

// The types of fields.
const (
	String Type = "string"  // as given
	Number Type = "number"  // a JS number, as String(n) writes it
	Bool   Type = "boolean" // "true" or "false"
	Header Type = "header"  // "Name:value", one header field a line
	JSON   Type = "json"    // JSON text, parsed by the side that reads it
	Flag   Type = "flag"    // present ("1") or absent
)

// A Field is one name a message may hold; what it holds is said beside it
// in Fields.
type Field struct {
	Name string
	Type Type
	List bool // may repeat
}

// Fields are every field of every message, by direction. The messages:
//
//   - a call (JS → Go: fetch, a client's fetch, prepare, resume, failed;
//     client(options) sends the options' fields of it): the request as
//     authlib.mjs read it once from the caller's input and init, with the
//     options. Values JS holds that are not data cross beside the message,
//     never inside it: the body (a Uint8Array), the signal, the fields
//     fetch gets unchanged (an object), an auth function, onToken.
//   - prepared (Go → JS, prepare's answer): the request as JS sends it.
//   - an auth function's request (Go → JS: method, url, header) and its
//     answer (JS → Go: header, the fields as the function left them).
//   - a credentials function's answer (JS → Go: auth.accessKeyId,
//     auth.secretAccessKey, auth.sessionToken, auth.expiration).
//   - aws4.presign (JS → Go: url, method, expires and the auth fields).
//   - a flow of authlib.oauth2 (JS → Go: the oauth fields); authorize's
//     answer (url, oauth.state, oauth.codeVerifier); the device flow's code
//     (Go → JS, to onCode: the code fields).
//
// Options of the JS API keep their names (auth.username is auth's
// username); a list is its field repeated.
var Fields = []Field{
	// A call: the request.
	{"url", String, false},    // the request URL, as fetch reads it (WHATWG), or as given when fetch's parser refuses it
	{"method", String, false}, // the method, as the caller's init gave it (a string, or what its object makes)
	{"header", Header, true},  // a request header field, the body's Content-Type among them
	{"sent", Header, true},    // resume: a header field JS sent with the request whose response Go takes over
	// A call: the options, on a call or a client.
	{"auth", String, false},       // the scheme: basic, digest, proxy, bearer, header, oauth2, oauth1, aws4, httpsig, netrc, function (the function crosses beside), none
	{"auth.token", String, false}, // oauth2: the saved token as JSON text (bearer's token is in SchemeFields)
	// The fields of each scheme's auth option are SchemeFields.
	{"auth.onToken", Flag, false},          // oauth2: an onToken function crosses beside
	{"auth.expiration", Number, false},     // aws4: the credentials function's answer: ms since the epoch when they expire
	{"auth.credentials", Flag, false},      // aws4: a credentials function crosses beside (in the auth function's place)
	{"expires", Number, false},             // aws4.presign: seconds the URL is valid
	{"auth.alg", String, false},            // httpsig: the key's algorithm (RFC 9421's name)
	{"auth.component", String, true},       // httpsig: a covered component, in order
	{"auth.label", String, false},          // httpsig: the signature's label
	{"auth.expires", Number, false},        // httpsig: seconds after created it expires
	{"auth.nonce", Bool, false},            // httpsig: a random nonce in each signature
	{"auth.tag", String, false},            // httpsig: the tag parameter
	{"auth.contentDigest", String, false},  // httpsig: sha-256 or sha-512
	{"auth.secret", String, false},         // httpsig: a shared secret (hmac-sha256), base64
	{"auth.signer", Flag, false},           // httpsig: a signer function crosses beside (WebCrypto signs)
	{"timeout", Number, false},             // milliseconds; 0 none (JS makes a timeout a signal, and sends 0)
	{"retry", Number, false},               // retries, as a count
	{"retry.max", Number, false},           // retries
	{"retry.base", Number, false},          // the first wait, ms
	{"retry.cap", Number, false},           // the longest computed wait, ms
	{"retry.maxRetryAfter", Number, false}, // the longest Retry-After honoured, ms
	{"retry.nonIdempotent", Bool, false},   // also retry POST and other methods
	{"allowInsecure", Bool, false},         // credentials over plain http to any host
	{"baseURL", String, false},             // what a relative URL resolves against (JS resolves it; Go checks it)
	{"origins", String, true},              // an origin credentials may go to besides the request's, as fetch reads it; one empty value alone: none (an empty list)
	{"redirect", String, false},            // follow or manual
	// OAuth settings (auth oauth2, and the flows of authlib.oauth2).
	{"oauth.issuer", String, false},             // the authorization server's issuer
	{"oauth.tokenURL", String, false},           // the token endpoint
	{"oauth.deviceURL", String, false},          // the device authorization endpoint
	{"oauth.revocationURL", String, false},      // the revocation endpoint (RFC 7009)
	{"oauth.tokenTypeHint", String, false},      // revoke: the token's type, access_token or refresh_token
	{"oauth.token", String, false},              // revoke: the token to revoke
	{"oauth.authorizationURL", String, false},   // the authorization endpoint
	{"oauth.clientId", String, false},           // the client's id
	{"oauth.clientSecret", String, false},       // the client's secret
	{"oauth.clientAuth", String, false},         // basic, post or none
	{"oauth.redirectURI", String, false},        // the redirect URI
	{"oauth.scope", String, false},              // the scope, names joined by one space
	{"oauth.callback", String, false},           // exchange: the URL the browser came back to
	{"oauth.state", String, false},              // exchange: the state authorize made
	{"oauth.codeVerifier", String, false},       // exchange: the PKCE verifier authorize made
	{"oauth.param", String, true},               // authorize: an extra parameter, name=value form-urlencoded
	{"oauth.registrationURL", String, false},    // the registration endpoint (RFC 7591)
	{"oauth.parURL", String, false},             // the pushed authorization request endpoint (RFC 9126)
	{"oauth.clientKeyId", String, false},        // private_key_jwt: the kid of the client's assertions
	{"oauth.clientKeyAlg", String, false},       // private_key_jwt: the client key's algorithm (a Signer's name); the keys function crosses beside
	{"oauth.dpop", String, false},               // DPoP: the key's JWS algorithm, ES256 or EdDSA; the keys function crosses beside
	{"oauth.resource", String, true},            // a resource the tokens are for (RFC 8707)
	{"oauth.par", Bool, false},                  // authorize: push the request (RFC 9126)
	{"oauth.metadata", JSON, false},             // register: the client's metadata (RFC 7591), a JSON object
	{"oauth.initialAccessToken", String, false}, // register: the server's initial access token
	{"oauth.onAuthorize", Flag, false},          // a client given only a resource logs in on a 401 through onAuthorize, which the keys function calls
	{"oauth.store", Flag, false},                // the token is kept in a store (store.mjs), which the keys function loads, saves and locks
	// The device flow's code (Go → JS, onCode).
	{"code.user", String, false},        // device: the user code
	{"code.uri", String, false},         // device: the verification URI
	{"code.uriComplete", String, false}, // device: the verification URI with the code in it
	{"code.expiresIn", Number, false},   // device: seconds the code lives
	// Prepared (Go → JS).
	{"redirectMode", String, false}, // prepared: fetch's redirect mode (manual, follow, error)
	{"follow", Flag, false},         // prepared: a redirect comes back to Go to follow
	{"renew", Flag, false},          // prepared: a 401 comes back to Go (an OAuth token to renew, a Digest challenge)
	{"cache", Flag, false},          // prepared: JS may reuse it for the same credentials, method and headers to this origin
	{"answer", Flag, false},         // prepared: a Digest answer, reused with a new Authorization from answer() each time
	{"until", Number, false},        // prepared: ms since the epoch until which it may be reused
	{"aws4", Flag, false},           // prepared: an AWS SigV4 request (a 403 to it can be explained: aws4.check)
	// What an AWS SigV4 request signed (Go → JS, aws4.check), the session
	// token masked.
	{"aws4.canonicalRequest", String, false},
	{"aws4.stringToSign", String, false},
	// A lean call's failure (Go → JS): the AuthError's code and message.
	{"error", String, false},  // the code
	{"detail", String, false}, // the message
}

var index = func() map[string]bool {
	m := make(map[string]bool, len(Fields)+len(SchemeFields))
	for _, f := range Fields {
		m[f.Name] = true
	}
	for _, f := range SchemeFields {
		m["auth."+f.Name] = true
	}
	return m
}()

// Known reports whether name is one of Fields, or auth.NAME of one of
// SchemeFields.
func Known(name string) bool {
	return index[name]
}
