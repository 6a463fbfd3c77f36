package authlib

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"github.com/authlib-go/authlib/authlib/internal/hashes"
	"hash"
	mrand "math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
)

// OAuth1 signs each request with OAuth 1.0a (RFC 5849), as the X API's
// user context, Magento, NetSuite, LTI 1.1 and Mastercard ask, and as
// requests-oauthlib's OAuth1 does: HMAC-SHA1 (the default), HMAC-SHA256
// or PLAINTEXT, or RSA-SHA1 and RSA-SHA256 with an RSA key (Signer), its
// parameters in the Authorization header (the default),
// the query or a form body.
//
// The signature covers the method, the URL without its query, and every
// parameter: the query's, a form body's (application/x-www-form-urlencoded)
// and the protocol's own. Another body is signed only through
// oauth_body_hash, when BodyHash asks for it (the OAuth Request Body Hash
// extension; JSON APIs such as some LTI and Mastercard ones ask for it).
//
// An OAuth1 is safe for concurrent use.
type OAuth1 struct {
	ClientKey    string // oauth_consumer_key
	ClientSecret string
	// ResourceOwnerKey and ResourceOwnerSecret are the token (oauth_token)
	// and its secret: the access token, or during the three-legged flow
	// the request token. Empty for requests signed by the client alone.
	ResourceOwnerKey    string
	ResourceOwnerSecret string

	SignatureMethod string // "HMAC-SHA1" (default), "HMAC-SHA256", "PLAINTEXT", "RSA-SHA1" or "RSA-SHA256"

	// Signer is the RSA private key of RSA-SHA1 and RSA-SHA256: a Signer of
	// "rsa-v1_5-sha1" or "rsa-v1_5-sha256" ([NewSigner] natively; the JS
	// API's rsaKey is a WebCrypto key). ClientSecret is then unused.
	Signer        Signer
	SignatureType string // "header" (default), "query" or "body" (a form body)
	Realm         string // the header's realm, not signed

	Callback string // oauth_callback, for the request token ("oob" for none)
	Verifier string // oauth_verifier, for the access token
	BodyHash bool   // sign a body that is not a form with oauth_body_hash (SHA-1, as the extension says)

	// NoVersion leaves out oauth_version="1.0", which RFC 5849 makes
	// optional and requests-oauthlib sends.
	NoVersion bool

	// Now and Nonce make the timestamp and the nonce; nil means the clock
	// and 15 random bytes in hex. Tests inject them to reproduce examples.
	Now   func() time.Time
	Nonce func() string
}

// Format masks the secrets and the token.
func (o OAuth1) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.OAuth1", "ClientKey", o.ClientKey, "ClientSecret", "[redacted]", "ResourceOwnerKey", maskIfSet(o.ResourceOwnerKey),
		"ResourceOwnerSecret", "[redacted]", "SignatureMethod", o.SignatureMethod, "SignatureType", o.SignatureType)
}

// Apply signs req.
func (o OAuth1) Apply(req *Request) error {
	method := o.SignatureMethod
	if method == "" {
		method = "HMAC-SHA1"
	}
	h, err := oauth1Hash(method)
	if err != nil {
		return err
	}
	if rsaAlg := oauth1RSA(method); rsaAlg != "" && (o.Signer == nil || o.Signer.Algorithm() != rsaAlg) {
		return credentialError("oauth1", method+" needs an RSA key signing "+rsaAlg+" (Signer in Go, rsaKey in JS)")
	}
	for _, v := range [...][2]string{{"the client key", o.ClientKey}, {"the client secret", o.ClientSecret}, {"the resource owner key", o.ResourceOwnerKey},
		{"the resource owner secret", o.ResourceOwnerSecret}, {"the realm", o.Realm}, {"the callback", o.Callback}, {"the verifier", o.Verifier}} {
		if r := checkCredential(v[0], v[1]); r != "" {
			return credentialError("oauth1", r)
		}
	}
	if o.ClientKey == "" {
		return credentialError("oauth1", "the client key is empty")
	}
	form := isForm(req.Header.Get("Content-Type"))
	switch o.SignatureType {
	case "", "header", "query":
	case "body":
		if !form {
			return requestError("oauth1", "signature type body needs a form body (Content-Type application/x-www-form-urlencoded)")
		}
		if req.Method == "GET" || req.Method == "HEAD" {
			return requestError("oauth1", "signature type body needs a method with a body, not "+req.Method)
		}
	default:
		return requestError("oauth1", "the signature type is header, query or body")
	}

	now, nonce := time.Now, o.Nonce
	if o.Now != nil {
		now = o.Now
	}
	if nonce == nil {
		nonce = oauth1Nonce
	}
	params := [][2]string{
		{"oauth_consumer_key", o.ClientKey},
		{"oauth_nonce", nonce()},
		{"oauth_signature_method", method},
		{"oauth_timestamp", strconv.FormatInt(now().Unix(), 10)},
	}
	if !o.NoVersion {
		params = append(params, [2]string{"oauth_version", "1.0"})
	}
	if o.ResourceOwnerKey != "" {
		params = append(params, [2]string{"oauth_token", o.ResourceOwnerKey})
	}
	if o.Callback != "" {
		params = append(params, [2]string{"oauth_callback", o.Callback})
	}
	if o.Verifier != "" {
		params = append(params, [2]string{"oauth_verifier", o.Verifier})
	}
	if o.BodyHash && !form && req.Body != nil {
		// SHA-1 whatever the signature method, as the extension (and
		// oauthlib) says.
		sum := hashes.Sum(hashes.NewSHA1, req.Body)
		params = append(params, [2]string{"oauth_body_hash", base64.StdEncoding.EncodeToString(sum[:])})
	}

	// What the signature covers: the query's parameters and a form body's,
	// beside the protocol's.
	all := append([][2]string(nil), params...)
	all = append(all, parseForm(req.URL.RawQuery)...)
	if form {
		all = append(all, parseForm(string(req.Body))...)
	}
	base := oauth1Base(req.Method, req.URL.Scheme, req.URL.Host, req.URL.EscapedPath(), all)
	sig := o.sign(h, base)
	if oauth1RSA(method) != "" {
		b, err := o.Signer.Sign(req.Context(), []byte(base))
		if err != nil {
			return &Error{Kind: ErrInvalidCredentials, Op: "oauth1", Detail: "the RSA key could not sign", Err: err}
		}
		sig = base64.StdEncoding.EncodeToString(b)
	}
	params = append(params, [2]string{"oauth_signature", sig})

	switch o.SignatureType {
	case "query":
		req.URL.RawQuery = string(oauth1Pairs([]byte(req.URL.RawQuery), params, "&", "=", ""))
	case "body":
		req.Body = oauth1Pairs(req.Body, params, "&", "=", "")
	default:
		b := make([]byte, 0, 256)
		b = append(b, "OAuth "...)
		if o.Realm != "" {
			b = append(b, `realm=`...)
			b = append(appendQuoted(b, o.Realm), ", "...)
		}
		req.Header.Set("Authorization", string(oauth1Pairs(b, params, ", ", `="`, `"`)))
	}
	return nil
}

// oauth1Pairs appends the parameters to b, each name, eq, its value
// encoded, and end, sep between them (and before the first, when b holds
// a query or a body already).
func oauth1Pairs(b []byte, params [][2]string, sep, eq, end string) []byte {
	for i, p := range params {
		if i > 0 || len(b) > 0 && sep == "&" {
			b = append(b, sep...)
		}
		b = append(b, oauth1Encode(p[0])...)
		b = append(b, eq...)
		b = append(awsAppend(b, p[1], true), end...)
	}
	return b
}

// appendQuoted appends s as a quoted-string.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// oauth1Hash returns the hash of a signature method, nil for PLAINTEXT.
func oauth1Hash(method string) (func() hash.Hash, error) {
	switch method {
	case "HMAC-SHA1":
		return hashes.NewSHA1, nil
	case "HMAC-SHA256":
		return hashes.NewSHA256, nil
	case "PLAINTEXT":
		return nil, nil
	case "RSA-SHA1", "RSA-SHA256":
		return nil, nil // the Signer signs
	}
	return nil, credentialError("oauth1", "the signature method is HMAC-SHA1, HMAC-SHA256, PLAINTEXT, RSA-SHA1 or RSA-SHA256")
}

// oauth1RSA is the Signer algorithm of an RSA signature method, or "".
func oauth1RSA(method string) string {
	switch method {
	case "RSA-SHA1":
		return "rsa-v1_5-sha1"
	case "RSA-SHA256":
		return "rsa-v1_5-sha256"
	}
	return ""
}

// sign returns the signature of base with h (nil: PLAINTEXT).
func (o OAuth1) sign(h func() hash.Hash, base string) string {
	key := oauth1Encode(o.ClientSecret) + "&" + oauth1Encode(o.ResourceOwnerSecret)
	if h == nil {
		return key
	}
	return base64.StdEncoding.EncodeToString(hmacSum(h, []byte(key), base))
}

// oauth1Nonce is 15 random bytes in hex: 30 characters, the longest
// oauthlib's servers accept by default (20 to 30). A nonce must be unique
// per timestamp, not secret (the signature is the proof), so it comes from
// the runtime's ChaCha8, seeded by the system: in wasm, crypto/rand would
// be a call into JS for every request.
func oauth1Nonce() string {
	var b [15]byte
	for i := 0; i < len(b); i += 5 {
		v := mrand.Uint64()
		for j := 0; j < 5; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return hex.EncodeToString(b[:])
}

// oauth1Encode is RFC 5849 §3.6's percent-encoding: every byte but the
// unreserved ones (RFC 3986), in upper-case hex. It is AWS's.
func oauth1Encode(s string) string { return awsEncode(s, true) }

// oauth1Base is the signature base string (RFC 5849 §3.4.1): the method,
// the base string URI and the normalized parameters, each encoded, joined
// by '&'.
func oauth1Base(method, scheme, host, path string, params [][2]string) string {
	scheme, host = asciiLower(scheme), asciiLower(host)
	if (scheme == "http" && strings.HasSuffix(host, ":80")) || (scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	if path == "" {
		path = "/"
	}
	norm := oauth1Normalize(params)
	b := make([]byte, 0, len(method)+3*(len(scheme)+len(host)+len(path)+len(norm))/2)
	b = append(append(b, asciiUpper(method)...), '&')
	b = append(awsAppend(b, scheme+"://"+host+path, true), '&')
	return string(awsAppend(b, norm, true))
}

// oauth1Normalize encodes each name and value, sorts them by name then
// value, and joins them (RFC 5849 §3.4.1.3.2).
func oauth1Normalize(params [][2]string) string {
	pairs := make([]string, len(params))
	for i, p := range params {
		// A NUL, which no encoded name holds, sorts the name first.
		pairs[i] = oauth1Encode(p[0]) + "\x00" + oauth1Encode(p[1])
	}
	sort.Strings(pairs)
	n := len(pairs)
	for _, p := range pairs {
		n += len(p)
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		k, v, _ := strings.Cut(p, "\x00")
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v)
	}
	return b.String()
}

// parseForm splits an application/x-www-form-urlencoded string (a query,
// a form body) into decoded pairs: '+' is a space, and a '%' that starts
// no escape stays itself.
func parseForm(s string) [][2]string {
	var out [][2]string
	for _, p := range strings.Split(s, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		out = append(out, [2]string{pathUnescape(strings.ReplaceAll(k, "+", " ")), pathUnescape(strings.ReplaceAll(v, "+", " "))})
	}
	return out
}

// isForm reports a Content-Type of application/x-www-form-urlencoded.
func isForm(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	return asciiLower(strings.TrimSpace(mt)) == "application/x-www-form-urlencoded"
}

func asciiUpper(s string) string {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'a' <= b[j] && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s // a method, nearly always upper case already
}
