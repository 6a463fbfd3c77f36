package view

import (
	"errors"
	"strconv"
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

var statusText = map[int]string{
	200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
	303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
	400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
	405: "Method Not Allowed", 407: "Proxy Authentication Required", 429: "Too Many Requests",
	500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}

var statusMeaning = map[int]string{
	200: "the server accepted the request",
	401: "the server wants credentials, or refused the ones sent",
	403: "the credentials were understood but are not allowed here",
	404: "nothing here (some APIs answer 404 to hide that a login is needed)",
	407: "the proxy wants credentials",
	429: "too many requests: slow down",
}

// Status returns "401 Unauthorized".
func Status(code int) string {
	s := strconv.Itoa(code)
	if t, ok := statusText[code]; ok {
		s += " " + t
	}
	return s
}

// Meaning explains a status in a few words, or "".
func Meaning(code int) string { return statusMeaning[code] }

// Challenges describes what a 401 or 407 asked for:
// `Digest (realm "authtest", algorithm SHA-256, qop auth)`.
func Challenges(values []string) string {
	cs, _ := authlib.ParseChallenges(values...) // what is readable
	if len(cs) == 0 {
		return ""
	}
	var out []string
	for _, c := range cs {
		var ps []string
		for _, p := range c.Params {
			switch p.Name {
			case "nonce", "opaque":
				continue // noise to a reader
			case "realm":
				ps = append(ps, "realm \""+p.Value+"\"")
			default:
				ps = append(ps, p.Name+" "+p.Value)
			}
		}
		s := c.Scheme
		if len(ps) > 0 {
			s += " (" + strings.Join(ps, ", ") + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

// Problem puts an error in plain words: a heading and what to do.
func Problem(err error) (title, advice string) {
	var e *authlib.Error
	detail := err.Error()
	if errors.As(err, &e) && e.Detail != "" {
		detail = e.Detail
	}
	switch {
	case errors.Is(err, authlib.ErrInvalidURL):
		return "That URL cannot be requested", sentence(detail)
	case errors.Is(err, authlib.ErrInvalidCredentials):
		return "Those credentials cannot be sent", sentence(detail)
	case errors.Is(err, authlib.ErrInsecureTransport):
		return "Not sent: it would expose the credentials", "The URL is plain http to a host that is not this machine, where anyone on the way could read them. Use https."
	case errors.Is(err, authlib.ErrRedirectBlocked):
		return "A redirect was refused", sentence(detail)
	case errors.Is(err, authlib.ErrTooManyRedirects):
		return "Too many redirects", "The server kept redirecting; the chain was stopped."
	case errors.Is(err, authlib.ErrUnsupportedChallenge), errors.Is(err, authlib.ErrMalformedChallenge):
		return "The server's challenge cannot be answered", sentence(detail)
	case errors.Is(err, authlib.ErrTimeout):
		return "No answer in time", "The server did not answer before the time limit. Is it up, and is the URL right?"
	case errors.Is(err, authlib.ErrCanceled):
		return "Cancelled", "The request was stopped before it finished."
	case errors.Is(err, authlib.ErrUnsupported):
		return "Not possible in a browser", sentence(detail)
	case errors.Is(err, authlib.ErrNetwork), errors.Is(err, authlib.ErrRetriesExhausted):
		return "The request did not get through", "The browser hides why. Check that the URL is right and the server is up, that it allows this page's origin by CORS (Access-Control-Allow-Origin, and Access-Control-Allow-Headers naming Authorization and any custom header), and that its TLS certificate is trusted."
	}
	return "Something went wrong", sentence(detail)
}

// sentence is s with a capital and a full stop, unless it ends a question
// ("did you mean …?") or already ends one.
func sentence(s string) string {
	s = upperFirst(s)
	if strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

func upperFirst(s string) string {
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// displayNames spells the header names whose canonical Go form
// (CanonicalHeaderKey) differs from how they are written.
var displayNames = map[string]string{
	"Www-Authenticate": "WWW-Authenticate", "X-Tokenauth": "X-TokenAuth", "Etag": "ETag",
	"Content-Md5": "Content-MD5", "Dnt": "DNT", "Te": "TE", "X-Xss-Protection": "X-XSS-Protection",
}

// HeaderName returns a header name as it is written on the wire
// ("WWW-Authenticate", not Go's canonical "Www-Authenticate").
func HeaderName(canonical string) string {
	if n, ok := displayNames[canonical]; ok {
		return n
	}
	return canonical
}

// ChallengeMeaning explains a 401 (or 407) in its place: a challenge that
// authlib answered in the next exchange is no refusal; a 401 to credentials
// that were sent is the server refusing them.
func ChallengeMeaning(code int, answered, credsSent bool) (text string, refusal bool) {
	who := "server"
	if code == 407 {
		who = "proxy"
	}
	switch {
	case answered:
		return "a challenge: the " + who + " asks for credentials, and authlib answers it in the next exchange", false
	case credsSent:
		return "the " + who + " refused the credentials sent: a wrong password, username or token", true
	}
	return "the " + who + " wants credentials, and none were sent", true
}
