// Package ascii compares and folds the case of ASCII text, as HTTP's
// tokens (auth schemes, parameter names) are compared: case-insensitively
// for A–Z alone. strings.EqualFold also folds non-ASCII letters (the
// Kelvin sign K matches k), which a token never holds, and it brings
// Unicode's case tables into the wasm build.
package ascii

// EqualFold reports whether a and b are equal when A–Z are taken as a–z.
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// Lower returns s with A–Z as a–z, and nothing else changed.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lower(b[j])
			}
			return string(b)
		}
	}
	return s
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
