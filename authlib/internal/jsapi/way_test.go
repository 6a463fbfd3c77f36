package jsapi

import "testing"

// Each kind of call goes the way the fast path is built for, and what
// would need waiting or a second request goes to Go.
func TestACallGoesTheWayItsFactsSay(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    facts
		want way
	}{
		{"Basic in Node: reused, a redirect back to Go", facts{Kind: headersOnly, Node: true, Follow: true}, way{Cache: true, Follow: true}},
		{"Basic in a browser: reused, fetch follows", facts{Kind: headersOnly, Follow: true}, way{Cache: true}},
		{"Basic, redirect manual in Node: the redirect is the answer", facts{Kind: headersOnly, Node: true}, way{Cache: true}},
		{"a path-bound credential: prepared each time", facts{Kind: headersOnly, PathBound: true}, way{}},
		{"a Go timer: Go runs it", facts{Kind: headersOnly, GoTimer: true}, way{GoRuns: true}},
		{"retries: Go runs it", facts{Kind: headersOnly, Retries: true}, way{GoRuns: true}},
		{"Digest without a nonce: Go runs the exchange", facts{Kind: digestKind}, way{GoRuns: true}},
		{"Digest with a nonce: an answer, a 401 back to Go", facts{Kind: digestKind, DigestReady: true, Node: true, Follow: true}, way{Answer: true, Renew: true, Follow: true}},
		{"a signature: prepared each time", facts{Kind: signsEach, Node: true, Follow: true}, way{Follow: true}},
		{"OAuth without a token: Go gets one", facts{Kind: oauthKind}, way{GoRuns: true}},
		{"OAuth with a token: reused, a 401 back to Go", facts{Kind: oauthKind, TokenHeld: true}, way{Cache: true, Renew: true}},
		{"OAuth with a DPoP token: a proof each time", facts{Kind: oauthKind, TokenHeld: true, TokenSigns: true}, way{Renew: true}},
		{"OAuth for a resource path: prepared each time", facts{Kind: oauthKind, TokenHeld: true, PathBound: true}, way{Renew: true}},
		{"an auth function: Go runs it", facts{Kind: goOnly}, way{GoRuns: true}},
	} {
		if got := choose(tc.f); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
