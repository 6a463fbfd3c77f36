package authlib_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// sentinel stands for a password or token; it must never appear in an
// error, a String/GoString/%+v of a scheme, or a log line.
const sentinel = "S3NT1NEL-hunter2"

func assertNoSecret(t *testing.T, what string, v any) {
	t.Helper()
	var buf bytes.Buffer
	log.New(&buf, "", 0).Print(v)
	for _, s := range []string{
		fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), fmt.Sprintf("%s", v),
		fmt.Sprintf("%q", v), fmt.Sprintf("%x", v), buf.String(),
	} {
		if strings.Contains(s, sentinel) || strings.Contains(s, fmt.Sprintf("%x", sentinel)) {
			t.Errorf("%s leaks the secret: %s", what, s)
		}
	}
	if err, ok := v.(error); ok {
		for e := err; e != nil; e = errors.Unwrap(e) {
			if strings.Contains(e.Error(), sentinel) {
				t.Errorf("%s: a wrapped error leaks the secret: %s", what, e.Error())
			}
		}
	}
}

func TestNoSecretInAnyErrorPath(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/userinfo":
			w.Header().Set("Location", "http://u:"+sentinel+"@127.0.0.1/")
		case "/file":
			w.Header().Set("Location", "file:///"+sentinel)
		case "/slow":
			time.Sleep(200 * time.Millisecond)
			return
		default:
			w.Header().Set("Location", r.URL.String())
		}
		w.WriteHeader(302)
	}))
	defer redirector.Close()

	tr := &nethttp.Transport{}
	paths := []struct {
		name   string
		client *authlib.Client
		url    string
		header map[string]string
		kind   error
	}{
		{"basic ':' in user", &authlib.Client{Transport: tr, Auth: authlib.Basic{Username: "user:" + sentinel, Password: sentinel}}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"basic control char", &authlib.Client{Transport: tr, Auth: authlib.Basic{Username: "u", Password: sentinel + "\n"}}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"basic bad UTF-8", &authlib.Client{Transport: tr, Auth: authlib.Basic{Username: "u", Password: sentinel + "\xff"}}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"proxy basic", &authlib.Client{Transport: tr, Auth: authlib.ProxyBasic{Username: "u", Password: sentinel + "\r"}}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"bearer newline", &authlib.Client{Transport: tr, Auth: authlib.Bearer{Token: sentinel + "\n"}}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"bearer quote", &authlib.Client{Transport: tr, Auth: authlib.Bearer{Token: sentinel + `"`}}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"header name", &authlib.Client{Transport: tr, Auth: authlib.HeaderAuth{Name: sentinel + " x", Value: sentinel}}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"header value", &authlib.Client{Transport: tr, Auth: authlib.HeaderAuth{Name: "X-TokenAuth", Value: sentinel + "\r\nX: y"}}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"digest password", &authlib.Client{Transport: tr, Auth: &authlib.Digest{Username: "u", Password: sentinel + "\x00"}}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"function header", &authlib.Client{Transport: tr, Auth: authlib.AuthFunc(func(r *authlib.Request) error {
			r.Header.Set("X-Sig", sentinel+"\n")
			return nil
		})}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"function bad header name", &authlib.Client{Transport: tr, Auth: authlib.AuthFunc(func(r *authlib.Request) error {
			r.Header[sentinel+" :"] = []string{"v"}
			return nil
		})}, "https://h.example/", nil, authlib.ErrInvalidCredentials},
		{"request header", &authlib.Client{Transport: tr}, "https://h.example/", map[string]string{"X-Api": sentinel + "\n"}, authlib.ErrInvalidRequest},
		{"insecure", &authlib.Client{Transport: tr, Auth: authlib.Basic{Username: "u", Password: sentinel}}, "http://h.example/?token=" + sentinel, nil, authlib.ErrInsecureTransport},
		{"network, token in query", &authlib.Client{Transport: tr, Auth: authlib.Bearer{Token: sentinel}}, "http://" + closed + "/?access_token=" + sentinel, nil, authlib.ErrNetwork},
		{"retries exhausted", &authlib.Client{Transport: tr, Auth: authlib.Bearer{Token: sentinel}, Retry: &authlib.Retry{Max: 1, Base: time.Millisecond}}, "http://" + closed + "/?k=" + sentinel, nil, authlib.ErrRetriesExhausted},
		{"redirect with userinfo", &authlib.Client{Transport: tr, Auth: authlib.Bearer{Token: sentinel}}, redirector.URL + "/userinfo?k=" + sentinel, nil, authlib.ErrRedirectBlocked},
		{"redirect to file", &authlib.Client{Transport: tr, Auth: authlib.Bearer{Token: sentinel}}, redirector.URL + "/file", nil, authlib.ErrRedirectBlocked},
		{"too many redirects", &authlib.Client{Transport: tr, Auth: authlib.Bearer{Token: sentinel}, MaxRedirects: 2}, redirector.URL + "/loop?k=" + sentinel, nil, authlib.ErrTooManyRedirects},
		{"timeout", &authlib.Client{Transport: tr, Auth: authlib.Bearer{Token: sentinel}, Timeout: 20 * time.Millisecond}, redirector.URL + "/slow?k=" + sentinel, nil, authlib.ErrTimeout},
	}
	for _, p := range paths {
		req, err := authlib.NewRequest(context.Background(), "GET", p.url, nil)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		for k, v := range p.header {
			req.Header.Set(k, v)
		}
		_, err = p.client.Do(req)
		if !errors.Is(err, p.kind) {
			t.Errorf("%s: %v; want %v", p.name, err, p.kind)
			continue
		}
		assertNoSecret(t, p.name, err)
		assertNoSecret(t, p.name+" (client)", p.client)
	}
	for _, raw := range []string{
		"https://user:" + sentinel + "@h.example/", "hppts://user:" + sentinel + "@h.example/",
		"https://" + sentinel + "@h.example/", "https://u:" + sentinel + "%zz@h.example/",
	} {
		_, err := authlib.NewRequest(context.Background(), "GET", raw, nil)
		if !errors.Is(err, authlib.ErrInvalidURL) {
			t.Errorf("URL with userinfo: %v", err)
		}
		assertNoSecret(t, "URL with userinfo", err)
	}
}

func TestNoSecretWhenPrinted(t *testing.T) {
	for _, v := range []any{
		authlib.Basic{Username: "u", Password: sentinel}, &authlib.Basic{Username: "u", Password: sentinel},
		authlib.ProxyBasic{Username: "u", Password: sentinel},
		authlib.Bearer{Token: sentinel}, authlib.HeaderAuth{Name: "X-TokenAuth", Value: sentinel},
		&authlib.Digest{Username: "u", Password: sentinel},
		authlib.Digest{Username: "u", Password: sentinel},
		struct{ D authlib.Digest }{authlib.Digest{Username: "u", Password: sentinel}},
		authlib.DigestParams{Username: "u", Password: sentinel},
		authlib.OAuth1{ClientKey: "k", ClientSecret: sentinel, ResourceOwnerKey: sentinel, ResourceOwnerSecret: sentinel},
		&authlib.OAuth1{ClientKey: "k", ClientSecret: sentinel, ResourceOwnerSecret: sentinel},
		struct{ O authlib.OAuth1 }{authlib.OAuth1{ClientKey: "k", ClientSecret: sentinel}},
		&authlib.AWSV4{AccessKeyID: "AKID", SecretAccessKey: sentinel, SessionToken: sentinel},
		authlib.Netrc{Path: "/home/u/.netrc"},
		authlib.Client{Auth: authlib.Bearer{Token: sentinel}},
		[]authlib.Auth{authlib.Basic{Password: sentinel}},
	} {
		assertNoSecret(t, fmt.Sprintf("%T", v), v)
	}
	// A request with credentials set prints them masked.
	req, _ := authlib.NewRequest(context.Background(), "GET", "https://h.example/?token="+sentinel, nil)
	req.Header.Set("Authorization", "Bearer "+sentinel)
	req.Header.Set("Cookie", "s="+sentinel)
	assertNoSecret(t, "request", req)
	assertNoSecret(t, "request by value", *req)
	assertNoSecret(t, "request in a struct", struct{ R authlib.Request }{*req})
	if s := fmt.Sprint(req); !strings.Contains(s, "Authorization: [redacted]") {
		t.Errorf("request prints as %q", s)
	}
}

// What the signing schemes return of a signature prints no secret, no
// session token and no signature: a PLAINTEXT OAuth 1.0a signature is the
// secrets themselves, and a netrc file holds passwords.
func TestNoSecretInSignatures(t *testing.T) {
	f, err := authlib.ParseNetrc("machine h login u password " + sentinel)
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "NetrcFile", f)
	assertNoSecret(t, "NetrcFile by value", *f)
	assertNoSecret(t, "NetrcFile in a struct", struct{ F authlib.NetrcFile }{*f})

	req, _ := authlib.NewRequest(context.Background(), "GET", "https://x.execute-api.us-east-1.amazonaws.com/", nil)
	aws := &authlib.AWSV4{AccessKeyID: "AKID", SecretAccessKey: sentinel, SessionToken: sentinel + "/+="}
	sig, err := aws.Sign(req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sig.CanonicalRequest, "x-amz-security-token:[redacted]\n") {
		t.Errorf("the canonical request returned:\n%s", sig.CanonicalRequest)
	}
	assertNoSecret(t, "AWSV4Signature", sig)
	again, err := aws.Signed(req)
	if err != nil || again.CanonicalRequest != sig.CanonicalRequest {
		t.Errorf("Signed: %v\n%s", err, again.CanonicalRequest)
	}
	if s := fmt.Sprint(sig); strings.Contains(s, sig.Signature) {
		t.Errorf("AWSV4Signature prints its signature: %s", s)
	}

	req, _ = authlib.NewRequest(context.Background(), "GET", "https://h.example/", nil)
	o := authlib.OAuth1{ClientKey: "k", ClientSecret: sentinel, ResourceOwnerSecret: sentinel, SignatureMethod: "PLAINTEXT"}
	if err := o.Apply(req); err != nil {
		t.Fatal(err)
	}
	osig, err := o.Signed(req)
	if err != nil || !osig.Valid() {
		t.Fatalf("%v", err)
	}
	assertNoSecret(t, "OAuth1Signature", osig)

	req, _ = authlib.NewRequest(context.Background(), "GET", "https://h.example/", nil)
	hsig, err := authlib.HTTPSig{KeyID: "k", Key: authlib.HMACSHA256(sentinel)}.Sign(req)
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprint(hsig); strings.Contains(s, strings.TrimSuffix(strings.TrimPrefix(hsig.Header, "sig1=:"), ":")) {
		t.Errorf("HTTPSigSignature prints its signature: %s", s)
	}
	assertNoSecret(t, "HMACSHA256", authlib.HMACSHA256(sentinel))
}
