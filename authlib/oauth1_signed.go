package authlib

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/authlib-go/authlib/authlib/internal/hashes"
)

// OAuth1Signature is what an OAuth 1.0a signature covered.
type OAuth1Signature struct {
	BaseString string            // the signature base string (RFC 5849 §3.4.1)
	Signature  string            // the signature o computes for it
	Sent       string            // the oauth_signature the request carries
	Params     map[string]string // the oauth_ parameters sent, oauth_signature among them
}

// Format prints the base string and the parameters; the signatures are
// masked (a PLAINTEXT one is the secrets themselves).
func (s OAuth1Signature) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.OAuth1Signature", "BaseString", strconv.Quote(s.BaseString), "Signature", "[redacted]", "Sent", "[redacted]")
}

// Valid reports whether the signature sent is the one computed.
func (s OAuth1Signature) Valid() bool {
	return s.Sent != "" && hashes.Equal(s.Sent, s.Signature)
}

// Signed reads the OAuth parameters of req, a request signed with OAuth
// 1.0a (in its Authorization header, its query or its form body), and
// returns the base string they cover and the signature o's secrets give
// it: a server checks a request with it (Valid), and a page or a log can
// show the base string, which no secret is part of. The parameters
// (oauth_consumer_key, oauth_token, oauth_nonce, …) are returned too, for
// the server to look the secrets up.
func (o OAuth1) Signed(req *Request) (OAuth1Signature, error) {
	var oauth [][2]string
	fromHeader := false
	if v, ok := strings.CutPrefix(req.Header.Get("Authorization"), "OAuth "); ok {
		fromHeader = true
		for _, p := range strings.Split(v, ",") {
			k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
			val = strings.Trim(val, `"`)
			if k != "realm" {
				oauth = append(oauth, [2]string{k, pathUnescape(val)})
			}
		}
	}
	var rest [][2]string
	form := isForm(req.Header.Get("Content-Type"))
	sources := parseForm(req.URL.RawQuery)
	if form {
		sources = append(sources, parseForm(string(req.Body))...)
	}
	for _, p := range sources {
		if !fromHeader && strings.HasPrefix(p[0], "oauth_") {
			oauth = append(oauth, p)
			continue
		}
		rest = append(rest, p)
	}
	out := OAuth1Signature{Params: map[string]string{}}
	for _, p := range oauth {
		out.Params[p[0]] = p[1]
		if p[0] == "oauth_signature" {
			out.Sent = p[1]
			continue
		}
		rest = append(rest, p)
	}
	h, err := oauth1Hash(out.Params["oauth_signature_method"])
	if err != nil {
		return out, err
	}
	out.BaseString = oauth1Base(req.Method, req.URL.Scheme, req.URL.Host, req.URL.EscapedPath(), rest)
	if oauth1RSA(out.Params["oauth_signature_method"]) == "" {
		out.Signature = o.sign(h, out.BaseString) // an RSA signature is checked with the public key, not computed
	}
	return out, nil
}
