package jsfetch

import (
	"context"
	"strings"
	"testing"

	"github.com/authlib-go/authlib/authlib"
)

// These run natively: the pure parts of the transport.

// FuzzParseHeaderLines: the fields JS hands over as alternating lines come
// back as they were.
func FuzzParseHeaderLines(f *testing.F) {
	f.Add("Www-Authenticate", `Digest realm="r", nonce="n"`, "Content-Type", "text/plain")
	f.Add("x", "", "y", "a, b")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		parseHeaderLines(k1 + "\n" + v1) // any input: no panic
		if strings.ContainsAny(k1+v1+k2+v2, "\n") || !authlib.ValidHeaderName(k1) || !authlib.ValidHeaderName(k2) ||
			authlib.CanonicalHeaderKey(k1) == authlib.CanonicalHeaderKey(k2) {
			return
		}
		h := parseHeaderLines(k1 + "\n" + v1 + "\n" + k2 + "\n" + v2)
		if h.Get(k1) != v1 || h.Get(k2) != v2 || len(h) != 2 {
			t.Fatalf("%q %q %q %q → %v", k1, v1, k2, v2, h)
		}
	})
}

// FuzzScrub: a credential value of the request, or user information in a
// URL, never survives in a message that JS wrote.
func FuzzScrub(f *testing.F) {
	f.Add("TypeError: fetch failed for ", "S3NT1NEL-token", " at http://u:pw@h/x")
	f.Add("", "abcd", "")
	f.Fuzz(func(t *testing.T, before, secret, after string) {
		if len(secret) < 4 || strings.ContainsAny(secret, "\r\n") {
			return
		}
		req, _ := authlib.NewRequest(context.Background(), "GET", "https://h/", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		if got := scrub(before+secret+after, req); strings.Contains(got, secret) {
			t.Fatalf("the secret survived: %q", got)
		}
		if strings.ContainsAny(secret, "/?# \"'") {
			return // not user information as a URL carries it
		}
		msg := before + " http://user:" + secret + "@host/ " + after
		if got := scrubUserinfo(msg); strings.Contains(got, ":"+secret+"@") {
			t.Fatalf("user information survived: %q", got)
		}
	})
}
