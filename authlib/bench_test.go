package authlib

import (
	"context"
	"testing"
)

func BenchmarkBasicHeaderValue(b *testing.B) {
	c := Basic{Username: "Aladdin", Password: "open sesame"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.HeaderValue(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDigestResponseSHA256(b *testing.B) {
	p := DigestParams{
		Algorithm: SHA256, Username: "Mufasa", Password: "Circle of Life", Realm: "http-auth@example.org",
		Method: "GET", URI: "/dir/index.html", QOP: "auth", NC: 1,
		Nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", CNonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
	}
	b.ReportAllocs()
	for b.Loop() {
		DigestResponse(p)
	}
}

// BenchmarkDigestApply is the per-request cost of a held nonce.
func BenchmarkDigestApply(b *testing.B) {
	d := &Digest{Username: "u", Password: "p", CNonce: func() string { return "0a4f113b" }}
	req, _ := NewRequest(context.Background(), "GET", "https://example.org/dir/index.html", nil)
	if ok, err := d.Challenge(req, digestRes(401, rfcChallenge), 0); !ok || err != nil {
		b.Fatal(ok, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := d.Apply(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseChallenges(b *testing.B) {
	v := []string{`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`, rfcChallenge}
	b.ReportAllocs()
	for b.Loop() {
		if cs, err := ParseChallenges(v...); err != nil || len(cs) != 3 {
			b.Fatal(cs, err)
		}
	}
}

// BenchmarkOAuth1Apply is the per-request cost of an OAuth 1.0a signature
// (HMAC-SHA1, in the header).
func BenchmarkOAuth1Apply(b *testing.B) {
	o := OAuth1{ClientKey: "oauth1-client", ClientSecret: "kept & safe", ResourceOwnerKey: "oauth1-token", ResourceOwnerSecret: "token/secret+="}
	b.ReportAllocs()
	for b.Loop() {
		req, _ := NewRequest(context.Background(), "GET", "https://api.example.com/1.1/statuses/update.json?include_entities=true&status=Hello%20Ladies", nil)
		if err := o.Apply(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDigestAnswer is what the JS API's answer of a repeat Digest
// request runs: a request from its URL and method, then a Client's Prepare
// with the nonce held (count it, a fresh cnonce, the response, the header).
func BenchmarkDigestAnswer(b *testing.B) {
	d := &Digest{Username: "user", Password: "pass"}
	req, _ := NewRequest(context.Background(), "GET", "https://example.org/dir/index.html", nil)
	if ok, err := d.Challenge(req, digestRes(401, rfcChallenge), 0); !ok || err != nil {
		b.Fatal(ok, err)
	}
	c := &Client{Auth: d, Transport: TransportFunc(func(*Request) (*Response, error) { return nil, nil })}
	b.ReportAllocs()
	for b.Loop() {
		req, err := NewRequest(context.Background(), "GET", "https://example.org/dir/index.html", nil)
		if err != nil || !d.Ready(req.Origin()) {
			b.Fatal(err)
		}
		p, err := c.Prepare(req)
		if err != nil || p.Header.Get("Authorization") == "" {
			b.Fatal(err)
		}
	}
}
