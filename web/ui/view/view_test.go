package view

import (
	"errors"
	"net/url"
	"os/exec"
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
	for _, want := range []string{"class TokenAuth(AuthBase):", `r.headers["X-TokenAuth"] = self.token`, `token = "` + Dots + `"`, `auth=TokenAuth(token)`} {
		if !strings.Contains(py, want) {
			t.Errorf("python lacks %q:\n%s", want, py)
		}
	}
	if !strings.Contains(js, "request.headers.set('X-TokenAuth', token)") {
		t.Errorf("js:\n%s", js)
	}
	if !strings.Contains(goCode, `authlib.HeaderAuth{Name: "X-TokenAuth", Value: token}`) {
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
	if !strings.Contains(py, `password = "open-sesame"`) || !strings.Contains(py, `HTTPDigestAuth("alice", password)`) || !strings.Contains(py, "requests speaks neither") {
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
	if title != "That URL cannot be requested" || !strings.HasSuffix(advice, `did you mean "https://"?`) {
		t.Errorf("%s / %s (a question ends with its question mark, not ?.)", title, advice)
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

func TestDigestCredentialsKeepAllButTheResponse(t *testing.T) {
	f := &Form{Scheme: Digest, Mock: true, MockBase: "http://h/api"}
	f.Right()
	m := NewMasker(f.Secrets(), false)
	sent := `Digest username="alice", realm="authtest", nonce="abc", uri="/api/digest-auth/auth/alice/open-sesame/MD5", ` +
		`algorithm=MD5, response="0123456789abcdef0123456789abcdef", qop=auth, nc=00000002, cnonce="c1"`
	got := m.Header("Authorization", sent, true)
	for _, keep := range []string{"nc=00000002", `cnonce="c1"`, "qop=auth", "algorithm=MD5", `nonce="abc"`, `response="` + Dots + `"`} {
		if !strings.Contains(got, keep) {
			t.Errorf("masked Digest credentials %q lack %q", got, keep)
		}
	}
	for _, gone := range []string{"0123456789abcdef", MockPassword} {
		if strings.Contains(got, gone) {
			t.Errorf("masked Digest credentials %q show %q", got, gone)
		}
	}
	if got := NewMasker(nil, true).Header("Authorization", sent, true); got != sent {
		t.Errorf("revealed: %q", got)
	}
	// Not Digest: the whole credential goes.
	if got := m.Header("Authorization", "Bearer response=abc", true); got != "Bearer "+Dots {
		t.Errorf("bearer masked as %q", got)
	}
}

func TestSendLineShowsTheNonceReused(t *testing.T) {
	m := NewMasker(nil, false)
	first := Send{N: 1, NewClient: true, Hops: []Hop{
		{Method: "GET", Status: 401, Challenge: []string{`Digest realm="r", nonce="3ZkHPCv4ocljag", qop="auth"`}},
		{Method: "GET", Status: 200, Authorization: `Digest username="u", nonce="3ZkHPCv4ocljag", nc=00000001, response="x"`},
	}}
	want := `Send 1 (new client): GET without credentials → 401 Unauthorized, a challenge (nonce 3ZkHPCv4…); then GET with Digest nc=00000001 (nonce 3ZkHPCv4…) → 200 OK`
	if got := first.Line(m); got != want {
		t.Errorf("first send:\n got %s\nwant %s", got, want)
	}
	second := Send{N: 2, Hops: []Hop{{Method: "GET", Status: 200, Authorization: `Digest username="u", nonce="3ZkHPCv4ocljag", nc=00000002, response="y"`}}}
	if got := second.Line(m); got != `Send 2 (same client): GET with Digest nc=00000002 (nonce 3ZkHPCv4…) → 200 OK` {
		t.Errorf("second send: %s", got)
	}
	if got := (Send{N: 3, Hops: []Hop{{Method: "GET"}}}).Line(m); !strings.HasSuffix(got, "GET without credentials → failed") {
		t.Errorf("failed send: %s", got)
	}
}

// The mock's URL holds the password: the code names it once and builds the
// URL from it, so that a copy never sends masked dots in its path.
func TestCodeNamesTheSecretInTheURLOnce(t *testing.T) {
	f := &Form{Scheme: Digest, Algorithm: "SHA-256", Mock: true, MockBase: "http://h/api", Keep: true}
	f.Right()
	py, js, goCode := Code(f, NewMasker(f.Secrets(), false))
	for _, c := range []struct{ code, def, url string }{
		{py, `password = "` + Dots + `"`, `requests.get(f"http://h/api/digest-auth/auth/alice/{password}/SHA-256", auth=HTTPDigestAuth("alice", password))`},
		{js, `const password = "` + Dots + `";`, "client.fetch(`http://h/api/digest-auth/auth/alice/${password}/SHA-256`)"},
		{goCode, `password := "` + Dots + `"`, `c.Get(context.Background(), "http://h/api/digest-auth/auth/alice/" + password + "/SHA-256")`},
	} {
		if !strings.Contains(c.code, c.def) || !strings.Contains(c.code, c.url) || strings.Count(c.code, Dots) != 1 {
			t.Errorf("want %s and %s, and the one masked value:\n%s", c.def, c.url, c.code)
		}
	}
	if !strings.Contains(goCode, "Password: password}") {
		t.Errorf("go does not use the variable:\n%s", goCode)
	}
	f.Scheme = Bearer
	f.Right()
	_, _, goCode = Code(f, NewMasker(f.Secrets(), true))
	if !strings.Contains(goCode, `token := "`+MockBearer+`"`) || !strings.Contains(goCode, `"http://h/api/bearer/" + token)`) {
		t.Errorf("bearer, revealed:\n%s", goCode)
	}
}

// The curl command the page shows runs: revealed, in bash, against the mock
// API, it gets what the page got.
func TestCurlCommandsRun(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is needed for this test: install it (apt-get install -y curl)")
	}
	srv := authtest.NewServer()
	defer srv.Close()
	for _, tc := range []struct {
		scheme    Scheme
		algorithm string
		flow      string
		want      string
		method    string
	}{
		{Basic, "", "", "200", ""}, {Digest, "MD5", "", "200", ""}, {Digest, "SHA-256", "", "200", ""}, {Bearer, "", "", "200", ""},
		{Token, "", "", "200", ""}, {None, "", "", "401", ""}, {OAuth, "", FlowClient, "200", ""},
		{Basic, "", "", "200", "POST"}, {Digest, "SHA-256", "", "200", "PUT"}, {Bearer, "", "", "200", "DELETE"},
	} {
		f := &Form{Scheme: tc.scheme, Algorithm: tc.algorithm, Flow: tc.flow, Mock: true, MockBase: srv.URL, Method: tc.method, Body: `{"it's": "a body"}`}
		f.Right()
		cmd := Curl(f, NewMasker(f.Secrets(), true))
		out, err := exec.Command("bash", "-c", "set -e -o pipefail\n"+cmd).CombinedOutput()
		if tc.method != "" && tc.method != "DELETE" && !strings.Contains(cmd, `--data-binary '{"it'\''s": "a body"}'`) {
			t.Errorf("%s %s has no body:\n%s", tc.scheme, tc.method, cmd)
		}
		if err != nil || !strings.Contains(string(out), "HTTP/1.1 "+tc.want) {
			t.Errorf("%s %s: %v\n%s\n%s", tc.scheme, tc.algorithm, err, cmd, out)
		}
		masked := Curl(f, NewMasker(f.Secrets(), false))
		for _, s := range f.Secrets() {
			if strings.Contains(masked, s) {
				t.Errorf("masked curl shows %q:\n%s", s, masked)
			}
		}
	}
}

func TestRawShowsTheWire(t *testing.T) {
	m := NewMasker([]string{"open-sesame"}, false)
	got := Raw("GET", "http://h:1/api/basic-auth/alice/open-sesame?x=1#frag",
		map[string][]string{"Authorization": {"Basic YWxpY2U6b3Blbi1zZXNhbWU="}}, map[string]bool{"Authorization": true}, "",
		401, map[string][]string{"Www-Authenticate": {`Basic realm="r"`}}, `{"ok":false}`, m)
	for _, want := range []string{"GET /api/basic-auth/alice/" + Dots + "?x=1 HTTP/1.1\nHost: h:1\n", "Authorization: Basic " + Dots + "\n",
		"scripts cannot see: ", "\n\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"r\"\n\n{\"ok\":false}"} {
		if !strings.Contains(got, want) {
			t.Errorf("raw lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "YWxpY2U6") || strings.Contains(got, "open-sesame") || strings.Contains(got, "frag") {
		t.Errorf("raw shows a secret or the fragment:\n%s", got)
	}
}

// Another method and a body go into every sample; GET sends no body.
func TestCodeSendsTheMethodAndBody(t *testing.T) {
	f := &Form{Scheme: Digest, QOP: "auth-int", Mock: true, MockBase: "http://h/api", Keep: true, Method: "post", Body: "name=x"}
	f.Right()
	py, js, goCode := Code(f, NewMasker(f.Secrets(), false))
	for _, c := range []struct{ code, want string }{
		{py, `requests.post(f"http://h/api/digest-auth/auth-int/alice/{password}/MD5", data="name=x", auth=HTTPDigestAuth("alice", password))`},
		{js, "client.fetch(`http://h/api/digest-auth/auth-int/alice/${password}/MD5`, { method: 'POST', body: \"name=x\" })"},
		{goCode, `req, err := authlib.NewRequest(context.Background(), "POST", "http://h/api/digest-auth/auth-int/alice/" + password + "/MD5", []byte("name=x"))`},
		{goCode, "res, err := c.Do(req)"},
	} {
		if !strings.Contains(c.code, c.want) {
			t.Errorf("want %s in\n%s", c.want, c.code)
		}
	}
	f.Keep = false
	if _, js, _ = Code(f, NewMasker(f.Secrets(), false)); !strings.Contains(js, "{ method: 'POST', body: \"name=x\", auth: { type: 'digest'") {
		t.Errorf("one-shot js:\n%s", js)
	}
	f.Method = "GET"
	if f.RequestBody() != "" {
		t.Error("a GET has a body")
	}
	if py, _, _ = Code(f, NewMasker(f.Secrets(), false)); strings.Contains(py, "data=") || !strings.Contains(py, "requests.get(") {
		t.Errorf("GET python:\n%s", py)
	}
}

// The demo's AWS account is authtest's.
func TestMockAWSKeyIsAuthtests(t *testing.T) {
	if MockAWSKeyID != authtest.AWSAccessKeyID || MockAWSSecret != authtest.AWSSecretAccessKey || MockAWSRegion != authtest.AWSRegion {
		t.Error("the demo's AWS key is not the one authtest accepts")
	}
}
