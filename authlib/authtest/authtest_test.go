package authtest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// The server must agree with an independent client, not only with ours.
func TestCurlAuthenticates(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Fatal("curl is needed for this test: install it (apt-get install -y curl)")
	}
	srv := authtest.NewServer()
	defer srv.Close()
	for _, tc := range []struct {
		args []string
		path string
		want string
	}{
		{[]string{"-u", "user:pass"}, "/basic-auth/user/pass", "200"},
		{[]string{"-u", "user:wrong"}, "/basic-auth/user/pass", "401"},
		{[]string{"--digest", "-u", "user:pass"}, "/digest-auth/auth/user/pass/MD5", "200"},
		{[]string{"--digest", "-u", "user:pass"}, "/digest-auth/auth/user/pass", "200"},
		{[]string{"--digest", "-u", "user:pass"}, "/digest-auth/auth/user/pass/SHA-256", "200"},
		{[]string{"--digest", "-u", "user:wrong"}, "/digest-auth/auth/user/pass/SHA-256", "401"},
		{[]string{"-H", "X-TokenAuth: 12345abcde-token"}, "/token-auth/12345abcde-token", "200"},
		{[]string{"-H", "Authorization: Bearer ghp_x"}, "/bearer", "200"},
	} {
		args := append([]string{"-s", "-o", "/dev/null", "-w", "%{http_code}"}, tc.args...)
		out, err := exec.Command(curl, append(args, srv.URL+tc.path)...).Output()
		if err != nil || strings.TrimSpace(string(out)) != tc.want {
			t.Errorf("curl %v %s: %q %v; want %s", tc.args, tc.path, out, err, tc.want)
		}
	}
}

func digestRequest(t *testing.T, url, authz string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// A nonce-count may not be replayed; a valid answer with a nonce the server
// does not know is stale.
func TestDigestNonceState(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	url := srv.URL + "/digest-auth/auth/u/p/SHA-256"
	res := digestRequest(t, url, "")
	cs, _ := authlib.ParseChallenges(res.Header.Values("WWW-Authenticate")...)
	if res.StatusCode != 401 || len(cs) != 1 {
		t.Fatalf("challenge: %d %v", res.StatusCode, cs)
	}
	d := &authlib.Digest{Username: "u", Password: "p"}
	r, _ := authlib.NewRequest(context.Background(), "GET", url, nil)
	d.Challenge(r, &authlib.Response{StatusCode: 401, Header: authlib.Header(res.Header)}, 0)
	authz := r.Header.Get("Authorization")
	if got := digestRequest(t, url, authz); got.StatusCode != 200 || !strings.Contains(got.Header.Get("Authentication-Info"), "rspauth=") {
		t.Fatalf("first use: %d %q", got.StatusCode, got.Header.Get("Authentication-Info"))
	}
	got := digestRequest(t, url, authz)
	if got.StatusCode != 401 || strings.Contains(got.Header.Get("WWW-Authenticate"), "stale=true") {
		t.Fatalf("replay: %d %q", got.StatusCode, got.Header.Get("WWW-Authenticate"))
	}
	// Right credentials, unknown nonce: stale.
	r2, _ := authlib.NewRequest(context.Background(), "GET", url, nil)
	d2 := &authlib.Digest{Username: "u", Password: "p"}
	c, _ := authlib.ParseChallenges(res.Header.Values("WWW-Authenticate")...)
	c[0].Params = replaceParam(c[0].Params, "nonce", "unknown-nonce")
	h := authlib.Header{}
	h.Set("WWW-Authenticate", c[0].String())
	d2.Challenge(r2, &authlib.Response{StatusCode: 401, Header: h}, 0)
	if got := digestRequest(t, url, r2.Header.Get("Authorization")); got.StatusCode != 401 || !strings.Contains(got.Header.Get("WWW-Authenticate"), "stale=true") {
		t.Fatalf("unknown nonce: %d %q", got.StatusCode, got.Header.Get("WWW-Authenticate"))
	}
}

func replaceParam(ps []authlib.Param, name, value string) []authlib.Param {
	out := append([]authlib.Param(nil), ps...)
	for i := range out {
		if out[i].Name == name {
			out[i].Value = value
		}
	}
	return out
}

func TestCORSPreflight(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	req, _ := http.NewRequest("OPTIONS", srv.URL+"/token-auth/x", nil)
	req.Header.Set("Origin", "http://page.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "x-custom-sig")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	allow := res.Header.Get("Access-Control-Allow-Headers")
	if res.StatusCode != 204 || !strings.Contains(allow, "Authorization") || !strings.Contains(allow, "X-TokenAuth") || !strings.Contains(allow, "x-custom-sig") {
		t.Fatalf("preflight: %d %q", res.StatusCode, allow)
	}
	if res.Header.Get("Access-Control-Allow-Origin") != "http://page.example" {
		t.Fatalf("Allow-Origin %q", res.Header.Get("Access-Control-Allow-Origin"))
	}
	res2 := digestRequest(t, srv.URL+"/digest-auth/auth/u/p", "")
	for _, h := range []string{"WWW-Authenticate", "Authentication-Info", "DPoP-Nonce"} {
		if !strings.Contains(res2.Header.Get("Access-Control-Expose-Headers"), h) {
			t.Errorf("%s is not exposed to scripts", h)
		}
	}
	if srv.Handler.Stats()["/token-auth/x"] != 0 {
		t.Fatal("a preflight was counted as an exchange")
	}
}

// Mounted under a prefix (as the demo server does), Digest still checks
// the uri the client signed.
func TestDigestUnderPrefix(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", authtest.NewHandler()))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &authlib.Digest{Username: "u", Password: "p"}}
	res, err := c.Get(context.Background(), srv.URL+"/api/digest-auth/auth/u/p/SHA-256")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("%v %v", res, err)
	}
	res.Body.Close()
}

// /aws4/ accepts what botocore-checked authlib.AWSV4 signs, also under a
// prefix, refuses a wrong key with the canonical request it computed, and
// checks presigned URLs and their expiry.
func TestAWS4(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", authtest.NewHandler()))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	good := &authlib.AWSV4{AccessKeyID: authtest.AWSAccessKeyID, SecretAccessKey: authtest.AWSSecretAccessKey, SessionToken: "tok/en+=", Region: authtest.AWSRegion, Service: "execute-api"}
	bad := &authlib.AWSV4{AccessKeyID: authtest.AWSAccessKeyID, SecretAccessKey: "wrong", Region: authtest.AWSRegion, Service: "execute-api"}
	for _, tc := range []struct {
		a      *authlib.AWSV4
		method string
		path   string
		body   string
		want   int
	}{
		{good, "GET", "/api/aws4/execute-api/prod/items?b=2&a=1", "", 200},
		{good, "POST", "/api/aws4/execute-api/prod/items", `{"a":1}`, 200},
		{bad, "GET", "/api/aws4/execute-api/prod/items", "", 403},
		{good, "GET", "/api/aws4/s3/prod/items", "", 403}, // signed for another service
	} {
		c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: tc.a}
		req, _ := authlib.NewRequest(context.Background(), tc.method, srv.URL+tc.path, []byte(tc.body))
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, res.StatusCode, b)
		}
		if tc.a == bad && (res.Header.Get("X-Amzn-ErrorType") != "InvalidSignatureException" || !strings.Contains(string(b), `The Canonical String for this request should have been\n'GET\n/api/aws4/execute-api/prod/items`)) {
			t.Errorf("a mismatch says %s %s", res.Header.Get("X-Amzn-ErrorType"), b)
		}
	}
	s3 := &authlib.AWSV4{AccessKeyID: authtest.AWSAccessKeyID, SecretAccessKey: authtest.AWSSecretAccessKey, Region: authtest.AWSRegion, Service: "s3"}
	for _, tc := range []struct {
		now  time.Time
		want int
	}{{time.Now(), 200}, {time.Now().Add(-2 * time.Minute), 403}} {
		s3.Now = func() time.Time { return tc.now }
		u, err := s3.Presign(context.Background(), "GET", srv.URL+"/api/aws4/s3/bucket/key.txt?versionId=1", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("presigned at %v: %d, want %d", tc.now, res.StatusCode, tc.want)
		}
	}
}
