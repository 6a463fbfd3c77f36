package jsfetch

import (
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// scrub removes from msg the values of the request's credential and
// sensitive headers (whole, and the part after the scheme), and user
// information in URLs. Where the marker and the text beside it happen to
// spell a secret again ("]000" from "[redacted]" and "000"), the whole
// message is withheld.
func scrub(msg string, req *authlib.Request) string {
	var secrets []string
	names := append(req.CredentialHeaders(), "Authorization", "Proxy-Authorization", "Cookie")
	for _, n := range names {
		for _, v := range req.Header.Values(n) {
			secrets = append(secrets, v)
			if _, rest, ok := strings.Cut(v, " "); ok {
				secrets = append(secrets, rest)
			}
		}
	}
	for _, s := range secrets {
		if len(s) >= 4 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	msg = scrubUserinfo(msg)
	for _, s := range secrets {
		if len(s) >= 4 && strings.Contains(msg, s) {
			return "[redacted]"
		}
	}
	return msg
}

// scrubUserinfo replaces "scheme://user:pass@" with "scheme://[redacted]@".
func scrubUserinfo(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+3])
		s = s[i+3:]
		end := strings.IndexAny(s, "/?# \"'")
		if end < 0 {
			end = len(s)
		}
		if at := strings.LastIndex(s[:end], "@"); at >= 0 {
			b.WriteString("[redacted]")
			s = s[at:]
		}
	}
}
