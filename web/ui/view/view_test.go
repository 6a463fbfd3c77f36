package view

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
)

func TestPresetsAndTargets(t *testing.T) {
	f := &Form{Scheme: Digest, Algorithm: "SHA-512-256", QOP: "auth-int", Mock: true, MockBase: "http://127.0.0.1:8080/api/"}
	f.Right()
	if got := f.Target(); got != "http://127.0.0.1:8080/api/digest-auth/auth-int/alice/open-sesame/SHA-512-256" {
		t.Errorf("digest target %s", got)
	}
	if f.Username != MockUser || f.Password != MockPassword {
		t.Errorf("right preset: %q %q", f.Username, f.Password)
	}
	f.Wrong()
	if f.Password != WrongSecret {
		t.Errorf("wrong preset password %q", f.Password)
	}
	f.Scheme = Token
	f.Wrong()
	if f.Token != WrongSecret || !strings.HasSuffix(f.Target(), "/token-auth/"+MockToken) {
		t.Errorf("token wrong preset %q %s", f.Token, f.Target())
	}
	if _, ok := f.Auth().(authlib.HeaderAuth); !ok {
		t.Errorf("token auth is %T", f.Auth())
	}
	f.Mock, f.URL = false, "  https://api.example.com/user "
	if f.Target() != "https://api.example.com/user" {
		t.Errorf("custom target %q", f.Target())
	}
}

func TestMaskerHidesEveryForm(t *testing.T) {
	f := &Form{Scheme: Basic, Mock: true, MockBase: "http://h/api"}
	f.Right()
	m := NewMasker(f.Secrets(), false)
	basic, _ := authlib.Basic{Username: MockUser, Password: MockPassword}.HeaderValue()
	for _, s := range []string{
		m.Text(f.Target()), m.Text(`{"Authorization": "` + basic + `"}`),
		m.Header("Authorization", basic, false), m.Header("X-Custom", "v", true),
	} {
		for _, secret := range []string{MockPassword, strings.TrimPrefix(basic, "Basic ")} {
			if strings.Contains(s, secret) {
				t.Errorf("masked text %q shows %q", s, secret)
			}
		}
	}
	if got := m.Header("Authorization", basic, false); got != "Basic "+Dots {
		t.Errorf("header masked as %q", got)
	}
	// A short password is masked as a path segment, not everywhere.
	short := NewMasker([]string{"pw"}, false)
	if got := short.Text("http://h/basic-auth/u/pw?upward=1"); got != "http://h/basic-auth/u/"+Dots+"?upward=1" {
		t.Errorf("short secret: %s", got)
	}
	if NewMasker(f.Secrets(), true).Text(f.Target()) != f.Target() {
		t.Error("reveal still masks")
	}
}

func TestCodeFollowsTheForm(t *testing.T) {
	f := &Form{Scheme: Token, Mock: true, MockBase: "http://h/api"}
	f.Right()
	py, js, goCode := Code(f, NewMasker(f.Secrets(), false))
	for _, want := range []string{"class TokenAuth(AuthBase):", `r.headers["X-TokenAuth"] = self.token`, `auth=TokenAuth("` + Dots + `")`} {
		if !strings.Contains(py, want) {
			t.Errorf("python lacks %q:\n%s", want, py)
		}
	}
	if !strings.Contains(js, "request.headers.set('X-TokenAuth', \""+Dots+"\")") {
		t.Errorf("js:\n%s", js)
	}
	if !strings.Contains(goCode, `authlib.HeaderAuth{Name: "X-TokenAuth", Value: "`+Dots+`"}`) {
		t.Errorf("go:\n%s", goCode)
	}
	for _, c := range []string{py, js, goCode} {
		if strings.Contains(c, MockToken) {
			t.Errorf("code shows the token:\n%s", c)
		}
	}
	// The JS keeps a client when the page does; the Go has its imports and
	// no Auth line without a scheme.
	f.Keep = true
	_, js, _ = Code(f, NewMasker(f.Secrets(), false))
	if !strings.Contains(js, "authlib.client({ auth: ") || !strings.Contains(js, "client.fetch(") {
		t.Errorf("a kept client, js:\n%s", js)
	}
	if !strings.Contains(goCode, `"github.com/authlib-go/authlib/authlib"`) {
		t.Errorf("go has no imports:\n%s", goCode)
	}
	f.Scheme = None
	if _, _, g := Code(f, NewMasker(f.Secrets(), false)); strings.Contains(g, "Auth:") {
		t.Errorf("no auth, go:\n%s", g)
	}
	f.Scheme, f.Algorithm = Digest, "SHA-512-256"
	py, _, _ = Code(f, NewMasker(f.Secrets(), true))
	if !strings.Contains(py, "HTTPDigestAuth(\"alice\", \"open-sesame\")") || !strings.Contains(py, "requests speaks neither") {
		t.Errorf("digest python:\n%s", py)
	}
}

func TestWords(t *testing.T) {
	if Status(401) != "401 Unauthorized" || Status(599) != "599" {
		t.Error(Status(401), Status(599))
	}
	got := Challenges([]string{`Digest realm="authtest", qop="auth", algorithm=SHA-256, nonce="n", opaque="o"`, `Basic realm="x"`})
	if got != `Digest (realm "authtest", qop auth, algorithm SHA-256); Basic (realm "x")` {
		t.Errorf("Challenges = %s", got)
	}
	_, err := authlib.ParseURL("hppts://api.github.com/user")
	title, advice := Problem(err)
	if title != "That URL cannot be requested" || !strings.Contains(advice, `did you mean "https://"?`) {
		t.Errorf("%s / %s", title, advice)
	}
	title, advice = Problem(&authlib.Error{Kind: authlib.ErrNetwork, Err: errors.New("Failed to fetch")})
	if title != "The request did not get through" || !strings.Contains(advice, "CORS") {
		t.Errorf("%s / %s", title, advice)
	}
}

// The page's OAuth clients are the mock authorization server's, and the
// client secret is masked as sent (form-urlencoded into Basic, RFC 6749).
func TestOAuthForm(t *testing.T) {
	if MockClientID != authtest.OAuthClientID || MockClientSecret != authtest.OAuthClientSecret || MockPublicClientID != authtest.OAuthPublicClientID {
		t.Fatal("the page's OAuth clients are not authtest's")
	}
	f := Form{Scheme: OAuth, Flow: FlowClient, Mock: true, MockBase: "http://h/api"}
	f.Right()
	if f.Username != MockClientID || f.Password != MockClientSecret || f.Target() != "http://h/api/oauth/api/user" {
		t.Fatalf("%+v %s", f, f.Target())
	}
	c := f.OAuthConfig(nil, "")
	if c.TokenURL != "http://h/api/oauth/token" || c.ClientSecret != MockClientSecret {
		t.Fatalf("%+v", c)
	}
	m := NewMasker(f.Secrets(), false)
	basic, _ := authlib.Basic{Username: url.QueryEscape(MockClientID), Password: url.QueryEscape(MockClientSecret)}.HeaderValue()
	if got := m.Header("Authorization", basic, true); strings.Contains(got, strings.TrimPrefix(basic, "Basic ")) {
		t.Fatalf("the client secret's Basic shows: %s", got)
	}
	f.Flow = FlowPKCE
	f.Right()
	if f.Username != MockPublicClientID || f.Password != "" {
		t.Fatalf("public flow: %+v", f)
	}
	py, js, goCode := Code(&f, m)
	for _, s := range []string{py, js, goCode} {
		if !strings.Contains(s, MockPublicClientID) || strings.Contains(s, MockClientSecret) {
			t.Errorf("code: %s", s)
		}
	}
}
