package authlib

import (
	"errors"
	"net/netip"
	"net/url"
	"strings"
)

// ParseURL parses an absolute http or https URL for a request. It refuses,
// with an [ErrInvalidURL] error that explains the fix, a missing or
// misspelled scheme ("hppts://" → did you mean "https://"?), a missing host,
// and user:password@ (without repeating the password). The fragment is
// dropped: it is never sent.
func ParseURL(raw string) (*url.URL, error) {
	if hasUserinfo(raw) {
		return nil, &Error{Kind: ErrInvalidURL, Detail: "the URL contains user information (user:password@); remove it and pass the credentials as auth"}
	}
	if strings.TrimSpace(raw) == "" {
		return nil, &Error{Kind: ErrInvalidURL, Detail: "the URL is empty"}
	}
	if hostFirst(strings.TrimSpace(raw)) {
		return nil, &Error{Kind: ErrInvalidURL, Detail: noScheme}
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		detail := "the URL cannot be parsed"
		var ue *url.Error
		if errors.As(err, &ue) {
			detail += ": " + ue.Err.Error()
		}
		return nil, &Error{Kind: ErrInvalidURL, Detail: detail}
	}
	if err := CheckURL(u); err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// noScheme is the hint for a URL written without its scheme.
const noScheme = "the URL has no scheme; start it with http:// or https://"

// hostFirst reports a URL written host first, without a scheme:
// "127.0.0.1:8080/x", "localhost:8080", which url.Parse reads as a path
// with a colon, or as the scheme "localhost".
func hostFirst(raw string) bool {
	if strings.Contains(raw, "://") {
		return false
	}
	host, rest, _ := strings.Cut(raw, ":")
	if host == "" || strings.ContainsAny(host, "/?#@") {
		return false
	}
	port := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		port = rest[:i]
	}
	if port == "" || len(port) > 5 {
		return false
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// CheckURL reports, as an [ErrInvalidURL] error, why u cannot be requested.
func CheckURL(u *url.URL) error {
	if u == nil {
		return &Error{Kind: ErrInvalidURL, Detail: "no URL"}
	}
	if u.User != nil {
		return &Error{Kind: ErrInvalidURL, URL: RedactURL(u), Detail: "the URL contains user information (user:password@); remove it and pass the credentials as auth"}
	}
	scheme := asciiLower(u.Scheme)
	switch {
	case scheme == "":
		return &Error{Kind: ErrInvalidURL, Detail: noScheme}
	case scheme != "http" && scheme != "https":
		detail := "unsupported scheme \"" + safeScheme(u.Scheme) + "\": authlib sends http and https"
		if s := suggestScheme(scheme); s != "" {
			detail += "; did you mean \"" + s + "://\"?"
		}
		return &Error{Kind: ErrInvalidURL, Detail: detail}
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return &Error{Kind: ErrInvalidURL, Detail: "the URL has no host; write it as " + scheme + "://host/path"}
	}
	return nil
}

// hasUserinfo reports whether the authority of raw holds an '@', looked at
// before parsing so that no parse error can echo a password.
func hasUserinfo(raw string) bool {
	i := strings.Index(raw, "//")
	if i < 0 {
		return false
	}
	auth := raw[i+2:]
	if j := strings.IndexAny(auth, "/?#"); j >= 0 {
		auth = auth[:j]
	}
	return strings.Contains(auth, "@")
}

func safeScheme(s string) string {
	if len(s) > 20 {
		s = s[:20] + "…"
	}
	return s
}

// suggestScheme returns "https" or "http" when s looks like a typo of one.
func suggestScheme(s string) string {
	switch s {
	case "ftp", "ftps", "ws", "wss", "file", "data", "mailto":
		return ""
	}
	if d := editDistance(s, "https"); d <= 2 && len(s) >= 4 {
		return "https"
	}
	if d := editDistance(s, "http"); d <= 1 && len(s) >= 3 {
		return "http"
	}
	return ""
}

// editDistance is the Damerau (optimal string alignment) distance, so that a
// swap such as "hppts" for "https" counts as one or two edits.
func editDistance(a, b string) int {
	if len(a) > 32 {
		return 99
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := 0; j <= len(b); j++ {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// Origin returns u's origin as "scheme://host:port", with the default port
// written out, so that two spellings of one origin compare equal.
//
// Only ASCII letters are folded to lower case. net/http and fetch connect
// to a non-ASCII host by its IDNA mapping, which is not Unicode case
// folding: strings.ToLower folds İ (U+0130) to "i", where the runtime
// connects to xn--…, another host, and the runtimes themselves disagree
// on some letters (fetch maps the Kelvin sign K to "k", net/http does not).
// So a host with other than ASCII keeps those letters as they are: two
// spellings are one origin only when every runtime maps them alike, and
// credentials never reach a host they were not given for (at worst they
// are left off a host that is the same under another spelling).
func Origin(u *url.URL) string {
	scheme := asciiLower(u.Scheme)
	host := asciiLower(u.Hostname())
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return scheme + "://" + host + ":" + port
}

// asciiLower folds the ASCII letters of s to lower case, and nothing else.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// IsLoopback reports whether host names this machine: localhost,
// 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(asciiLower(host), ".")
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && ip.Unmap().IsLoopback()
}

// RedactURL returns u without user information, query or fragment, for
// messages: a token in a query string stays out of them.
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	r := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	s := r.String()
	if u.RawQuery != "" {
		s += "?…"
	}
	return s
}

// WithinResource reports whether u is within the resource whose
// identifier (RFC 8707 §2, RFC 9728 §1.2) is resource: the same origin
// (see [Origin]), and u's path the resource's path or below it. A
// resource whose path ends in "/" holds what starts with it; one without
// a final "/" holds itself and what lies under it after a "/" ("/mcp"
// holds "/mcp" and "/mcp/x", not "/mcp-admin"). Paths compare escaped and
// byte for byte; a path with a "." or ".." segment (spelt with %2e too)
// is within no resource, since the server, or fetch, resolves it
// elsewhere. A query or fragment of either plays no part.
func WithinResource(resource string, u *url.URL) bool {
	r, err := url.Parse(resource)
	if err != nil || u == nil || CheckURL(r) != nil || Origin(r) != Origin(u) {
		return false
	}
	up := u.EscapedPath()
	if up == "" {
		up = "/"
	}
	for _, seg := range strings.Split(up, "/") {
		if s, err := url.PathUnescape(seg); err != nil || s == "." || s == ".." {
			return false
		}
	}
	rp := r.EscapedPath()
	switch {
	case rp == "" || rp == "/":
		return true
	case strings.HasSuffix(rp, "/"):
		return strings.HasPrefix(up, rp)
	}
	return up == rp || strings.HasPrefix(up, rp+"/")
}

// PathBound reports a [Bounded] Auth one of whose resources is narrower
// than its origin (a path other than "/"): whether it applies depends on
// the path, and even a same-origin redirect may leave it.
func PathBound(a Auth) bool { return pathBound(boundsOf(a)) }

func pathBound(resources []string) bool {
	for _, res := range resources {
		r, err := url.Parse(res)
		if err != nil || (r.EscapedPath() != "" && r.EscapedPath() != "/") {
			return true
		}
	}
	return false
}
