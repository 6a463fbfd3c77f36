package authlib

import (
	"context"
	"encoding/base64"
	"fmt"
	"github.com/authlib-go/authlib/authlib/internal/hashes"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// HTTPSig signs each request with HTTP Message Signatures (RFC 9421), as
// Web Bot Auth and the fediverse ask: Signature-Input names what is
// covered and how, Signature holds the signature, and Content-Digest (RFC
// 9530) the body's hash when the signature covers it.
//
// The covered components are Components, by default "@method",
// "@target-uri", "@authority", and "content-digest" when the request has
// a body. A component is a derived one (@method, @target-uri, @authority,
// @scheme, @request-target, @path, @query, and one query parameter as
// `@query-param;name="Pet"`, its name percent-encoded as RFC 9421 §2.2.8
// writes it) or a header field name in lower case; a field or parameter
// the request lacks is an error, before anything is sent.
type HTTPSig struct {
	KeyID string // the keyid parameter
	Key   Signer // signs the signature base

	Components []string
	Label      string // the signature's label; "sig1" when empty

	// Expires, if positive, adds the expires parameter that long after
	// created. Created is always there: the time of signing.
	Expires time.Duration
	// Nonce, if set, makes the nonce parameter of each signature.
	Nonce func() string
	Tag   string // the tag parameter ("web-bot-auth"), if any
	Alg   bool   // add the alg parameter (the key's algorithm)

	// ContentDigest is the hash of a Content-Digest the signature covers:
	// "sha-256" (the default) or "sha-512".
	ContentDigest string

	// Now returns the signing time; nil means time.Now.
	Now func() time.Time
}

// Signer signs a signature base with a key. The wasm build signs with
// WebCrypto keys (which may be non-extractable); natively, [NewSigner]
// wraps Go's keys, and [HMACSHA256] is a shared secret everywhere.
type Signer interface {
	// Algorithm is the key's RFC 9421 algorithm name: "ed25519",
	// "ecdsa-p256-sha256", "rsa-pss-sha512", "rsa-v1_5-sha256" or
	// "hmac-sha256".
	Algorithm() string
	// Sign returns the signature of base, as RFC 9421 §3.3 encodes it
	// (ECDSA as r||s, not ASN.1).
	Sign(ctx context.Context, base []byte) ([]byte, error)
}

// HMACSHA256 is a [Signer] with a shared secret (hmac-sha256).
type HMACSHA256 []byte

// Algorithm returns "hmac-sha256".
func (HMACSHA256) Algorithm() string { return "hmac-sha256" }

// Sign returns the HMAC of base.
func (k HMACSHA256) Sign(_ context.Context, base []byte) ([]byte, error) {
	if len(k) == 0 {
		return nil, credentialError("httpsig", "the shared secret is empty")
	}
	return hmacSum(hashes.NewSHA256, k, string(base)), nil
}

// Format masks the secret.
func (k HMACSHA256) Format(f fmt.State, verb rune) { redacted(f, "authlib.HMACSHA256") }

// Format prints the key id only.
func (s HTTPSig) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.HTTPSig", "KeyID", s.KeyID, "Key", "[redacted]")
}

// HTTPSigSignature is what one signature covered.
type HTTPSigSignature struct {
	Base   string // the signature base (RFC 9421 §2.5)
	Input  string // the Signature-Input member: label=(…);params
	Header string // the Signature member: label=:base64:
}

// Format prints the base and the input; the signature is masked.
func (s HTTPSigSignature) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.HTTPSigSignature", "Base", strconv.Quote(s.Base), "Input", strconv.Quote(s.Input), "Header", "[redacted]")
}

// Apply signs req.
func (s HTTPSig) Apply(req *Request) error {
	_, err := s.Sign(req)
	return err
}

// Sign signs req as Apply does, and returns what was signed.
func (s HTTPSig) Sign(req *Request) (HTTPSigSignature, error) {
	var out HTTPSigSignature
	if s.Key == nil {
		return out, credentialError("httpsig", "no key to sign with")
	}
	if s.Key.Algorithm() == "rsa-pss-sha256" { // JWS's PS256, which RFC 9421 does not register
		return out, credentialError("httpsig", "rsa-pss-sha256 is not an RFC 9421 algorithm: use rsa-pss-sha512")
	}
	if s.KeyID == "" || strings.ContainsAny(s.KeyID, "\"\\") || CheckHeaderValue(s.KeyID) != "" {
		return out, credentialError("httpsig", "the key id is empty, or holds a quote, a backslash or a control character")
	}
	label := s.Label
	if label == "" {
		label = "sig1"
	}
	if !sfKey(label) {
		return out, requestError("httpsig", "the label is not a structured field key (lower case letters, digits, _ - . *)")
	}
	comps := s.Components
	if comps == nil {
		comps = []string{"@method", "@target-uri", "@authority"}
		if len(req.Body) > 0 {
			comps = append(comps, "content-digest")
		}
	}
	// The body's digest, when covered and not given by the caller.
	for _, c := range comps {
		if c == "content-digest" && req.Header.Get("Content-Digest") == "" {
			d, err := contentDigest(s.ContentDigest, req.Body)
			if err != nil {
				return out, err
			}
			req.Header.Set("Content-Digest", d)
		}
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	created := now().Unix()
	var params strings.Builder
	params.WriteString("(")
	var base strings.Builder
	seen := map[string]bool{}
	for i, c := range comps {
		id, err := componentID(c)
		if err != nil {
			return out, err
		}
		if seen[id] {
			return out, requestError("httpsig", "a component is covered twice: "+sfLabel(c))
		}
		seen[id] = true
		v, err := componentValue(req, c)
		if err != nil {
			return out, err
		}
		if i > 0 {
			params.WriteString(" ")
		}
		params.WriteString(id)
		base.WriteString(id + ": " + v + "\n")
	}
	params.WriteString(");created=" + strconv.FormatInt(created, 10))
	if s.Expires > 0 {
		params.WriteString(";expires=" + strconv.FormatInt(created+int64(s.Expires/time.Second), 10))
	}
	if s.Nonce != nil {
		n := s.Nonce()
		if !sfString(n) {
			return out, requestError("httpsig", "the nonce is not printable ASCII")
		}
		params.WriteString(";nonce=" + sfQuote(n))
	}
	params.WriteString(";keyid=" + sfQuote(s.KeyID))
	if s.Alg {
		params.WriteString(";alg=" + sfQuote(s.Key.Algorithm()))
	}
	if s.Tag != "" {
		if !sfString(s.Tag) {
			return out, requestError("httpsig", "the tag is not printable ASCII")
		}
		params.WriteString(";tag=" + sfQuote(s.Tag))
	}
	base.WriteString(`"@signature-params": ` + params.String())
	out.Base = base.String()
	sig, err := s.Key.Sign(req.Context(), []byte(out.Base))
	if err != nil {
		return out, &Error{Kind: ErrInvalidCredentials, Op: "httpsig", Detail: "the key could not sign", Err: err}
	}
	out.Input = label + "=" + params.String()
	out.Header = label + "=:" + base64.StdEncoding.EncodeToString(sig) + ":"
	req.Header.Set("Signature-Input", out.Input)
	req.Header.Set("Signature", out.Header)
	return out, nil
}

// queryParam is the component that names one query parameter (RFC 9421
// §2.2.8): written `@query-param;name="Pet"` in Components, the name as
// the signature base holds it (percent-encoded, see queryParamEncode).
const queryParam = "@query-param"

// componentID is the component identifier of a component as Components
// holds it: its name as an RFC 8941 string, and for @query-param its name
// parameter.
func componentID(c string) (string, error) {
	name, ok := queryParamName(c)
	if !ok {
		return sfQuote(c), nil
	}
	if name == "" || queryParamEncode(pathUnescape(name)) != name {
		return "", requestError("httpsig", `@query-param needs its name, percent-encoded as the signature base holds it: @query-param;name="Pet"`)
	}
	return sfQuote(queryParam) + ";name=" + sfQuote(name), nil
}

// queryParamName returns the name parameter of a component
// `@query-param;name="…"`, and whether c is one (a bare @query-param is
// one without a name).
func queryParamName(c string) (string, bool) {
	rest, ok := strings.CutPrefix(c, queryParam)
	if !ok || rest != "" && rest[0] != ';' {
		return "", false
	}
	v, ok := strings.CutPrefix(rest, `;name="`)
	if !ok || !strings.HasSuffix(v, `"`) || strings.ContainsAny(v[:len(v)-1], `"\`) {
		return "", true
	}
	return v[:len(v)-1], true
}

// queryParamValue is the value of the query parameter name (encoded) of
// u's query (RFC 9421 §2.2.8): the query parsed as a form (WHATWG URL's
// application/x-www-form-urlencoded parser), the parameter's value
// encoded again. A name that is missing, or given more than once, is an
// error.
func queryParamValue(u *url.URL, name string) (string, error) {
	var found []string
	for _, p := range parseForm(u.RawQuery) {
		if queryParamEncode(p[0]) == name {
			found = append(found, p[1])
		}
	}
	switch len(found) {
	case 0:
		return "", requestError("httpsig", "the query has no parameter "+sfLabel(name)+" to sign")
	case 1:
		return queryParamEncode(found[0]), nil
	}
	return "", requestError("httpsig", "the query has the parameter "+sfLabel(name)+" more than once: RFC 9421 signs such a query whole (@query)")
}

// queryParamEncode is WHATWG URL's "percent-encode after encoding" with
// the application/x-www-form-urlencoded percent-encode set, a space as
// %20: every byte of the UTF-8 but ASCII letters, digits and * - . _ (an
// invalid byte as U+FFFD, as the parser reads it).
func queryParamEncode(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	const hexDigits = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '*' || c == '-' || c == '.' || c == '_' {
			b = append(b, c)
		} else {
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return string(b)
}

// componentValue is a covered component's value (RFC 9421 §2.1, §2.2).
func componentValue(req *Request, c string) (string, error) {
	u := req.URL
	if name, ok := queryParamName(c); ok {
		return queryParamValue(u, name)
	}
	switch c {
	case "@method":
		return req.Method, nil
	case "@target-uri":
		t := *u
		t.Fragment, t.RawFragment, t.User = "", "", nil
		return t.String(), nil
	case "@authority":
		host, err := awsHost(u.Scheme, u.Host) // as sent: lower case, no default port, ASCII
		if err != nil {
			return "", requestError("httpsig", "the host is not ASCII: give its A-label (xn--…)")
		}
		return host, nil
	case "@scheme":
		return asciiLower(u.Scheme), nil
	case "@request-target":
		return req.RequestURI(), nil
	case "@path":
		if p := u.EscapedPath(); p != "" {
			return p, nil
		}
		return "/", nil
	case "@query":
		return "?" + u.RawQuery, nil
	}
	if strings.HasPrefix(c, "@") {
		return "", requestError("httpsig", "a component is not one authlib derives (@method, @target-uri, @authority, @scheme, @request-target, @path, @query, @query-param;name=\"…\") nor a lower-case header name: "+sfLabel(c))
	}
	return fieldValue(req.Header, c)
}

// fieldValue is the value of the header field c (a lower-case name) of a
// message (RFC 9421 §2.1): its lines, each trimmed, joined by ", ".
func fieldValue(h Header, c string) (string, error) {
	if c == "" || c != asciiLower(c) || !isToken(c) {
		return "", requestError("httpsig", "a component is not a lower-case header name: "+sfLabel(c))
	}
	vs := h.Values(c)
	if len(vs) == 0 {
		return "", requestError("httpsig", "the message has no "+c+" header to sign")
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.TrimSpace(v)
	}
	return strings.Join(out, ", "), nil
}

// contentDigest is a Content-Digest field (RFC 9530) of body.
func contentDigest(alg string, body []byte) (string, error) {
	switch alg {
	case "", "sha-256":
		sum := hashes.Sum(hashes.NewSHA256, body)
		return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":", nil
	case "sha-512":
		sum := hashes.Sum(hashes.NewSHA512, body)
		return "sha-512=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":", nil
	}
	return "", requestError("httpsig", "the content digest is sha-256 or sha-512")
}

// sfKey reports an RFC 8941 key.
func sfKey(s string) bool {
	if s == "" || !('a' <= s[0] && s[0] <= 'z' || s[0] == '*') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.' || c == '*') {
			return false
		}
	}
	return true
}

// sfString reports a value an RFC 8941 string can hold: printable ASCII.
func sfString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// sfQuote is an RFC 8941 string: quoted, with \ and " escaped.
func sfQuote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

// sfLabel is a component name for an error message: printable, cut short.
func sfLabel(s string) string {
	if !sfString(s) {
		return "(not printable)"
	}
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

// Signed returns what the signature of req, a request signed by
// [HTTPSig.Sign] or Apply (its Signature-Input as sent), covered: the
// signature base rebuilt from the request, for a page or a log to show
// beside the exchange. It signs nothing.
func (s HTTPSig) Signed(req *Request) (HTTPSigSignature, error) {
	return s.signed(req.Header, func(c string) (string, error) { return componentValue(req, c) })
}

// SignedResponse returns what the signature of a signed response covered
// (RFC 9421 §2.2.9): the signature base rebuilt from res's Signature-Input
// member of s's label, its @status and its header fields, for a verifier
// to check the signature over. It verifies nothing, and does not read the
// body: a covered Content-Digest is the caller's to check against it.
func (s HTTPSig) SignedResponse(res *Response) (HTTPSigSignature, error) {
	return s.signed(res.Header, func(c string) (string, error) {
		if c == "@status" {
			return strconv.Itoa(res.StatusCode), nil
		}
		if strings.HasPrefix(c, "@") {
			return "", requestError("httpsig", "a response's derived component is @status: "+sfLabel(c))
		}
		return fieldValue(res.Header, c)
	})
}

// signed rebuilds the signature base of the Signature-Input member of s's
// label in h, each component's value from value.
func (s HTTPSig) signed(h Header, value func(c string) (string, error)) (HTTPSigSignature, error) {
	label := s.Label
	if label == "" {
		label = "sig1"
	}
	var out HTTPSigSignature
	for _, m := range splitDictionary(h.Get("Signature-Input")) {
		l, rest, _ := strings.Cut(m, "=")
		if l != label || !strings.HasPrefix(rest, "(") {
			continue
		}
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			break
		}
		var base strings.Builder
		for _, c := range strings.Fields(rest[1:end]) {
			// An item is the name, quoted, and its parameters (the name of
			// an @query-param): as Components writes it, unquoted.
			name, params, _ := strings.Cut(c, ";")
			comp := strings.Trim(name, `"`)
			if params != "" {
				comp += ";" + params
			}
			id, err := componentID(comp)
			if err != nil {
				return out, err
			}
			v, err := value(comp)
			if err != nil {
				return out, err
			}
			base.WriteString(id + ": " + v + "\n")
		}
		base.WriteString(`"@signature-params": ` + rest)
		out.Base, out.Input = base.String(), m
		for _, sm := range splitDictionary(h.Get("Signature")) {
			if strings.HasPrefix(sm, label+"=") {
				out.Header = sm
			}
		}
		return out, nil
	}
	return out, requestError("httpsig", "the message has no Signature-Input member "+sfLabel(label))
}

// splitDictionary splits a structured field dictionary at its top-level
// commas (not those in strings or inner lists).
func splitDictionary(s string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == '(':
			depth++
		case !quoted && c == ')':
			depth--
		case !quoted && depth == 0 && c == ',':
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}
