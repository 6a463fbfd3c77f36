package fetch

import (
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// parseHeaderLines reads the fields of a response as readHeaders gets them
// from JS: names and values alternating, one a line (no name or value
// holds a newline). A name without a value gets "".
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
