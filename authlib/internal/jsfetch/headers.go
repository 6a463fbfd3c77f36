package jsfetch

import (
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// parseHeaderLines reads header fields as JS hands them to Go in one
// string (the transport's response headers): names and values alternating, one a line (no name or value
// holds a newline). A name without a value gets "". One string crosses
// instead of a value per field, each of which costs Go a call into JS and
// a finalizer.
func parseHeaderLines(s string) authlib.Header {
	h := authlib.Header{}
	for s != "" {
		var k, val string
		k, s, _ = strings.Cut(s, "\n")
		val, s, _ = strings.Cut(s, "\n")
		h.Add(k, val)
	}
	return h
}
