package authlib

import (
	"context"
	"errors"
	"testing"
)

func TestBasicRFC7617Vectors(t *testing.T) {
	for _, tc := range []struct{ user, pass, want string }{
		{"Aladdin", "open sesame", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="},
		{"test", "123£", "Basic dGVzdDoxMjPCow=="}, // UTF-8, not Latin-1
		{"", "", "Basic Og=="},
	} {
		got, err := Basic{tc.user, tc.pass}.HeaderValue()
		if err != nil || got != tc.want {
			t.Errorf("Basic(%q, %q) = %q, %v; want %q", tc.user, tc.pass, got, err, tc.want)
		}
		u, p, err := ParseBasic(got)
		if err != nil || u != tc.user || p != tc.pass {
			t.Errorf("ParseBasic(%q) = %q, %q, %v", got, u, p, err)
		}
	}
}

func TestBasicRejects(t *testing.T) {
	for _, tc := range []struct {
		name, user, pass, rule string
	}{
		{"colon in user", "a:b", "pw", "the user-id contains ':', which Basic cannot carry (RFC 7617 §2)"},
		{"newline in password", "a", "pw\n", "the password contains a control character at byte 2"},
		{"CR in user", "a\rb", "pw", "the user-id contains a control character at byte 1"},
		{"DEL in password", "a", "p\x7f", "the password contains a control character at byte 1"},
		{"bad UTF-8", "a", "p\xff", "the password is not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := NewRequest(context.Background(), "GET", "https://example.com/", nil)
			err := Basic{tc.user, tc.pass}.Apply(req)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalidCredentials) || e.Detail != tc.rule {
				t.Fatalf("err = %v; want invalid credentials with rule %q", err, tc.rule)
			}
			if req.Header.Get("Authorization") != "" {
				t.Fatal("Authorization set despite the error")
			}
		})
	}
}

func TestProxyBasicSetsProxyAuthorization(t *testing.T) {
	req, _ := NewRequest(context.Background(), "GET", "https://example.com/", nil)
	if err := (ProxyBasic{"Aladdin", "open sesame"}).Apply(req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Proxy-Authorization"); got != "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==" {
		t.Fatalf("Proxy-Authorization = %q", got)
	}
	if req.Header.Get("Authorization") != "" {
		t.Fatal("ProxyBasic set Authorization")
	}
}

func TestParseBasicErrors(t *testing.T) {
	for _, v := range []string{"", "Bearer abc", "Basic !!!", "Basic YWJj" /* "abc": no colon */} {
		if _, _, err := ParseBasic(v); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("ParseBasic(%q) err = %v", v, err)
		}
	}
	if u, p, err := ParseBasic("basic   QWxhZGRpbjpvcGVuIHNlc2FtZQ=="); err != nil || u != "Aladdin" || p != "open sesame" {
		t.Errorf("case-insensitive scheme: %q %q %v", u, p, err)
	}
}

func TestBearerAndHeaderAuth(t *testing.T) {
	req, _ := NewRequest(context.Background(), "GET", "https://api.github.com/user", nil)
	if err := (Bearer{"ghp_16C7e42F292c6912E7710c838347Ae178B4a"}).Apply(req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a" {
		t.Fatalf("Authorization = %q", got)
	}
	for _, tc := range []struct{ tok, rule string }{
		{"", "the token is empty"},
		{"abc\n", "the token contains white space or a line break at byte 3 (trim it)"},
		{"a b", "the token contains white space or a line break at byte 1 (trim it)"},
		{"ab==c", "the token has characters after its trailing '=' padding (byte 4)"},
		{"=abc", "the token starts with '='"},
		{"abc\"", "the token contains a character outside RFC 6750's b64token set at byte 3"},
	} {
		_, err := Bearer{tc.tok}.HeaderValue()
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrInvalidCredentials || e.Detail != tc.rule {
			t.Errorf("Bearer(%q): %v; want rule %q", tc.tok, err, tc.rule)
		}
	}
	if _, err := (Bearer{"abc=="}).HeaderValue(); err != nil {
		t.Errorf("padding: %v", err)
	}

	if err := (HeaderAuth{"X-TokenAuth", "12345abcde-token"}).Apply(req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("x-tokenauth"); got != "12345abcde-token" {
		t.Fatalf("X-TokenAuth = %q", got)
	}
	for _, h := range []HeaderAuth{
		{"X Token", "v"}, {"", "v"}, {"Host", "v"}, {"Content-Length", "1"},
		{"X-Token", ""}, {"X-Token", "v\r\nInjected: 1"}, {"X-Token", " v"}, {"X-Token", "vé"},
	} {
		if err := h.Apply(req); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("HeaderAuth{%q}: err = %v", h.Name, err)
		}
	}
}

func TestCanonicalHeaderKey(t *testing.T) {
	for in, want := range map[string]string{
		"x-tokenauth": "X-Tokenauth", "X-TokenAuth": "X-Tokenauth", "www-authenticate": "Www-Authenticate",
		"Authorization": "Authorization", "bad key": "bad key", "": "",
	} {
		if got := CanonicalHeaderKey(in); got != want {
			t.Errorf("CanonicalHeaderKey(%q) = %q; want %q", in, got, want)
		}
	}
}
