package oauth2

import (
	"net/url"
	"strings"
)

// encodeForm writes name, value pairs as application/x-www-form-urlencoded,
// in the order given.
func encodeForm(kv []string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[i]) + "=" + url.QueryEscape(kv[i+1]))
	}
	return b.String()
}

// parseForm reads application/x-www-form-urlencoded text, or a query, into
// name, value pairs in order; ok is false if an escape is malformed.
func parseForm(s string) (kv []string, ok bool) {
	ok = true
	for _, part := range strings.Split(s, "&") {
		k, v, _ := strings.Cut(part, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			ok = false
		} else if part != "" {
			kv = append(kv, k, v)
		}
	}
	return kv, ok
}

// formFields returns the pairs kv as the members of an object; the first
// of a repeated name counts, as url.Values.Get has it.
func formFields(kv []string) fields {
	m := fields{}
	for i := len(kv) - 2; i >= 0; i -= 2 {
		m[kv[i]] = field{kv[i+1], true}
	}
	return m
}

// lookup returns the value of the first pair named name in kv.
func lookup(kv []string, name string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == name {
			return kv[i+1]
		}
	}
	return ""
}

// hasName reports whether a pair of kv is named name.
func hasName(kv []string, name string) bool { return count(kv, name) > 0 }

// count is how many pairs of kv are named name.
func count(kv []string, name string) int {
	n := 0
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == name {
			n++
		}
	}
	return n
}

// controlFree reports a string without ASCII control characters.
func controlFree(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}
