package authlib

import (
	"encoding/hex"
	"fmt"
	"github.com/authlib-go/authlib/authlib/internal/ascii"
	"net/url"
	"strings"

	"github.com/authlib-go/authlib/authlib/internal/hashes"
)

// DigestAlgorithm names a Digest algorithm of RFC 7616 §6.1.
type DigestAlgorithm string

// The Digest algorithms authlib speaks, strongest first. RFC 7616 names
// SHA-512-256, SHA-256 and MD5; SHA-512 and SHA (SHA-1) are not in its
// registry, but servers send them and Python's requests answers them, so
// authlib does too, ranking them below the registered SHA-2 algorithms
// and, for SHA-1, just above MD5.
const (
	SHA512_256     DigestAlgorithm = "SHA-512-256"
	SHA512_256Sess DigestAlgorithm = "SHA-512-256-sess"
	SHA256         DigestAlgorithm = "SHA-256"
	SHA256Sess     DigestAlgorithm = "SHA-256-sess"
	SHA512         DigestAlgorithm = "SHA-512"
	SHA512Sess     DigestAlgorithm = "SHA-512-sess"
	SHA1           DigestAlgorithm = "SHA"
	SHA1Sess       DigestAlgorithm = "SHA-sess"
	MD5            DigestAlgorithm = "MD5"
	MD5Sess        DigestAlgorithm = "MD5-sess"
)

// digestAlgorithms lists them, strongest first.
var digestAlgorithms = []DigestAlgorithm{SHA512_256, SHA512_256Sess, SHA256, SHA256Sess,
	SHA512, SHA512Sess, SHA1, SHA1Sess, MD5, MD5Sess}

// ParseDigestAlgorithm returns the algorithm named by s in any case; "" is
// MD5, as RFC 7616 says of a challenge without one.
func ParseDigestAlgorithm(s string) (DigestAlgorithm, bool) {
	if s == "" {
		return MD5, true
	}
	for _, a := range digestAlgorithms {
		if ascii.EqualFold(s, string(a)) {
			return a, true
		}
	}
	return "", false
}

// Sess reports whether a is a session variant ("-sess").
func (a DigestAlgorithm) Sess() bool { return strings.HasSuffix(string(a), "-sess") }

// strength orders algorithms for choosing among challenges.
func (a DigestAlgorithm) strength() int {
	switch strings.TrimSuffix(string(a), "-sess") {
	case "SHA-512-256":
		return 5
	case "SHA-256":
		return 4
	case "SHA-512":
		return 3
	case "SHA":
		return 2
	case "MD5":
		return 1
	}
	return 0
}

// kind is a's hash.
func (a DigestAlgorithm) kind() hashes.Kind {
	switch strings.TrimSuffix(string(a), "-sess") {
	case "SHA-512-256":
		return hashes.SHA512_256
	case "SHA-256":
		return hashes.SHA256
	case "SHA-512":
		return hashes.SHA512
	case "SHA":
		return hashes.SHA1
	}
	return hashes.MD5
}

// h returns the lower-case hex hash of the parts joined by ':'. The parts
// are joined, and hashed, on the stack: a Digest answer hashes three
// times per request, and in wasm an allocation costs more than MD5 does.
func (a DigestAlgorithm) h(parts ...string) string {
	var in [256]byte
	b := in[:0]
	for i, p := range parts {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, p...)
	}
	var sum [64]byte
	var out [128]byte
	return string(hex.AppendEncode(out[:0], hashes.AppendSum(a.kind(), sum[:0], b)))
}

// DigestParams is everything a Digest response is computed from. A QOP of
// "" is the RFC 2069 form (no cnonce, no nonce-count).
type DigestParams struct {
	Algorithm DigestAlgorithm
	Username  string // as typed, not hashed
	Realm     string
	Password  string
	Method    string
	URI       string // the request target, as sent in uri=
	Body      []byte // for qop=auth-int
	Nonce     string
	CNonce    string
	NC        uint32
	QOP       string // "auth", "auth-int" or ""
}

// Format masks the password.
func (p DigestParams) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.DigestParams", "Algorithm", string(p.Algorithm), "Username", printableUser(p.Username),
		"Realm", p.Realm, "Password", "[redacted]", "URI", p.URI, "QOP", p.QOP)
}

// DigestResponse computes the response= value of RFC 7616 §3.4.1 (and of
// RFC 2617 and RFC 2069 for the older forms). It is pure: the same params
// give the same answer, which makes the RFC's examples exact tests.
func DigestResponse(p DigestParams) string {
	a := p.Algorithm
	if a == "" {
		a = MD5
	}
	ha1 := a.h(p.Username, p.Realm, p.Password)
	if a.Sess() {
		ha1 = a.h(ha1, p.Nonce, p.CNonce)
	}
	var ha2 string
	if p.QOP == "auth-int" {
		var sum [64]byte
		ha2 = a.h(p.Method, p.URI, hex.EncodeToString(hashes.AppendSum(a.kind(), sum[:0], p.Body)))
	} else {
		ha2 = a.h(p.Method, p.URI)
	}
	if p.QOP == "" {
		return a.h(ha1, p.Nonce, ha2)
	}
	return a.h(ha1, p.Nonce, formatNC(p.NC), p.CNonce, p.QOP, ha2)
}

// DigestUserhash returns the userhash of RFC 7616 §3.4.4: H(username ":" realm).
func DigestUserhash(a DigestAlgorithm, username, realm string) string {
	return a.h(username, realm)
}

// formatNC is nc as eight lower-case hex digits (RFC 7616 §3.4).
func formatNC(nc uint32) string {
	const digits = "0123456789abcdef"
	var b [8]byte
	for i := range b {
		b[i] = digits[nc>>(28-4*i)&15]
	}
	return string(b[:])
}

// digestCredentials prints the Authorization value for p answering n:
// quoted strings where RFC 7616 has them, algorithm, qop and nc unquoted
// (some servers refuse them quoted). A username that is not ASCII goes
// hashed when n offers userhash, as username* (RFC 8187) when n says
// charset=UTF-8, and otherwise as its UTF-8 bytes in the quoted string, as
// curl sends it: RFC 7616 ties username* to charset=UTF-8, and servers that
// do not say it (Apache httpd) compare the bytes.
func digestCredentials(p DigestParams, n *digestNonce) string {
	resp := DigestResponse(p)
	var b strings.Builder
	// One allocation: the fields, quoted, and the names and separators.
	b.Grow(len(p.Username)*3 + len(p.Realm) + len(p.Nonce) + len(p.URI) + len(resp) + len(n.opaque) + len(p.CNonce) + len(p.Algorithm) + 160)
	b.WriteString("Digest ")
	switch {
	case n.userhash:
		b.WriteString("username=")
		writeQuoted(&b, DigestUserhash(p.Algorithm, p.Username, p.Realm))
	case !isASCII(p.Username) && n.utf8:
		b.WriteString("username*=UTF-8''" + ext8187(p.Username))
	default:
		b.WriteString("username=")
		writeQuoted(&b, p.Username)
	}
	b.WriteString(", realm=")
	writeQuoted(&b, p.Realm)
	b.WriteString(", nonce=")
	writeQuoted(&b, p.Nonce)
	b.WriteString(", uri=")
	writeQuoted(&b, p.URI)
	if n.echoAlg {
		b.WriteString(", algorithm=")
		b.WriteString(string(p.Algorithm))
	}
	b.WriteString(", response=")
	writeQuoted(&b, resp)
	if n.opaque != "" {
		b.WriteString(", opaque=")
		writeQuoted(&b, n.opaque)
	}
	if p.QOP != "" {
		b.WriteString(", qop=")
		b.WriteString(p.QOP)
		b.WriteString(", nc=")
		b.WriteString(formatNC(p.NC))
		b.WriteString(", cnonce=")
		writeQuoted(&b, p.CNonce)
	}
	if n.userhash {
		b.WriteString(", userhash=true")
	}
	return b.String()
}

// writeQuoted writes s as a quoted-string (as quote makes it).
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// ext8187 percent-encodes s as an RFC 8187 value-chars.
func ext8187(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
		}
	}
	return b.String()
}

// DecodeExtValue decodes an RFC 8187 ext-value such as UTF-8”J%C3%A4s%C3%B8n
// (the username* of a Digest credential).
func DecodeExtValue(v string) (string, bool) {
	charset, rest, ok := strings.Cut(v, "'")
	if !ok || !ascii.EqualFold(charset, "UTF-8") {
		return "", false
	}
	_, enc, ok := strings.Cut(rest, "'")
	if !ok {
		return "", false
	}
	s, err := url.PathUnescape(enc)
	return s, err == nil
}
