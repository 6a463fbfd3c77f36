package authlib

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets of the parsers of untrusted input not covered in
// challenge_test.go. make test runs each briefly; make fuzz-long runs each
// for a million executions.

// FuzzParseURL: a URL it accepts can be requested, keeps no fragment, and
// prints (redacted) without its query; a URL with user information is
// refused without the error repeating it.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"https://api.github.com/user", "hppts://x/", "http://u:p@h/", "http://[::1]:8080/a?b#c",
		"HTTPS://Example.COM", "//no-scheme", "http:opaque", " https://trim.example/ ", "https://h:99999/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := ParseURL(raw)
		if err != nil {
			if hasUserinfo(raw) {
				at := strings.LastIndex(raw, "@")
				if info := raw[strings.Index(raw, "//")+2 : at]; len(info) > 6 && strings.Contains(err.Error(), info) {
					t.Fatalf("the error repeats the user information: %v", err)
				}
			}
			return
		}
		if CheckURL(u) != nil || u.User != nil || u.Fragment != "" {
			t.Fatalf("accepted %q as %#v", raw, u)
		}
		if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
			t.Fatalf("scheme %q accepted", u.Scheme)
		}
		if red := RedactURL(u); u.RawQuery != "" && (!strings.HasSuffix(red, "?…") || strings.Count(red, "?") != 1) {
			t.Fatalf("RedactURL kept the query: %s", red)
		}
		again, err := url.Parse(u.String())
		if err != nil || Origin(again) != Origin(u) {
			t.Fatalf("origin not stable: %q → %q (%v)", raw, u.String(), err)
		}
	})
}

// FuzzRedirectLocation: whatever a server puts in Location, the next hop is
// an http(s) URL without user information or fragment, or the redirect is
// refused as ErrRedirectBlocked.
func FuzzRedirectLocation(f *testing.F) {
	for _, s := range []string{"/next", "https://other.example/x#f", "ftp://h/", "javascript:alert(1)", "data:,x",
		"http://u:p@h/", "//h2/p", "?q=1", "%zz", "http://[::1", ""} {
		f.Add(s, 302)
	}
	f.Fuzz(func(t *testing.T, loc string, code int) {
		req, _ := NewRequest(context.Background(), "POST", "https://a.example/p?q", []byte("b"))
		req.Header.Set("Content-Type", "text/plain")
		next, err := redirectRequest(req, &Response{StatusCode: code}, loc)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Kind != ErrRedirectBlocked {
				t.Fatalf("%q: %v", loc, err)
			}
			return
		}
		if CheckURL(next.URL) != nil || next.URL.User != nil || next.URL.Fragment != "" {
			t.Fatalf("%q → %v", loc, next.URL)
		}
		if len(next.creds) != 0 {
			t.Fatalf("credential names carried over")
		}
	})
}

// FuzzParseCredentials: what it reads prints back to the same credentials.
func FuzzParseCredentials(f *testing.F) {
	for _, s := range []string{`Digest username="Mufasa", nc=00000001, qop=auth`, "Basic QWxhZGRpbg==", "Bearer a.b-c",
		`Digest username*=UTF-8''J%C3%A4s%C3%B8n, realm="r"`, "Basic a, Bearer b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		c, err := ParseCredentials(v)
		if err != nil {
			return
		}
		again, err := ParseCredentials(c.String())
		if err != nil || !reflect.DeepEqual(c, again) {
			t.Fatalf("round trip: %q → %q: %#v %v", v, c.String(), again, err)
		}
	})
}

// FuzzParseAuthInfo: no panic; what it reads has lower-case names, each
// once.
func FuzzParseAuthInfo(f *testing.F) {
	for _, s := range []string{`rspauth="abc", cnonce="x", nc=00000001, qop=auth, nextnonce="n"`, `a=1, a=2`, `a="x`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		ps, err := ParseAuthInfo(v)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, p := range ps {
			if p.Name != strings.ToLower(p.Name) || seen[p.Name] || !isToken(p.Name) {
				t.Fatalf("%q: %#v", v, ps)
			}
			seen[p.Name] = true
		}
	})
}

// FuzzExtValue: every UTF-8 string survives RFC 8187 encoding, and no
// input makes DecodeExtValue panic.
func FuzzExtValue(f *testing.F) {
	for _, s := range []string{"Jäsøn Doe", "a%b", "UTF-8''J%C3%A4", "iso-8859-1'en'%A3", "''", "%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		DecodeExtValue(s)
		if !utf8.ValidString(s) {
			return
		}
		enc := ext8187(s)
		if enc != "" && !isToken(enc) {
			t.Fatalf("ext8187(%q) = %q is not a header value", s, enc)
		}
		if got, ok := DecodeExtValue("UTF-8''" + enc); !ok || got != s {
			t.Fatalf("round trip %q → %q → %q %v", s, enc, got, ok)
		}
	})
}

// FuzzRetryAfter: never a panic, never a negative wait.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
		"Sun Nov  6 08:49:37 1994", "-1", "99999999999", "Wed, 31 Feb 2026 25:00:00 GMT"} {
		f.Add(s)
	}
	r := &Retry{Now: func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) }}
	f.Fuzz(func(t *testing.T, v string) {
		if d, ok := r.retryAfter(v); ok && d < 0 {
			t.Fatalf("%q: %v", v, d)
		}
	})
}

// FuzzDigestAlgorithm: a name it accepts is one of the algorithms, in any
// case.
func FuzzDigestAlgorithm(f *testing.F) {
	for _, s := range []string{"", "MD5", "sha-256-SESS", "SHA", "SHA-512", "SHA-1024", "md5-sess "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := ParseDigestAlgorithm(s)
		if !ok {
			return
		}
		if a.strength() == 0 || (s != "" && !strings.EqualFold(s, string(a))) || (s == "" && a != MD5) {
			t.Fatalf("%q → %q", s, a)
		}
		if DigestResponse(DigestParams{Algorithm: a, QOP: "auth", NC: 1}) == "" {
			t.Fatalf("%q has no hash", a)
		}
	})
}

// FuzzParseNetrc: any text parses or fails with a typed error naming a
// line, never a value; what it finds is found again for any case of the
// host.
func FuzzParseNetrc(f *testing.F) {
	for _, s := range []string{"machine h login u password p", "default login a password b", `machine h password "a \" b"`,
		"macdef x\n a\n\nmachine h login u", "# c\nmachine\n", "login x"} {
		f.Add(s, "h")
	}
	f.Fuzz(func(t *testing.T, text, host string) {
		nf, err := ParseNetrc(text)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalidCredentials) || !strings.HasPrefix(e.Detail, "line ") {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		l, p, ok := nf.Lookup(host)
		l2, p2, ok2 := nf.Lookup(asciiLower(host))
		if l != l2 || p != p2 || ok != ok2 {
			t.Fatalf("%q and its lower case differ", host)
		}
	})
}

// FuzzAWSCanonicalQuery: the canonical query is the same for a query and
// for the query as AWSV4 sends it (re-encoded), and holds only what AWS
// encoding allows.
func FuzzAWSCanonicalQuery(f *testing.F) {
	for _, s := range []string{"a=1&b=2", "b=2&a=1&a=0&bare&sp=a%20b&plus=a+b", "%E1%88%B4=x", "a-b=1&a=1", "%zz=%", "&&="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		c := awsCanonicalQuery(q)
		if c2 := awsCanonicalQuery(awsQuery(q)); c != c2 {
			t.Fatalf("%q: %q, sent as %q: %q", q, c, awsQuery(q), c2)
		}
		for i := 0; i < len(c); i++ {
			ch := c[i]
			if !(ch == '%' || ch == '=' || ch == '&' || ch == '-' || ch == '_' || ch == '.' || ch == '~' ||
				'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9') {
				t.Fatalf("%q: byte %q in %q", q, ch, c)
			}
		}
	})
}
