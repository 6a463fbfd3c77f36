package view

import (
	"sort"
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// Dots stands for a masked secret.
const Dots = "••••••••"

// Masker hides secrets in what the page shows. With Reveal it shows all.
type Masker struct {
	Reveal  bool
	secrets []string
}

// NewMasker masks secrets, longest first so that one containing another
// is masked whole.
func NewMasker(secrets []string, reveal bool) *Masker {
	s := append([]string(nil), secrets...)
	sort.Slice(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
	return &Masker{Reveal: reveal, secrets: s}
}

// Text masks every occurrence of a secret in s.
func (m *Masker) Text(s string) string {
	if m.Reveal {
		return s
	}
	for _, x := range m.secrets {
		if len(x) >= 3 {
			s = strings.ReplaceAll(s, x, Dots)
		}
	}
	return m.segments(s)
}

// segments masks path segments equal to a short secret, which Text leaves
// alone to keep ordinary words readable.
func (m *Masker) segments(s string) string {
	parts := strings.Split(s, "/")
	for i, p := range parts {
		seg, rest := p, ""
		if j := strings.IndexAny(p, "?#"); j >= 0 {
			seg, rest = p[:j], p[j:]
		}
		for _, x := range m.secrets {
			if seg == x {
				parts[i] = Dots + rest
			}
		}
	}
	return strings.Join(parts, "/")
}

// Header masks a header value: a credential field keeps its scheme word
// ("Basic ••••••••"), and any secret elsewhere is masked. Digest
// credentials keep their parameters readable (nc, cnonce, qop, algorithm:
// what shows a nonce reused) and lose only the response, the one value
// computed from the password; AWS SigV4 keeps all but its signature.
func (m *Masker) Header(name, value string, credential bool) string {
	if m.Reveal {
		return value
	}
	if d, ok := maskDigestResponse(value); ok {
		return m.Text(d)
	}
	if a, ok := maskAWSSignature(value); ok {
		return m.Text(a)
	}
	if publicSigningField(name) {
		return m.Text(value)
	}
	if credential || isCredentialField(name) {
		if scheme, _, ok := strings.Cut(value, " "); ok && authlib.ValidHeaderName(scheme) {
			return scheme + " " + Dots
		}
		return Dots
	}
	return m.Text(value)
}

func isCredentialField(name string) bool {
	switch authlib.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "X-Tokenauth", "Cookie":
		return true
	}
	return false
}

// maskDigestResponse returns Digest credentials with the response value
// masked, as they were written otherwise; false for anything else.
func maskDigestResponse(value string) (string, bool) {
	c, err := authlib.ParseCredentials(value)
	if err != nil || !c.Is("Digest") {
		return "", false
	}
	r, ok := c.Param("response")
	if !ok || r == "" {
		return "", false
	}
	for _, form := range []string{`response="` + r + `"`, "response=" + r} {
		if i := strings.Index(value, form); i >= 0 {
			return value[:i] + `response="` + Dots + `"` + value[i+len(form):], true
		}
	}
	return "", false
}

// maskAWSSignature returns an AWS SigV4 Authorization with its signature
// masked, its credential scope and signed headers readable (what to
// compare when AWS refuses it); false for anything else.
func maskAWSSignature(value string) (string, bool) {
	if !strings.HasPrefix(value, "AWS4-HMAC-SHA256 ") {
		return "", false
	}
	i := strings.Index(value, "Signature=")
	if i < 0 {
		return "", false
	}
	return value[:i] + "Signature=" + Dots, true
}

// publicSigningField reports the fields a signing scheme sets that hold no
// secret (the time and the body's hash that AWS SigV4 signs): shown, so
// that the canonical request can be read against them.
func publicSigningField(name string) bool {
	switch authlib.CanonicalHeaderKey(name) {
	case "X-Amz-Date", "X-Amz-Content-Sha256":
		return true
	}
	return false
}
