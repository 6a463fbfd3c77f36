package authlib

import (
	"sort"
	"strconv"
)

// Header holds HTTP header fields by canonical name ("X-Tokenauth" for
// "x-tokenauth"), each with its values in order.
type Header map[string][]string

// CanonicalHeaderKey returns the canonical form of a header name: the first
// letter and every letter after a hyphen in upper case, the rest in lower
// case. A name that is not a valid token is returned unchanged.
func CanonicalHeaderKey(name string) string {
	if !isToken(name) {
		return name
	}
	upper := true
	canonical := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (upper && 'a' <= c && c <= 'z') || (!upper && 'A' <= c && c <= 'Z') {
			canonical = false
			break
		}
		upper = c == '-'
	}
	if canonical {
		return name
	}
	b := []byte(name)
	upper = true
	for i, c := range b {
		if upper && 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		} else if !upper && 'A' <= c && c <= 'Z' {
			b[i] = c - 'A' + 'a'
		}
		upper = c == '-'
	}
	return string(b)
}

// Get returns the first value of the named field, or "".
//
//go:noinline
func (h Header) Get(name string) string {
	if v := h[CanonicalHeaderKey(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Values returns all values of the named field.
//
//go:noinline
func (h Header) Values(name string) []string { return h[CanonicalHeaderKey(name)] }

// Set replaces the named field with one value.
//
//go:noinline
func (h Header) Set(name, value string) { h[CanonicalHeaderKey(name)] = []string{value} }

// Add appends a value to the named field.
//
//go:noinline
func (h Header) Add(name, value string) {
	k := CanonicalHeaderKey(name)
	h[k] = append(h[k], value)
}

// Del removes the named field.
//
//go:noinline
func (h Header) Del(name string) { delete(h, CanonicalHeaderKey(name)) }

// Clone returns a deep copy; the clone of nil is an empty Header.
func (h Header) Clone() Header {
	c := make(Header, len(h))
	for k, v := range h {
		c[k] = append([]string(nil), v...)
	}
	return c
}

// Names returns the field names in sorted order.
func (h Header) Names() []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// ValidHeaderName reports whether name is an RFC 9110 token.
func ValidHeaderName(name string) bool { return isToken(name) }

// CheckHeaderValue reports why v cannot be sent as a header value the same
// way by every runtime authlib supports, or "" if it can. It refuses control
// characters (CR and LF above all, which would split the header), bytes
// outside ASCII (fetch and Go encode them differently), and leading or
// trailing white space (fetch trims it; a pasted token often ends in a
// newline). The reason never repeats the value.
func CheckHeaderValue(v string) string { return checkValue(v, false) }

// CheckCredentialValue is [CheckHeaderValue] for a value that an [Auth]
// scheme built, which may hold bytes outside ASCII (obs-text) on purpose:
// Digest sends a non-ASCII username as its UTF-8 bytes, as curl does. Every
// transport of authlib sends such bytes as they are (the fetch transport
// hands fetch one character per byte). Control characters are refused all
// the same.
func CheckCredentialValue(v string) string { return checkValue(v, true) }

func checkValue(v string, obsText bool) string {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 0x20 < c && c < 0x7f {
			continue // visible ASCII, nearly every byte: one test (this runs for every header of every request)
		}
		switch {
		case c == '\r' || c == '\n':
			return "contains a line break at byte " + strconv.Itoa(i)
		case c == '\t' && (i == 0 || i == len(v)-1):
			return "starts or ends with white space"
		case c == '\t':
		case c < 0x20 || c == 0x7f:
			return "contains a control character at byte " + strconv.Itoa(i)
		case c >= 0x80 && obsText:
		case c >= 0x80:
			return "contains a non-ASCII byte at byte " + strconv.Itoa(i) + " (encode the value, for example as base64)"
		case c == ' ' && (i == 0 || i == len(v)-1):
			return "starts or ends with white space"
		}
	}
	return ""
}

// checkHeader validates every field of h, returning the name and reason of
// the first bad one. The fields named in creds, set by a scheme, are
// checked by [CheckCredentialValue].
func checkHeader(h Header, creds ...string) (name, reason string) {
	for _, k := range h.Names() {
		if !isToken(k) {
			return k, "is not a valid header name"
		}
		obsText := false
		for _, c := range creds {
			obsText = obsText || c == k
		}
		for _, v := range h[k] {
			if r := checkValue(v, obsText); r != "" {
				return k, r
			}
		}
	}
	return "", ""
}

// isToken reports whether s is a non-empty RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return true
}

func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}
