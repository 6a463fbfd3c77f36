package authlib

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct{ raw, detail string }{
		{"hppts://api.github.com/user", `unsupported scheme "hppts": authlib sends http and https; did you mean "https://"?`},
		{"htps://x.example/", `unsupported scheme "htps": authlib sends http and https; did you mean "https://"?`},
		{"htp://x.example/", `unsupported scheme "htp": authlib sends http and https; did you mean "http://"?`},
		{"ftp://x.example/", `unsupported scheme "ftp": authlib sends http and https`},
		{"api.github.com/user", "the URL has no scheme; start it with http:// or https://"},
		{"127.0.0.1:8080/x", "the URL has no scheme; start it with http:// or https://"},
		{"localhost:8080", "the URL has no scheme; start it with http:// or https://"},
		{"example.com:443/a?b", "the URL has no scheme; start it with http:// or https://"},
		{"https:///path", "the URL has no host; write it as https://host/path"},
		{"https:example.com", "the URL has no host; write it as https://host/path"},
		{"", "the URL is empty"},
		{"https://user:hunter2@example.com/", "the URL contains user information (user:password@); remove it and pass the credentials as auth"},
		{"https://exa mple.com/", `the URL cannot be parsed: invalid character " " in host name`},
	} {
		_, err := ParseURL(tc.raw)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrInvalidURL || e.Detail != tc.detail {
			t.Errorf("ParseURL(%q) = %v\nwant detail %q", tc.raw, err, tc.detail)
		}
	}
	u, err := ParseURL("HTTPS://Example.COM/a%20b?q=1#frag")
	if err != nil || u.Fragment != "" || Origin(u) != "https://example.com:443" {
		t.Fatalf("%v %v %s", u, err, Origin(u))
	}
}

func TestOriginAndLoopback(t *testing.T) {
	for raw, want := range map[string]string{
		"http://a.example":        "http://a.example:80",
		"http://a.example:80/x":   "http://a.example:80",
		"https://A.example:8443/": "https://a.example:8443",
		"http://[::1]:9/":         "http://[::1]:9",
	} {
		u, _ := url.Parse(raw)
		if got := Origin(u); got != want {
			t.Errorf("Origin(%s) = %s; want %s", raw, got, want)
		}
	}
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST.": true, "127.0.0.1": true, "127.9.8.7": true, "::1": true, "[::1]": true,
		"::ffff:127.0.0.1": true, "10.0.0.1": false, "example.com": false, "localhost.example.com": false, "128.0.0.1": false,
		"0:0:0:0:0:0:0:1": true, "0000::0001": true, "::0:1": true, "[0:0::1]": true, "::2": false, "1::1": false, "::": false,
		"::1:0": false, "127.0.0": false, "127.0.0.256": false, "127.1.2.3.4": false, "::ffff:10.0.0.1": false,
		"1:2:3:4:5:6:7:8:9": false, "::1::": false, "12345::1": false, "127.0.0.1%eth0": false,
	} {
		if IsLoopback(host) != want {
			t.Errorf("IsLoopback(%q) = %v", host, !want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	u, _ := url.Parse("https://user:pw@example.com/p?access_token=SECRET#f")
	if got := RedactURL(u); got != "https://example.com/p?…" || strings.Contains(got, "SECRET") {
		t.Errorf("RedactURL = %s", got)
	}
}

func TestCheckHeaderValue(t *testing.T) {
	for v, want := range map[string]string{
		"ok value":  "",
		"a\tb":      "",
		"a\r\nb: c": "contains a line break at byte 1",
		"tok\n":     "contains a line break at byte 3",
		" tok":      "starts or ends with white space",
		"tok\t":     "starts or ends with white space",
		"a\x00":     "contains a control character at byte 1",
		"café":      "contains a non-ASCII byte at byte 3 (encode the value, for example as base64)",
	} {
		if got := CheckHeaderValue(v); got != want {
			t.Errorf("CheckHeaderValue(%q) = %q; want %q", v, got, want)
		}
	}
}

// WithinResource: the same origin, and the path at or under the
// resource's on a segment boundary; dot segments are within nothing.
func TestWithinResource(t *testing.T) {
	for _, c := range []struct {
		resource, u string
		want        bool
	}{
		{"https://api.example/mcp", "https://api.example/mcp", true},
		{"https://api.example/mcp", "https://api.example/mcp/tools?x=1", true},
		{"https://api.example/mcp", "https://api.example/mcp-admin", false},
		{"https://api.example/mcp", "https://api.example/", false},
		{"https://api.example/api/", "https://api.example/api/x", true},
		{"https://api.example/api/", "https://api.example/api", false},
		{"https://api.example/api/", "https://api.example/api/../private", false},
		{"https://api.example/api/", "https://api.example/api/%2e%2E/private", false},
		{"https://api.example/api/", "https://api.example/api/./x", false},
		{"https://api.example", "https://api.example/anything", true},
		{"https://api.example/", "https://API.example:443/x", true},
		{"https://api.example/", "http://api.example/x", false},
		{"https://api.example/", "https://api.example:8443/x", false},
		{"https://api.example/", "https://evil.example/x", false},
		{"https://api.example/a%2Fb", "https://api.example/a/b", false},
		{"not a url", "https://api.example/", false},
	} {
		u, err := url.Parse(c.u)
		if err != nil {
			t.Fatal(err)
		}
		if got := WithinResource(c.resource, u); got != c.want {
			t.Errorf("WithinResource(%q, %q) = %v", c.resource, c.u, got)
		}
	}
}

// A request's origin follows its URL when the URL's scheme or host is
// changed in place (it is kept between calls).
func TestRequestOriginFollowsItsURL(t *testing.T) {
	req, err := NewRequest(context.Background(), "GET", "https://a.example/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	if o := req.Origin(); o != "https://a.example:443" {
		t.Fatal(o)
	}
	req.URL.Host = "b.example:8443"
	if o := req.Origin(); o != "https://b.example:8443" {
		t.Fatal(o)
	}
	req.URL.Scheme = "http"
	if o := req.Origin(); o != "http://b.example:8443" {
		t.Fatal(o)
	}
	req.URL, _ = url.Parse("http://c.example/")
	if o := req.Origin(); o != "http://c.example:80" {
		t.Fatal(o)
	}
}
