package authlib

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"
)

func oauth1Request(t *testing.T, method, rawURL, contentType, body string) *Request {
	t.Helper()
	req, err := NewRequest(context.Background(), method, rawURL, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == "" {
		req.Body = nil
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

func authParams(t *testing.T, h string) url.Values {
	t.Helper()
	v := url.Values{}
	rest, ok := strings.CutPrefix(h, "OAuth ")
	if !ok {
		t.Fatalf("Authorization %q", h)
	}
	for _, p := range strings.Split(rest, ", ") {
		k, val, _ := strings.Cut(p, "=")
		s, err := url.PathUnescape(strings.Trim(val, `"`))
		if err != nil {
			t.Fatal(err)
		}
		v.Set(k, s)
	}
	return v
}

// The RFC's examples and X's, exactly.
func TestOAuth1Vectors(t *testing.T) {
	// RFC 5849 §1.2: the printer's request for the photo, HMAC-SHA1.
	o := OAuth1{ClientKey: "dpf43f3p2l4k3l03", ClientSecret: "kd94hf93k423kf44", ResourceOwnerKey: "nnch734d00sl2jdk", ResourceOwnerSecret: "pfkkdhi9sl3r4s00",
		Realm: "Photos", NoVersion: true, Now: func() time.Time { return time.Unix(137131202, 0) }, Nonce: func() string { return "chapoH" }}
	req := oauth1Request(t, "GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", "", "")
	if err := o.Apply(req); err != nil {
		t.Fatal(err)
	}
	h := req.Header.Get("Authorization")
	if p := authParams(t, h); p.Get("oauth_signature") != "MdpQcU8iPSUjWoN/UDMsK2sui9I=" || !strings.HasPrefix(h, `OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03"`) {
		t.Errorf("RFC 5849 §1.2: %s", h)
	}

	// X's "Creating a signature" example: a form body and a query.
	x := OAuth1{ClientKey: "xvz1evFS4wEEPTGEFPHBog", ClientSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
		ResourceOwnerKey: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", ResourceOwnerSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
		Now: func() time.Time { return time.Unix(1318622958, 0) }, Nonce: func() string { return "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg" }}
	req = oauth1Request(t, "POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", "application/x-www-form-urlencoded",
		"status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21")
	if err := x.Apply(req); err != nil {
		t.Fatal(err)
	}
	if got := authParams(t, req.Header.Get("Authorization")).Get("oauth_signature"); got != "hCtSmYh+iHYCEqBWrE7C7hYmtUk=" {
		t.Errorf("X's example: %s", got)
	}

	// RFC 5849 §3.4.1.1: the signature base string of its example request.
	params := [][2]string{{"oauth_consumer_key", "9djdj82h48djs9d2"}, {"oauth_token", "kkk9d7dh3k39sjv7"}, {"oauth_signature_method", "HMAC-SHA1"},
		{"oauth_timestamp", "137131201"}, {"oauth_nonce", "7d8f3e4a"}}
	params = append(params, parseForm("b5=%3D%253D&a3=a&c%40=&a2=r%20b")...)
	params = append(params, parseForm("c2&a3=2+q")...)
	want := "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26" +
		"oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
	if got := oauth1Base("POST", "HTTP", "EXAMPLE.COM:80", "/request", params); got != want {
		t.Errorf("RFC 5849 §3.4.1.1:\n%s\nwant\n%s", got, want)
	}

	// PLAINTEXT (RFC 5849 §3.4.4): the key itself, encoded.
	p := OAuth1{ClientKey: "k", ClientSecret: "a&b c", ResourceOwnerSecret: "d", SignatureMethod: "PLAINTEXT"}
	req = oauth1Request(t, "GET", "https://h.example/", "", "")
	if err := p.Apply(req); err != nil {
		t.Fatal(err)
	}
	if got := authParams(t, req.Header.Get("Authorization")).Get("oauth_signature"); got != "a%26b%20c&d" {
		t.Errorf("PLAINTEXT: %q", got)
	}
}

// Signed reads back what Apply signed, wherever it put it, and tells a
// wrong secret.
func TestOAuth1Signed(t *testing.T) {
	for _, typ := range []string{"header", "query", "body"} {
		for _, method := range []string{"HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"} {
			o := OAuth1{ClientKey: "k", ClientSecret: "s&x", ResourceOwnerKey: "t", ResourceOwnerSecret: "ts", SignatureType: typ, SignatureMethod: method, Realm: "r"}
			req := oauth1Request(t, "POST", "https://h.example:443/p?a=1&b=x+y", "application/x-www-form-urlencoded", "c=3&d=%E2%9C%93")
			if err := o.Apply(req); err != nil {
				t.Fatal(err)
			}
			sig, err := o.Signed(req)
			if err != nil || !sig.Valid() || sig.Params["oauth_token"] != "t" || !strings.HasPrefix(sig.BaseString, "POST&https%3A%2F%2Fh.example%2Fp&a%3D1%26b%3Dx%2520y%26c%3D3%26d%3D%25E2%259C%2593%26oauth_consumer_key%3Dk") {
				t.Errorf("%s %s: %+v %v", typ, method, sig, err)
			}
			o.ClientSecret = "wrong"
			if sig, _ := o.Signed(req); sig.Valid() {
				t.Errorf("%s %s: a wrong secret verifies", typ, method)
			}
		}
	}
}
