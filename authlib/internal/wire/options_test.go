package wire

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

func msg(fields ...string) *Message {
	m := &Message{}
	for i := 0; i+1 < len(fields); i += 2 {
		m.Add(fields[i], fields[i+1])
	}
	return m
}

// Options decode natively: what each field sets, and every refusal named.
func TestOptionsApply(t *testing.T) {
	var o Options
	err := o.Apply(msg("auth", "digest", "auth.username", "u", "auth.password", "p", "timeout", "1500", "retry.max", "3",
		"retry.base", "10", "retry.nonIdempotent", "true", "allowInsecure", "true", "baseURL", "https://api.example.com/v1/",
		"origins", "https://a.example", "origins", "https://b.example", "redirect", "manual"))
	if err != nil {
		t.Fatal(err)
	}
	d, ok := o.Auth.(*authlib.Digest)
	if !ok || d.Username != "u" || o.Scheme != "digest" || o.Timeout != 1500*time.Millisecond || o.Retry.Max != 3 ||
		o.Retry.Base != 10*time.Millisecond || !o.Retry.NonIdempotent || !o.AllowInsecure || len(o.Origins) != 2 || o.MaxRedirects != -1 {
		t.Fatalf("%+v", o)
	}
	// A call's options go on top of a client's; what it does not say stays,
	// and an empty list replaces the client's.
	if err := o.Apply(msg("auth", "bearer", "auth.token", "t", "retry", "0", "origins", "")); err != nil {
		t.Fatal(err)
	}
	if b, ok := o.Auth.(authlib.Bearer); !ok || b.Token != "t" || o.Retry.Max != 0 || o.Timeout != 1500*time.Millisecond || len(o.Origins) != 0 {
		t.Fatalf("%+v", o)
	}
	for _, tc := range []struct {
		m    *Message
		kind error
		says string
	}{
		{msg("timeout", Bad), authlib.ErrInvalidRequest, "timeout is a number"},
		{msg("timeout", "-1"), authlib.ErrInvalidRequest, "timeout is a number"},
		{msg("retry", "101"), authlib.ErrInvalidRequest, "retry is a count"},
		{msg("retry.max", Bad), authlib.ErrInvalidRequest, "retry.max"},
		{msg("retry.cap", "-5"), authlib.ErrInvalidRequest, "retry.cap"},
		{msg("allowInsecure", Bad), authlib.ErrInvalidRequest, "allowInsecure"},
		{msg("baseURL", Bad), authlib.ErrInvalidURL, "baseURL"},
		{msg("baseURL", "hppts://x.example/"), authlib.ErrInvalidURL, "https"},
		{msg("origins", Bad), authlib.ErrInvalidURL, "origins"},
		{msg("redirect", "error"), authlib.ErrInvalidRequest, "redirect"},
		{msg("auth", Bad), authlib.ErrInvalidCredentials, "auth must be"},
		{msg("auth", "array", "auth.username", "u", "auth.password", Bad), authlib.ErrInvalidCredentials, "[user, password]"},
		{msg("auth", "bearer", "auth.token", Bad), authlib.ErrInvalidCredentials, "auth.token"},
		{msg("auth", "digest", "auth.username", "u"), authlib.ErrInvalidCredentials, "auth.password"},
		{msg("auth", "kerberos"), authlib.ErrInvalidCredentials, "auth.type must be"},
	} {
		var o Options
		err := o.Apply(tc.m)
		if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%q: %v", tc.m.Encode(), err)
		}
	}
}

func TestOAuthAndRequest(t *testing.T) {
	var o Options
	if err := o.Apply(msg("auth", "oauth2", "oauth.clientId", "app", "oauth.issuer", "https://as.example", "auth.token", `{"access_token":"a"}`, "auth.onToken", "1")); err != nil {
		t.Fatal(err)
	}
	if o.Scheme != "oauth2" || o.Auth != nil || o.OAuth.ClientID != "app" || o.OAuth.Token != `{"access_token":"a"}` || !o.OAuth.OnToken {
		t.Fatalf("%+v", o)
	}
	a := ReadOAuth(msg("oauth.param", "prompt=login", "oauth.param", "a%3Db=c%26d"))
	if strings.Join(a.Params, "|") != "prompt|login|a%3Db|c%26d" {
		t.Fatalf("%q", a.Params)
	}
	raw, method, h, err := Request(msg("url", "https://x.example/", "method", "patch", "header", "X-A:1:2", "header", "x-a:3"))
	if err != nil || raw != "https://x.example/" || method != "PATCH" || strings.Join(h.Values("X-A"), ",") != "1:2,3" {
		t.Fatalf("%q %q %v %v", raw, method, h, err)
	}
	if _, _, _, err := Request(msg("url", "x", "header", "Bad Name:v")); !errors.Is(err, authlib.ErrInvalidRequest) {
		t.Fatal(err)
	}
}

// Numbers as JS writes them: whole and fractional milliseconds; what is not
// a non-negative number within 2³² ms is refused.
func TestMillis(t *testing.T) {
	for v, want := range map[string]time.Duration{"0": 0, "1500": 1500 * time.Millisecond, "1.5": 1500 * time.Microsecond, "2.25": 2250 * time.Microsecond, "10.0001": 10*time.Millisecond + 100*time.Nanosecond} {
		if got, ok := millis(v); !ok || got != want {
			t.Errorf("%q: %v %v; want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"", "-1", "1e+21", "NaN", "Infinity", "1.2.3", "1.-2", "4294967296", Bad} {
		if _, ok := millis(v); ok {
			t.Errorf("%q read", v)
		}
	}
}
