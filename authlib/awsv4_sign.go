package authlib

import (
	"encoding/hex"
	"fmt"
	"github.com/authlib-go/authlib/authlib/internal/hashes"
	"sort"
	"strconv"
	"strings"
	"time"
)

// AWSV4Signature is what one AWS Signature Version 4 covered, for the
// caller to compare with what AWS computed when it answers 403
// SignatureDoesNotMatch (its message shows its own canonical request and
// string to sign). Its canonical request shows the session token masked,
// and it prints without its signature; the credential scope names the
// access key id, not the secret.
type AWSV4Signature struct {
	CanonicalRequest string // method, path, query, headers, signed header names, payload hash
	StringToSign     string // algorithm, time, scope, hash of the canonical request
	SignedHeaders    string // "host;x-amz-date;…"
	Scope            string // "20150830/us-east-1/service/aws4_request"
	Signature        string // hex
}

// awsv4 is one signature's input: a pure value, so that the AWS test
// suite's vectors are exact tests.
type awsv4 struct {
	method string
	// path is the path as sent (escaped); query the raw query, without '?'.
	path, query string
	// headers are the fields signed, names in any case; a repeated name's
	// values are joined with ','.
	headers     [][2]string
	payloadHash string
	time        time.Time
	region      string
	service     string
	accessKeyID string
	secret      string
	// normalize removes dot segments and empty segments from the path;
	// encodeTwice encodes the path as sent once more. Both are what every
	// service but S3 does.
	normalize, encodeTwice bool
}

const awsAlgorithm = "AWS4-HMAC-SHA256"

// awsTime is the ISO 8601 basic format of X-Amz-Date.
const awsTime = "20060102T150405Z"

// sign computes the signature.
func (s *awsv4) sign() AWSV4Signature {
	var out AWSV4Signature
	out.CanonicalRequest, out.SignedHeaders = s.canonicalRequest()
	t := s.time.UTC()
	date := t.Format("20060102")
	out.Scope = date + "/" + s.region + "/" + s.service + "/aws4_request"
	sum := hashes.Sum(hashes.NewSHA256, []byte(out.CanonicalRequest))
	out.StringToSign = awsAlgorithm + "\n" + t.Format(awsTime) + "\n" + out.Scope + "\n" + hex.EncodeToString(sum[:])
	key := awsHMAC([]byte("AWS4"+s.secret), date)
	key = awsHMAC(key, s.region)
	key = awsHMAC(key, s.service)
	key = awsHMAC(key, "aws4_request")
	out.Signature = hex.EncodeToString(awsHMAC(key, out.StringToSign))
	return out
}

// authorization is the Authorization field of sig made with accessKeyID.
func awsAuthorization(accessKeyID string, sig AWSV4Signature) string {
	return awsAlgorithm + " Credential=" + accessKeyID + "/" + sig.Scope + ", SignedHeaders=" + sig.SignedHeaders + ", Signature=" + sig.Signature
}

func awsHMAC(key []byte, data string) []byte { return hmacSum(hashes.NewSHA256, key, data) }

// canonicalRequest returns the canonical request and the signed header
// names.
func (s *awsv4) canonicalRequest() (string, string) {
	path := s.path
	if path == "" {
		path = "/"
	}
	if s.normalize {
		path = awsNormalizePath(path)
	}
	if s.encodeTwice {
		path = awsEncode(path, false)
	} else {
		// S3: the path as the server decodes it, encoded once.
		path = awsEncode(pathUnescape(path), false)
	}
	values := map[string]string{}
	var names []string
	for _, h := range s.headers {
		name := asciiLower(h[0])
		v := awsTrim(h[1])
		if old, ok := values[name]; ok {
			values[name] = old + "," + v
			continue
		}
		values[name] = v
		names = append(names, name)
	}
	// sort.Strings, not a slices.SortFunc: each instance of that is some
	// 20 KB of wasm.
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(s.method + "\n" + path + "\n" + awsCanonicalQuery(s.query) + "\n")
	for _, n := range names {
		b.WriteString(n + ":" + values[n] + "\n")
	}
	signed := strings.Join(names, ";")
	b.WriteString("\n" + signed + "\n" + s.payloadHash)
	return b.String(), signed
}

// awsCanonicalQuery sorts the query's parameters by name and then value,
// each percent-decoded and encoded again as AWS encodes ("a" is "a=").
func awsCanonicalQuery(q string) string {
	if q == "" {
		return ""
	}
	var pairs []string
	for _, p := range strings.Split(q, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		pairs = append(pairs, awsEncode(queryUnescape(k), true)+"\x00"+awsEncode(queryUnescape(v), true))
	}
	// Sorting "k=v" strings would put "a-b=1" before "a=1" ('-' < '=');
	// AWS sorts by name first.
	// By name, then value: "a-b=1" goes after "a=1" though '-' < '='. A
	// NUL, which no encoded name holds, sorts before every character.
	sort.Strings(pairs)
	for i, p := range pairs {
		pairs[i] = strings.Replace(p, "\x00", "=", 1)
	}
	return strings.Join(pairs, "&")
}

// awsEncode percent-encodes every byte of s but the unreserved ones
// (A–Z a–z 0–9 - _ . ~) in upper-case hex; '/' too when slash is true.
func awsEncode(s string, slash bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !awsUnreserved(s[i], slash) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	return string(awsAppend(make([]byte, 0, len(s)+2*n), s, slash))
}

// awsAppend appends s to b as awsEncode returns it.
func awsAppend(b []byte, s string, slash bool) []byte {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		if c := s[i]; awsUnreserved(c, slash) {
			b = append(b, c)
		} else {
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return b
}

// awsUnreserved reports a byte awsEncode leaves as it is.
func awsUnreserved(c byte, slash bool) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && !slash
}

// queryUnescape decodes %XX escapes; a '+' stays a '+' (RFC 3986, not
// HTML forms), and a '%' that starts no escape stays itself.
func queryUnescape(s string) string { return pathUnescape(s) }

// pathUnescape decodes %XX escapes, leaving a '%' that starts no escape.
func pathUnescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// awsNormalizePath removes "." and ".." segments and empty ones, keeping
// a trailing slash, as every service but S3 reads a path.
func awsNormalizePath(p string) string {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	n := "/" + strings.Join(out, "/")
	if len(out) > 0 && (strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")) {
		n += "/"
	}
	return n
}

// awsTrim trims a header value and folds each run of white space (line
// breaks of an obsolete folded value included) into one space.
func awsTrim(v string) string {
	f := strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' })
	return strings.Join(f, " ")
}

// Format prints the signature masked, for every verb of the fmt package.
func (s AWSV4Signature) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.AWSV4Signature", "CanonicalRequest", strconv.Quote(s.CanonicalRequest), "StringToSign", strconv.Quote(s.StringToSign),
		"SignedHeaders", s.SignedHeaders, "Scope", s.Scope, "Signature", "[redacted]")
}
