//go:build js && wasm

package jsfetch

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/hack-pad/safejs"
)

// The costs of crossing into JS, per operation, for the transport's budget.
func BenchmarkJSGet(b *testing.B) {
	g := safejs.Global()
	for b.Loop() {
		g.Get("Object")
	}
}

func BenchmarkJSObjectNewSet(b *testing.B) {
	for b.Loop() {
		o, _ := js().object.New()
		o.Set("a", "b")
	}
}

func BenchmarkFuncOfRelease(b *testing.B) {
	for b.Loop() {
		f, _ := safejs.FuncOf(func(safejs.Value, []safejs.Value) any { return nil })
		f.Release()
	}
}

func BenchmarkBuildInit(b *testing.B) {
	req, _ := authlib.NewRequest(context.Background(), "GET", "http://127.0.0.1/x", nil)
	req.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
	t := &Transport{}
	for b.Loop() {
		t.buildInit(req, "manual", false)
	}
}

func BenchmarkReadHeaders(b *testing.B) {
	respCtor, _ := safejs.Global().Get("Response")
	init, _ := js().object.New()
	h, _ := js().object.New()
	h.Set("Content-Type", "application/json")
	h.Set("Www-Authenticate", `Basic realm="x"`)
	h.Set("Date", "Mon, 01 Jan 2026 00:00:00 GMT")
	init.Set("headers", h)
	res, _ := respCtor.New("{}", init)
	for b.Loop() {
		readHeaders(res)
	}
}

func BenchmarkResponse(b *testing.B) {
	respCtor, _ := safejs.Global().Get("Response")
	res, _ := respCtor.New("{}")
	req, _ := authlib.NewRequest(context.Background(), "GET", "http://127.0.0.1/x", nil)
	for b.Loop() {
		response(req, res, func() bool { return false }, false)
	}
}

func BenchmarkRoundTripLoopback(b *testing.B) {
	base := os.Getenv("AUTHTEST_URL")
	if base == "" {
		b.Skip("AUTHTEST_URL not set")
	}
	req, _ := authlib.NewRequest(context.Background(), "GET", base+"/basic-auth/user/pass", nil)
	req.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
	t := &Transport{HeadersOnDemand: true}
	for b.Loop() {
		res, err := t.RoundTrip(req)
		if err != nil || res.StatusCode != 200 {
			b.Fatal(err)
		}
		res.Body.Close()
	}
}

// BenchmarkRawFetchLoopback is the same request made by a JS loop, for
// comparison: one call into JS starts it all.
func BenchmarkRawFetchLoopback(b *testing.B) {
	base := os.Getenv("AUTHTEST_URL")
	if base == "" {
		b.Skip("AUTHTEST_URL not set")
	}
	fn, _ := safejs.Global().Get("Function")
	loop, _ := fn.New("url", "n", `return (async () => { for (let i = 0; i < n; i++) { const r = await fetch(url, {headers: {Authorization: 'Basic dXNlcjpwYXNz'}}); await r.arrayBuffer(); } })()`)
	b.ResetTimer()
	p, _ := loop.Invoke(base+"/basic-auth/user/pass", b.N)
	Await(context.Background(), p)
}

// BenchmarkClientDoNoJS is the Client's own work per request, in wasm,
// with a transport that answers at once.
func BenchmarkClientDoNoJS(b *testing.B) {
	res := &authlib.Response{StatusCode: 200, Header: authlib.Header{}}
	c := &authlib.Client{Auth: authlib.Basic{Username: "user", Password: "pass"},
		Transport: authlib.TransportFunc(func(r *authlib.Request) (*authlib.Response, error) {
			out := *res
			out.Body = io.NopCloser(strings.NewReader(""))
			return &out, nil
		})}
	for b.Loop() {
		req, _ := authlib.NewRequest(context.Background(), "GET", "http://127.0.0.1:8080/basic-auth/user/pass", nil)
		r, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		r.Body.Close()
	}
}
