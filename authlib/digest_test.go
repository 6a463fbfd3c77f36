package authlib

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// RFC 7616 §3.9.1: the same exchange with MD5 and with SHA-256.
func TestDigestRFC7616Example(t *testing.T) {
	p := DigestParams{
		Username: "Mufasa", Password: "Circle of Life", Realm: "http-auth@example.org",
		Method: "GET", URI: "/dir/index.html", QOP: "auth", NC: 1,
		Nonce:  "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
		CNonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
	}
	p.Algorithm = MD5
	if got := DigestResponse(p); got != "8ca523f5e9506fed4657c9700eebdbec" {
		t.Errorf("MD5 response = %s", got)
	}
	p.Algorithm = SHA256
	if got := DigestResponse(p); got != "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1" {
		t.Errorf("SHA-256 response = %s", got)
	}
}

// RFC 7616 §3.9.2 with the values corrected by errata 4897.
func TestDigestRFC7616SHA512256Userhash(t *testing.T) {
	p := DigestParams{
		Algorithm: SHA512_256, Username: "J\u00e4s\u00f8n Doe", Password: "Secret, or not?",
		Realm: "api@example.org", Method: "GET", URI: "/doe.json", QOP: "auth", NC: 1,
		Nonce:  "5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK",
		CNonce: "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v",
	}
	if got := DigestUserhash(SHA512_256, p.Username, p.Realm); got != "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b" {
		t.Errorf("userhash = %s", got)
	}
	if got := DigestResponse(p); got != "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5" {
		t.Errorf("response = %s", got)
	}
}

// RFC 2617 §3.5.
func TestDigestRFC2617Example(t *testing.T) {
	p := DigestParams{
		Algorithm: MD5, Username: "Mufasa", Password: "Circle Of Life", Realm: "testrealm@host.com",
		Method: "GET", URI: "/dir/index.html", QOP: "auth", NC: 1,
		Nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", CNonce: "0a4f113b",
	}
	if got := DigestResponse(p); got != "6629fae49393a05397450978507c4ef1" {
		t.Errorf("response = %s", got)
	}
}

func digestRes(status int, challenges ...string) *Response {
	h := Header{}
	name := "WWW-Authenticate"
	if status == 407 {
		name = "Proxy-Authenticate"
	}
	for _, c := range challenges {
		h.Add(name, c)
	}
	return &Response{StatusCode: status, Header: h}
}

const rfcChallenge = `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, ` +
	`nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`

// The whole RFC 7616 §3.9.1 exchange, stepped by hand: the Authorization
// field is the RFC's, with algorithm and qop unquoted.
func TestDigestStepByHand(t *testing.T) {
	d := &Digest{Username: "Mufasa", Password: "Circle of Life",
		CNonce: func() string { return "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ" }}
	req, _ := NewRequest(context.Background(), "GET", "http://www.example.org/dir/index.html", nil)
	if err := d.Apply(req); err != nil || req.Header.Get("Authorization") != "" {
		t.Fatalf("Apply before any challenge: %v, %q", err, req.Header.Get("Authorization"))
	}
	retry, err := d.Challenge(req, digestRes(401, rfcChallenge), 0)
	if err != nil || !retry {
		t.Fatalf("Challenge = %v, %v", retry, err)
	}
	want := `Digest username="Mufasa", realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ` +
		`uri="/dir/index.html", algorithm=MD5, response="8ca523f5e9506fed4657c9700eebdbec", ` +
		`opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", qop=auth, nc=00000001, ` +
		`cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"`
	if got := req.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization =\n%s\nwant\n%s", got, want)
	}
	// The answer got its 200: the Client says so, and the nonce is kept.
	d.Finish(req, &Response{StatusCode: 200, Request: req})
	// The next request reuses the nonce with nc=2, without a round trip.
	req2, _ := NewRequest(context.Background(), "GET", "http://www.example.org/dir/other.html", nil)
	if err := d.Apply(req2); err != nil {
		t.Fatal(err)
	}
	c, err := ParseCredentials(req2.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	if nc, _ := c.Param("nc"); nc != "00000002" {
		t.Errorf("nc = %s", nc)
	}
	if uri, _ := c.Param("uri"); uri != "/dir/other.html" {
		t.Errorf("uri = %s", uri)
	}
	// Another origin gets nothing preemptively.
	req3, _ := NewRequest(context.Background(), "GET", "https://other.example/", nil)
	d.Apply(req3)
	if req3.Header.Get("Authorization") != "" {
		t.Error("cached Digest credentials sent to another origin")
	}
}

func TestDigestRoundsAndStale(t *testing.T) {
	d := &Digest{Username: "u", Password: "p"}
	req, _ := NewRequest(context.Background(), "GET", "https://example.org/", nil)
	plain := `Digest realm="r", nonce="n1", qop="auth"`
	stale := `Digest realm="r", nonce="n2", qop="auth", stale=true`
	for _, tc := range []struct {
		name  string
		res   *Response
		round int
		want  bool
	}{
		{"first challenge answered", digestRes(401, plain), 0, true},
		{"second non-stale: wrong password, give up", digestRes(401, plain), 1, false},
		{"second but stale: answered once more", digestRes(401, stale), 1, true},
		{"not our status", digestRes(403, plain), 0, false},
		{"407 is for the proxy variant", digestRes(407, plain), 0, false},
	} {
		got, err := d.Challenge(req.Clone(), tc.res, tc.round)
		if err != nil || got != tc.want {
			t.Errorf("%s: Challenge = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	pd := &Digest{Username: "u", Password: "p", Proxy: true}
	r := req.Clone()
	if ok, err := pd.Challenge(r, digestRes(407, plain), 0); !ok || err != nil || !strings.HasPrefix(r.Header.Get("Proxy-Authorization"), "Digest ") {
		t.Errorf("proxy digest: %v %v %q", ok, err, r.Header.Get("Proxy-Authorization"))
	}
}

func TestDigestChoosesStrongest(t *testing.T) {
	d := &Digest{Username: "u", Password: "p"}
	for _, tc := range []struct {
		challenges []string
		want       string
	}{
		{[]string{`Digest realm="r", nonce="a", algorithm=MD5, qop="auth"`, `Digest realm="r", nonce="b", algorithm=SHA-256, qop="auth"`}, "SHA-256"},
		{[]string{`Digest realm="r", nonce="a", algorithm=SHA-256, qop="auth", Digest realm="r", nonce="b", algorithm=SHA-512-256, qop="auth"`}, "SHA-512-256"},
		{[]string{`Basic realm="r"`, `Digest realm="r", nonce="a", algorithm=md5-SESS, qop="auth"`}, "MD5-sess"},
		{[]string{`Digest realm="r", nonce="a", algorithm=SHA-1024, qop="auth"`, `Digest realm="r", nonce="b", algorithm=MD5`}, "MD5"},
	} {
		req, _ := NewRequest(context.Background(), "GET", "https://example.org/", nil)
		if ok, err := d.Challenge(req, digestRes(401, tc.challenges...), 0); !ok || err != nil {
			t.Fatalf("%v: %v %v", tc.challenges, ok, err)
		}
		c, _ := ParseCredentials(req.Header.Get("Authorization"))
		if a, _ := c.Param("algorithm"); a != tc.want {
			t.Errorf("%v: algorithm %q, want %q", tc.challenges, a, tc.want)
		}
	}
}

func TestDigestForms(t *testing.T) {
	d := &Digest{Username: "J\u00e4s\u00f8n Doe", Password: "p", CNonce: func() string { return "cn" }}
	get := func(challenge string, body []byte) Challenge {
		t.Helper()
		req, _ := NewRequest(context.Background(), "POST", "https://example.org/a?b=c", body)
		if ok, err := d.Challenge(req, digestRes(401, challenge), 0); !ok || err != nil {
			t.Fatalf("%s: %v %v", challenge, ok, err)
		}
		c, err := ParseCredentials(req.Header.Get("Authorization"))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// RFC 2069: no qop, no nc, no cnonce, no algorithm echoed.
	c := get(`Digest realm="r", nonce="n0"`, nil)
	for _, p := range []string{"qop", "nc", "cnonce", "algorithm"} {
		if _, ok := c.Param(p); ok {
			t.Errorf("RFC 2069 form has %s", p)
		}
	}
	if r, _ := c.Param("response"); r != DigestResponse(DigestParams{Username: d.Username, Realm: "r", Password: "p", Method: "POST", URI: "/a?b=c", Nonce: "n0"}) {
		t.Errorf("RFC 2069 response %s", r)
	}
	// A non-ASCII username goes as its UTF-8 bytes where the challenge does
	// not say charset=UTF-8 (as curl sends it, as Apache compares it)...
	if u, ok := c.Param("username"); !ok || u != d.Username {
		t.Errorf("username = %q, want the UTF-8 bytes", u)
	}
	// ...and as username* (RFC 8187) where it does.
	c = get(`Digest realm="r", nonce="n1", qop="auth", charset=UTF-8`, nil)
	if u, _ := c.Param("username*"); u != "UTF-8''J%C3%A4s%C3%B8n%20Doe" {
		t.Errorf("username* = %q", u)
	}
	if _, ok := c.Param("username"); ok {
		t.Error("username and username* both sent")
	}
	// auth-int hashes the body.
	c = get(`Digest realm="r", nonce="n", qop="auth-int"`, []byte("hello"))
	want := DigestResponse(DigestParams{Algorithm: MD5, Username: d.Username, Realm: "r", Password: "p",
		Method: "POST", URI: "/a?b=c", Nonce: "n", CNonce: "cn", NC: 1, QOP: "auth-int", Body: []byte("hello")})
	if r, _ := c.Param("response"); r != want {
		t.Errorf("auth-int response %s, want %s", r, want)
	}
	// userhash when the server offers it.
	c = get(`Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256, userhash=true`, nil)
	if u, _ := c.Param("username"); u != DigestUserhash(SHA256, d.Username, "r") {
		t.Errorf("userhash username = %q", u)
	}
	if u, _ := c.Param("userhash"); u != "true" {
		t.Errorf("userhash = %q", u)
	}
}

func TestDigestUnusableChallenges(t *testing.T) {
	d := &Digest{Username: "u", Password: "p"}
	for _, tc := range []struct {
		challenge string
		kind      error
		detail    string
	}{
		{`Basic realm="r"`, ErrUnsupportedChallenge, "the server asks for Basic, not Digest"},
		{``, ErrUnsupportedChallenge, "the server sent no challenge"},
		{`Digest realm="r", nonce="n", algorithm=SHA-1024`, ErrUnsupportedChallenge, `the server asks for Digest algorithm "SHA-1024", which authlib does not support`},
		{`Digest realm="r", nonce="n", qop="auth-conf"`, ErrUnsupportedChallenge, "the server asks for a Digest qop that authlib does not support"},
		// The kind comes from what failed, not from the message's words.
		{`Digest realm="r", nonce="n", algorithm=lacks`, ErrUnsupportedChallenge, `the server asks for Digest algorithm "lacks", which authlib does not support`},
		{`Digest realm="r"`, ErrMalformedChallenge, "the Digest challenge lacks realm or nonce"},
		{`Digest realm="r", nonce="a", nonce="b"`, ErrMalformedChallenge, "the parameter nonce appears twice in the Digest challenge"},
		{`Digest realm="r", nonce="unterminated`, ErrMalformedChallenge, "the quoted value of nonce is not terminated in the Digest challenge"},
		{`Basic realm="x", Digest realm="r" nonce="n"`, ErrMalformedChallenge, "unexpected text after the parameter realm in the Digest challenge"},
		{`Digest realm="r", nonce="n", ` + manyParams(300), ErrMalformedChallenge, "more than 256 parameters in the Digest challenge"},
	} {
		req, _ := NewRequest(context.Background(), "GET", "https://example.org/", nil)
		res := digestRes(401)
		if tc.challenge != "" {
			res = digestRes(401, tc.challenge)
		}
		ok, err := d.Challenge(req, res, 0)
		var e *Error
		if ok || !errors.As(err, &e) || e.Kind != tc.kind || e.Detail != tc.detail {
			t.Errorf("%q: %v, %v; want %v %q", tc.challenge, ok, err, tc.kind, tc.detail)
		}
	}
}

func manyParams(n int) string {
	var ps []string
	for i := 0; i < n; i++ {
		ps = append(ps, "p"+strconv.Itoa(i)+"=1")
	}
	return strings.Join(ps, ", ")
}

// A well-formed challenge with many parameters (40 here) is read.
func TestDigestManyParameters(t *testing.T) {
	d := &Digest{Username: "u", Password: "p"}
	req, _ := NewRequest(context.Background(), "GET", "https://example.org/", nil)
	ok, err := d.Challenge(req, digestRes(401, `Digest realm="r", nonce="n", qop="auth", `+manyParams(37)), 0)
	if !ok || err != nil || !strings.HasPrefix(req.Header.Get("Authorization"), "Digest ") {
		t.Fatalf("40 parameters: %v %v", ok, err)
	}
}

// Concurrent requests share the nonce and never reuse a nonce-count.
func TestDigestConcurrentCounts(t *testing.T) {
	d := &Digest{Username: "u", Password: "p"}
	req, _ := NewRequest(context.Background(), "GET", "https://example.org/", nil)
	d.Apply(req)
	d.Challenge(req, digestRes(401, `Digest realm="r", nonce="n", qop="auth"`), 0)
	d.Finish(req, &Response{StatusCode: 200, Request: req})
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := req.Clone()
			r.Header = Header{}
			d.Apply(r)
			c, _ := ParseCredentials(r.Header.Get("Authorization"))
			nc, _ := c.Param("nc")
			mu.Lock()
			seen[nc] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(seen) != 50 || !seen["00000033"] || seen["00000001"] {
		t.Fatalf("nonce-counts %d distinct; want 2..51", len(seen))
	}
}

// Authentication-Info's nextnonce (RFC 7616 §3.5) is the nonce of the next
// request, counted from 1.
func TestDigestNextNonce(t *testing.T) {
	d := &Digest{Username: "u", Password: "p"}
	req, _ := NewRequest(context.Background(), "GET", "https://example.org/", nil)
	d.Apply(req)
	d.Challenge(req, digestRes(401, `Digest realm="r", nonce="n1", qop="auth"`), 0)
	res := &Response{StatusCode: 200, Request: req, Header: Header{}}
	res.Header.Set("Authentication-Info", `rspauth="x", cnonce="c", nc=00000001, qop=auth, nextnonce="n2"`)
	d.Finish(req, res)
	next, _ := NewRequest(context.Background(), "GET", "https://example.org/b", nil)
	if err := d.Apply(next); err != nil {
		t.Fatal(err)
	}
	c, _ := ParseCredentials(next.Header.Get("Authorization"))
	nonce, _ := c.Param("nonce")
	nc, _ := c.Param("nc")
	if nonce != "n2" || nc != "00000001" {
		t.Fatalf("after nextnonce: nonce %q nc %s; want n2 00000001", nonce, nc)
	}
}

func TestParseAuthInfo(t *testing.T) {
	ps, err := ParseAuthInfo(`rspauth="abc", CNonce="x,y", nc=00000001, qop=auth, nextnonce="n\"2"`)
	if err != nil || len(ps) != 5 || ps[1] != (Param{"cnonce", "x,y"}) || ps[4] != (Param{"nextnonce", `n"2`}) {
		t.Fatalf("%v %v", ps, err)
	}
	for in, want := range map[string]string{
		`a=1, a=2`:        "the parameter a appears twice in Authentication-Info",
		`a="unterminated`: "the quoted value of a is not terminated in Authentication-Info",
		`a=1 b=2`:         "unexpected text after the parameter a in Authentication-Info",
		`Digest a=1`:      "the parameter Digest has no value",
	} {
		_, err := ParseAuthInfo(in)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrMalformedChallenge || !strings.HasPrefix(e.Detail, strings.TrimSuffix(want, " in Authentication-Info")) {
			t.Errorf("%q: %v; want %s", in, err, want)
		}
	}
}

// A 401 whose challenge the runtime hid says so.
func TestDigestHiddenChallenge(t *testing.T) {
	d := &Digest{Username: "u", Password: "p"}
	req, _ := NewRequest(context.Background(), "GET", "https://example.org/", nil)
	res := digestRes(401)
	res.HeadersHidden = true
	ok, err := d.Challenge(req, res, 0)
	if ok || !errors.Is(err, ErrUnsupportedChallenge) || !strings.Contains(err.Error(), "Access-Control-Expose-Headers") {
		t.Fatalf("%v %v", ok, err)
	}
}

// RFC 7616 §3.3: a challenge's domain bounds where its nonce goes before
// the server asks. Two protection spaces on one origin each keep their
// nonce; a path in neither gets no credentials; a domain that names no
// path on the origin, or none at all, means the whole origin.
func TestDigestProtectionSpaces(t *testing.T) {
	ctx := context.Background()
	d := &Digest{Username: "u", Password: "p"}
	get := func(path string) *Request {
		r, err := NewRequest(ctx, "GET", "https://example.org"+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// sent applies d to a request to path and returns the nonce it sent, or "".
	sent := func(d *Digest, path string) string {
		r := get(path)
		if err := d.Apply(r); err != nil {
			t.Fatal(err)
		}
		d.Finish(r, &Response{StatusCode: 200, Request: r})
		_, nonce, _ := strings.Cut(r.Header.Get("Authorization"), `nonce="`)
		nonce, _, _ = strings.Cut(nonce, `"`)
		return nonce
	}
	// learn sends a request to path that meets challenge, and answers it.
	learn := func(d *Digest, path, challenge string) {
		r := get(path)
		if err := d.Apply(r); err != nil || r.Header.Get("Authorization") != "" {
			t.Fatalf("%s: Apply before the challenge: %v, %q", path, err, r.Header.Get("Authorization"))
		}
		if ok, err := d.Challenge(r, digestRes(401, challenge), 0); !ok || err != nil {
			t.Fatalf("%s: Challenge: %v %v", path, ok, err)
		}
		d.Finish(r, &Response{StatusCode: 200, Request: r})
	}
	learn(d, "/a/1", `Digest realm="A", nonce="na", qop="auth", domain="/a/"`)
	if n := sent(d, "/a/2"); n != "na" {
		t.Errorf("/a/2 in A's space: nonce %q", n)
	}
	learn(d, "/b/1", `Digest realm="B", nonce="nb", qop="auth", domain="https://example.org/b https://other.example/x /c"`)
	for path, want := range map[string]string{"/a/3": "na", "/b": "nb", "/b/2": "nb", "/c": "nb", "/c/d": "nb", "/d": "", "/bb": "", "/": ""} {
		if n := sent(d, path); n != want {
			t.Errorf("%s: nonce %q; want %q", path, n, want)
		}
	}
	for _, domain := range []string{``, `, domain="https://other.example/"`, `, domain="/x/ https://example.org"`} {
		whole := &Digest{Username: "u", Password: "p"}
		learn(whole, "/a/1", `Digest realm="A", nonce="nw", qop="auth"`+domain)
		if n := sent(whole, "/elsewhere"); n != "nw" {
			t.Errorf("domain %q: /elsewhere got nonce %q; want the whole origin", domain, n)
		}
	}
}
