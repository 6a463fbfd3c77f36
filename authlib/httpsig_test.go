package authlib

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// rfc9421Request is RFC 9421 Appendix B.2's test request.
func rfc9421Request(t *testing.T) *Request {
	t.Helper()
	req, err := NewRequest(context.Background(), "POST", "http://example.com/foo?param=Value&Pet=dog", []byte(`{"hello": "world"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:")
	req.Header.Set("Content-Length", "18")
	return req
}

var rfc9421Created = func() time.Time { return time.Unix(1618884473, 0) }

// RFC 9421 B.2.5 (hmac-sha256), exactly (B.2.6 is in
// httpsig_native_test.go).
func TestHTTPSigRFC9421(t *testing.T) {
	secret, err := os.ReadFile("testdata/rfc9421/test-shared-secret")
	if err != nil {
		t.Fatal(err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(secret)))
	if err != nil {
		t.Fatal(err)
	}
	req := rfc9421Request(t)
	s := HTTPSig{KeyID: "test-shared-secret", Key: HMACSHA256(key), Label: "sig-b25", Components: []string{"date", "@authority", "content-type"}, Now: rfc9421Created}
	sig, err := s.Sign(req)
	if err != nil {
		t.Fatal(err)
	}
	wantBase := "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@authority\": example.com\n\"content-type\": application/json\n" +
		`"@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"`
	if sig.Base != wantBase {
		t.Errorf("B.2.5 base:\n%s\nwant\n%s", sig.Base, wantBase)
	}
	if got, want := req.Header.Get("Signature-Input"), `sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"`; got != want {
		t.Errorf("B.2.5 Signature-Input %s", got)
	}
	if got := req.Header.Get("Signature"); got != "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:" {
		t.Errorf("B.2.5 Signature %s", got)
	}

}

// RFC 9530's example: the Content-Digest of {"hello": "world"}.
func TestContentDigest(t *testing.T) {
	for alg, want := range map[string]string{"sha-256": "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
		"sha-512": "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"} {
		if got, err := contentDigest(alg, []byte(`{"hello": "world"}`)); got != want || err != nil {
			t.Errorf("%s: %s %v", alg, got, err)
		}
	}
	// By default a body is covered through a Content-Digest authlib adds.
	req := rfc9421Request(t)
	req.Header.Del("Content-Digest")
	s := HTTPSig{KeyID: "k", Key: HMACSHA256("secret"), Now: rfc9421Created, Expires: time.Minute, Nonce: func() string { return "n1" }, Tag: "web-bot-auth", Alg: true}
	sig, err := s.Sign(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `sig1=("@method" "@target-uri" "@authority" "content-digest");created=1618884473;expires=1618884533;nonce="n1";keyid="k";alg="hmac-sha256";tag="web-bot-auth"`
	if sig.Input != want || req.Header.Get("Content-Digest") != "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:" ||
		!strings.HasPrefix(sig.Base, "\"@method\": POST\n\"@target-uri\": http://example.com/foo?param=Value&Pet=dog\n\"@authority\": example.com\n\"content-digest\": sha-256=:") {
		t.Errorf("defaults: %s\n%s", sig.Input, sig.Base)
	}
	// What cannot be signed is refused, naming it.
	for _, tc := range []struct {
		s    HTTPSig
		want string
	}{
		{HTTPSig{KeyID: "k", Key: HMACSHA256("s"), Components: []string{"x-missing"}}, "no x-missing header"},
		{HTTPSig{KeyID: "k", Key: HMACSHA256("s"), Components: []string{"@unknown"}}, "not one authlib derives"},
		{HTTPSig{KeyID: "k", Key: HMACSHA256("s"), Components: []string{"Date"}}, "lower-case header name"},
		{HTTPSig{KeyID: "k\"", Key: HMACSHA256("s")}, "key id"},
		{HTTPSig{KeyID: "k", Key: HMACSHA256("s"), Label: "Sig"}, "label"},
		{HTTPSig{KeyID: "k"}, "no key"},
		{HTTPSig{KeyID: "k", Key: HMACSHA256(nil)}, "could not sign"},
	} {
		_, err := tc.s.Sign(rfc9421Request(t))
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v", tc.s.Components, err)
		}
	}
}

// Signed rebuilds the base Sign signed, from the request as sent.
func TestHTTPSigSigned(t *testing.T) {
	req := rfc9421Request(t)
	s := HTTPSig{KeyID: "k", Key: HMACSHA256("secret"), Nonce: func() string { return `n,"(` }, Tag: "t"}
	sig, err := s.Sign(req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.Signed(req)
	if err != nil || again.Base != sig.Base || again.Input != sig.Input || again.Header != sig.Header {
		t.Errorf("Signed:\n%+v\nSign:\n%+v\n%v", again, sig, err)
	}
	if _, err := (HTTPSig{Label: "other"}).Signed(req); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("another label: %v", err)
	}
}

// RFC 9421 B.2.2's signature base, exact: @query-param among the covered
// components, signed with the RFC's parameters.
func TestHTTPSigQueryParamB22(t *testing.T) {
	req := rfc9421Request(t)
	s := HTTPSig{KeyID: "test-key-rsa-pss", Key: HMACSHA256("k"), Label: "sig-b22", Tag: "header-example",
		Components: []string{"@authority", "content-digest", `@query-param;name="Pet"`},
		Now:        func() time.Time { return time.Unix(1618884473, 0) }}
	sig, err := s.Sign(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `"@authority": example.com
"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:
"@query-param";name="Pet": dog
"@signature-params": ("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"`
	if sig.Base != want {
		t.Errorf("base:\n%s\nwant:\n%s", sig.Base, want)
	}
	// Signed rebuilds the same base from what was sent.
	again, err := s.Signed(req)
	if err != nil || again.Base != want {
		t.Errorf("Signed: %v\n%s", err, again.Base)
	}
}

// RFC 9421 §2.2.8's examples: each parameter's value as the query is
// parsed as a form and each value encoded again (a space as %20), a name
// given as the signature base holds it; a parameter missing or repeated
// is an error before anything is sent.
func TestHTTPSigQueryParamValues(t *testing.T) {
	for _, tc := range []struct{ url, name, want string }{
		{"https://example.com/path?param=value&foo=bar&baz=batman&qux=", "baz", "batman"},
		{"https://example.com/path?param=value&foo=bar&baz=batman&qux=", "qux", ""},
		{"https://example.com/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something", "var", "this%20is%20a%20big%0Amultiline%20value"},
		{"https://example.com/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something", "bar", "with%20plus%20whitespace"},
		{"https://example.com/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something", "fa%C3%A7ade%22%3A%20", "something"},
	} {
		req, err := NewRequest(context.Background(), "GET", tc.url, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := componentValue(req, `@query-param;name="`+tc.name+`"`)
		if err != nil || got != tc.want {
			t.Errorf("%s in %s: %q, %v; want %q", tc.name, tc.url, got, err, tc.want)
		}
	}
	req, _ := NewRequest(context.Background(), "GET", "https://example.com/?a=1&a=2&b=3", nil)
	for _, c := range []string{`@query-param;name="a"`, `@query-param;name="c"`, `@query-param`, `@query-param;name="fa çade"`, `@query-param;name="x+y"`} {
		s := HTTPSig{KeyID: "k", Key: HMACSHA256("k"), Components: []string{c}}
		if _, err := s.Sign(req.Clone()); !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("%s: %v, want ErrInvalidRequest", c, err)
		}
	}
}
