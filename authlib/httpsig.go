package authlib

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
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
// @scheme, @request-target, @path, @query) or a header field name in
// lower case; a field the request lacks is an error, before anything is
// sent.
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
	return hmacSum(sha256.New, k, string(base)), nil
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
		if seen[c] {
			return out, requestError("httpsig", "a component is covered twice: "+sfLabel(c))
		}
		seen[c] = true
		v, err := componentValue(req, c)
		if err != nil {
			return out, err
		}
		if i > 0 {
			params.WriteString(" ")
		}
		params.WriteString(sfQuote(c))
		base.WriteString(sfQuote(c) + ": " + v + "\n")
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

// componentValue is a covered component's value (RFC 9421 §2.1, §2.2).
func componentValue(req *Request, c string) (string, error) {
	u := req.URL
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
	if strings.HasPrefix(c, "@") || c == "" || c != asciiLower(c) || !isToken(c) {
		return "", requestError("httpsig", "a component is not one authlib derives (@method, @target-uri, @authority, @scheme, @request-target, @path, @query) nor a lower-case header name: "+sfLabel(c))
	}
	vs := req.Header.Values(c)
	if len(vs) == 0 {
		return "", requestError("httpsig", "the request has no "+c+" header to sign")
	}
	for i, v := range vs {
		vs[i] = strings.TrimSpace(v)
	}
	return strings.Join(vs, ", "), nil
}

// contentDigest is a Content-Digest field (RFC 9530) of body.
func contentDigest(alg string, body []byte) (string, error) {
	switch alg {
	case "", "sha-256":
		sum := sha256.Sum256(body)
		return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":", nil
	case "sha-512":
		sum := sha512.Sum512(body)
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
	label := s.Label
	if label == "" {
		label = "sig1"
	}
	var out HTTPSigSignature
	for _, m := range splitDictionary(req.Header.Get("Signature-Input")) {
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
			name := strings.Trim(c, `"`)
			v, err := componentValue(req, name)
			if err != nil {
				return out, err
			}
			base.WriteString(sfQuote(name) + ": " + v + "\n")
		}
		base.WriteString(`"@signature-params": ` + rest)
		out.Base, out.Input = base.String(), m
		for _, sm := range splitDictionary(req.Header.Get("Signature")) {
			if strings.HasPrefix(sm, label+"=") {
				out.Header = sm
			}
		}
		return out, nil
	}
	return out, requestError("httpsig", "the request has no Signature-Input member "+sfLabel(label))
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
