package nethttp_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// pythonWith returns a python3 that imports module: the one on PATH, or
// Debian's (apt installs its packages there, and PyPI may be out of
// reach). Without one the test skips, unless AUTHLIB_REQUIRE_INTEROP is
// set (make test sets it), where it fails naming the package.
func pythonWith(t *testing.T, module, debian string) string {
	t.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import "+module).Run() == nil {
			return py
		}
	}
	if os.Getenv("AUTHLIB_REQUIRE_INTEROP") != "" {
		t.Fatalf("python3 with %s is needed (Debian: apt-get install %s)", module, debian)
	}
	t.Skipf("python3 with %s is not installed", module)
	return ""
}

// serve starts a testdata server script and returns its URL.
func serve(t *testing.T, py string, args ...string) string {
	t.Helper()
	cmd := exec.Command(py, args...)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
		}
	})
	port, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return "http://127.0.0.1:" + strings.TrimSpace(port)
}

// oauthlib (requests-oauthlib's server side) accepts authlib's OAuth 1.0a
// requests: every method, every signature method, every placement.
func TestOAuthlibOAuth1(t *testing.T) {
	py := pythonWith(t, "oauthlib", "python3-oauthlib")
	const key, secret, token, tokenSecret = "client-key", "client secret & more", "token-key", "token/secret+="
	base := serve(t, py, "testdata/oauthlib_verify.py", key, secret, token, tokenSecret)
	// oauthlib decodes a parameter of the query or the body twice, so that
	// a PLAINTEXT signature there (the secrets, encoded) is refused when a
	// secret holds a reserved character, from its own client too: PLAINTEXT
	// goes there with secrets of unreserved characters.
	plainBase := serve(t, py, "testdata/oauthlib_verify.py", key, "client-secret", token, "token.secret")
	for _, method := range []string{"HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"} {
		for _, typ := range []string{"header", "query", "body"} {
			base, secret, tokenSecret := base, secret, tokenSecret
			if method == "PLAINTEXT" && typ != "header" {
				base, secret, tokenSecret = plainBase, "client-secret", "token.secret"
			}
			for _, r := range []struct {
				method, path, ctype, body string
			}{
				{"GET", "/items?b=2&a=1&a=0&sp=a%20b&plus=a+b&u=%C3%BC&star=*", "", ""},
				{"POST", "/items?x=1", "application/x-www-form-urlencoded", "name=a+b&note=%E2%9C%93&empty="},
				{"PUT", "/items/1", "application/json", `{"name":"x"}`},
				{"DELETE", "/items/1", "", ""},
			} {
				form := r.ctype == "application/x-www-form-urlencoded"
				if typ == "body" && !form {
					continue
				}
				o := authlib.OAuth1{ClientKey: key, ClientSecret: secret, ResourceOwnerKey: token, ResourceOwnerSecret: tokenSecret,
					SignatureMethod: method, SignatureType: typ, Realm: "Example", BodyHash: r.ctype == "application/json"}
				c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: o}
				req, err := authlib.NewRequest(context.Background(), r.method, base+r.path, nil)
				if err != nil {
					t.Fatal(err)
				}
				if r.body != "" {
					req.Body = []byte(r.body)
					req.Header.Set("Content-Type", r.ctype)
				}
				res, err := c.Do(req)
				if err != nil {
					t.Fatalf("%s %s %s %s: %v", method, typ, r.method, r.path, err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Errorf("%s in the %s, %s %s: oauthlib says %d %s", method, typ, r.method, r.path, res.StatusCode, b)
				}
			}
		}
	}
	// A wrong secret is refused: the check can fail.
	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: authlib.OAuth1{ClientKey: key, ClientSecret: "wrong", ResourceOwnerKey: token, ResourceOwnerSecret: tokenSecret}}
	res, err := c.Get(context.Background(), base+"/items")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("a wrong secret: %d", res.StatusCode)
	}
}

// oauthlib (with PyJWT, as requests-oauthlib's server side checks RSA)
// accepts RSA-SHA1 and RSA-SHA256 signatures from Go's RSA keys.
func TestOAuthlibOAuth1RSA(t *testing.T) {
	py := pythonWith(t, "oauthlib, jwt", "python3-oauthlib python3-jwt")
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pub := filepath.Join(t.TempDir(), "pub.pem")
	os.WriteFile(pub, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600)
	base := serve(t, py, "testdata/oauthlib_verify.py", "client-key", "unused", "token-key", "token-secret", pub)
	for _, method := range []string{"RSA-SHA1", "RSA-SHA256"} {
		alg := map[string]string{"RSA-SHA1": "rsa-v1_5-sha1", "RSA-SHA256": "rsa-v1_5-sha256"}[method]
		signer, err := authlib.NewSigner(key, alg)
		if err != nil {
			t.Fatal(err)
		}
		for _, typ := range []string{"header", "query"} {
			o := authlib.OAuth1{ClientKey: "client-key", ResourceOwnerKey: "token-key", ResourceOwnerSecret: "token-secret", SignatureMethod: method, SignatureType: typ, Signer: signer}
			res, err := (&authlib.Client{Transport: &nethttp.Transport{}, Auth: o}).Get(context.Background(), base+"/items?a=1&b=x+y")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("%s in the %s: oauthlib says %d %s", method, typ, res.StatusCode, b)
			}
		}
	}
	// Another key is refused.
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	signer, _ := authlib.NewSigner(other, "rsa-v1_5-sha1")
	o := authlib.OAuth1{ClientKey: "client-key", ResourceOwnerKey: "token-key", SignatureMethod: "RSA-SHA1", Signer: signer}
	res, err := (&authlib.Client{Transport: &nethttp.Transport{}, Auth: o}).Get(context.Background(), base+"/items")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("another key: %d", res.StatusCode)
	}
}
