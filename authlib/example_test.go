package authlib_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// requests.get(url, auth=("user", "pass")), and the 401 a wrong password gets.
func ExampleBasic() {
	srv := authtest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: authlib.Basic{Username: "user", Password: "pass"}}
	res, err := c.Get(ctx, srv.URL+"/basic-auth/user/pass")
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode)

	c.Auth = authlib.Basic{Username: "user", Password: "wrong"}
	res, err = c.Get(ctx, srv.URL+"/basic-auth/user/pass")
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, res.Header.Get("WWW-Authenticate"))
	// Output:
	// 200
	// 401 Basic realm="authtest", charset="UTF-8"
}

// The custom scheme of requests' AuthBase: a TokenAuth that sets X-TokenAuth.
func ExampleAuthFunc() {
	srv := authtest.NewServer()
	defer srv.Close()

	tokenAuth := func(token string) authlib.Auth {
		return authlib.AuthFunc(func(r *authlib.Request) error {
			r.Header.Set("X-TokenAuth", token)
			return nil
		})
	}
	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: tokenAuth("12345abcde-token")}
	res, err := c.Get(context.Background(), srv.URL+"/token-auth/12345abcde-token")
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode)
	// Output: 200
}

// GitHub's API takes a personal access token as a bearer token, not a password.
func ExampleBearer() {
	srv := authtest.NewServer() // stands in for https://api.github.com/user
	defer srv.Close()

	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: authlib.Bearer{Token: "ghp_16C7e42F292c6912E7710c838347Ae178B4a"}}
	res, err := c.Get(context.Background(), srv.URL+"/bearer")
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode)

	// A token pasted with its newline is refused before anything is sent.
	c.Auth = authlib.Bearer{Token: "ghp_16C7e42F292c6912E7710c838347Ae178B4a\n"}
	_, err = c.Get(context.Background(), srv.URL+"/bearer")
	fmt.Println(errors.Is(err, authlib.ErrInvalidCredentials), err)
	// Output:
	// 200
	// true authlib: invalid credentials (bearer): the token contains white space or a line break at byte 40 (trim it)
}

// One Digest for many requests: the nonce is reused, so 3 requests cost 4
// exchanges.
func ExampleDigest() {
	srv := authtest.NewServer()
	defer srv.Close()

	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &authlib.Digest{Username: "user", Password: "pass"}}
	for i := 0; i < 3; i++ {
		res, err := c.Get(context.Background(), srv.URL+"/digest-auth/auth/user/pass/SHA-256")
		if err != nil {
			panic(err)
		}
		res.Body.Close()
		fmt.Println(res.StatusCode)
	}
	fmt.Println(srv.Handler.Stats()["/digest-auth/auth/user/pass/SHA-256"], "exchanges")
	// Output:
	// 200
	// 200
	// 200
	// 4 exchanges
}

// The typo from the requests lesson gets a hint, not "no connection adapters".
func ExampleParseURL() {
	_, err := authlib.ParseURL("hppts://api.github.com/user")
	fmt.Println(err)
	// Output: authlib: invalid URL: unsupported scheme "hppts": authlib sends http and https; did you mean "https://"?
}

// The quickstart: a Client over net/http, one scheme, one GET. A wrong
// password is a response, not an error.
func ExampleClient() {
	srv := authtest.NewServer()
	defer srv.Close()

	c := &authlib.Client{
		Transport: &nethttp.Transport{}, // net/http underneath; fetch.Transport in a browser
		Auth:      authlib.Basic{Username: "user", Password: "pass"},
	}
	res, err := c.Get(context.Background(), srv.URL+"/basic-auth/user/pass")
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	fmt.Println(res.StatusCode)
	// Output: 200
}

// A header token, as APIs that take X-API-Key or X-TokenAuth want it.
func ExampleHeaderAuth() {
	srv := authtest.NewServer()
	defer srv.Close()

	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: authlib.HeaderAuth{Name: "X-TokenAuth", Value: "12345abcde"}}
	res, err := c.Get(context.Background(), srv.URL+"/token-auth/12345abcde")
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode)
	// Output: 200
}

// Credentials for a proxy (requests' HTTPProxyAuth): ProxyBasic sets
// Proxy-Authorization for the proxy that net/http is given, and a proxy
// that refuses them answers 407. Here authtest plays the proxy: net/http
// sends it the request. Without a proxy the request is refused, so that
// the credentials never reach an origin.
func ExampleProxyBasic() {
	srv := authtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	proxyURL, _ := url.Parse(srv.URL)
	tr := &nethttp.Transport{Base: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}

	for _, pw := range []string{"pass", "wrong"} {
		c := &authlib.Client{Transport: tr, Auth: authlib.ProxyBasic{Username: "user", Password: pw}}
		res, err := c.Get(ctx, srv.URL+"/proxy-auth/user/pass")
		if err != nil {
			panic(err)
		}
		res.Body.Close()
		fmt.Println(res.StatusCode)
	}
	// Output:
	// 200
	// 407
}

// Retries are opt-in: here a server that answers 503 with Retry-After twice,
// then 200. The Retry's Sleep is stubbed so that the example does not wait;
// by default it sleeps what Retry-After says (up to MaxRetryAfter).
func ExampleRetry() {
	srv := authtest.NewServer()
	defer srv.Close()

	var waits []time.Duration
	c := &authlib.Client{
		Transport: &nethttp.Transport{},
		Retry: &authlib.Retry{Max: 3, Sleep: func(_ context.Context, d time.Duration) error {
			waits = append(waits, d)
			return nil
		}},
	}
	res, err := c.Get(context.Background(), srv.URL+"/flaky/2/503/example?retry_after=2")
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, waits)
	// Output: 200 [2s 2s]
}

// AWS Signature Version 4, as requests-aws4auth's AWS4Auth. authtest
// checks it as API Gateway does, with AWS's example key.
func ExampleAWSV4() {
	srv := authtest.NewServer() // stands in for https://abc123.execute-api.us-east-1.amazonaws.com
	defer srv.Close()
	ctx := context.Background()

	// Region and Service are read from an AWS host name; authtest's is not one.
	aws := &authlib.AWSV4{AccessKeyID: authtest.AWSAccessKeyID, SecretAccessKey: authtest.AWSSecretAccessKey,
		Region: "us-east-1", Service: "execute-api"}
	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: aws}
	res, err := c.Get(ctx, srv.URL+"/aws4/execute-api/prod/items?limit=10")
	if err != nil {
		panic(err)
	}
	res.Body.Close()
	fmt.Println(res.StatusCode)

	// A wrong key: Check shows what was signed, to set beside AWS's message.
	aws.SecretAccessKey = "wrong"
	res, err = c.Get(ctx, srv.URL+"/aws4/execute-api/prod/items?limit=10")
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var m *authlib.AWSV4Mismatch
	if err := aws.Check(res, body); errors.As(err, &m) {
		fmt.Println(res.StatusCode, strings.Split(m.Signature.CanonicalRequest, "\n")[:3])
	}
	// Output:
	// 200
	// 403 [GET /aws4/execute-api/prod/items limit=10]
}
