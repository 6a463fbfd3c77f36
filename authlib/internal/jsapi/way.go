package jsapi

// A call of the JS API goes one of four ways: Go's Client runs it from
// start to end, or prepare answers with the request for JS to send, which
// JS then sends again as it is (reuse), asks Go to prepare anew each time
// (a signature), or sends with a new Digest answer from answer(). way
// decides which from what the call is, and nothing else; the JS-facing
// code gathers the facts. It is pure, and tested natively.

// A kind is what a call's scheme is to the way it goes.
type kind uint8

const (
	// headersOnly: none, Basic, Bearer, a header, proxy Basic, netrc: the
	// same headers every time, and no challenge to answer.
	headersOnly kind = iota
	// digestKind: a challenge, then an answer per request, counting the
	// nonce.
	digestKind
	// signsEach: a signature per request that Go makes without waiting:
	// AWS SigV4 with its keys given, OAuth 1.0a but in a form body, RFC
	// 9421.
	signsEach
	// oauthKind: an OAuth token: a Bearer (or a DPoP proof per request)
	// while one is held, a token request else.
	oauthKind
	// goOnly: what waits for JS or changes the body (an auth function, AWS
	// SigV4 with a credentials function, OAuth 1.0a in a form body).
	goOnly
)

// facts are what decides a call's way.
type facts struct {
	Kind        kind
	Node        bool // Node's fetch: redirect "manual", a redirect is the Client's to follow
	Follow      bool // the caller follows redirects (not redirect: "manual")
	GoTimer     bool // a timeout Go keeps: the runtime has no AbortSignal.timeout and .any
	Retries     bool // retries asked for
	TokenHeld   bool // oauthKind: a token that can be sent now
	TokenSigns  bool // oauthKind: the token is DPoP-bound (a proof per request)
	DigestReady bool // digestKind: a nonce is held for the URL's origin
	PathBound   bool // the credentials are for some paths of the origin only
}

// A way is how a call goes: Go runs it, or prepare answers with the
// request and these flags (the wire fields of the same names).
type way struct {
	GoRuns bool // prepare declines: Go's Client runs the call
	Cache  bool // JS may send the same request again to this origin (reuse)
	Answer bool // a Digest answer: a repeat gets its Authorization from answer()
	Renew  bool // a 401 comes back to Go: a token to renew, a challenge to answer
	Follow bool // a redirect comes back to Go to follow
}

// choose decides a call's way from its facts.
func choose(f facts) way {
	switch {
	case f.GoTimer || f.Retries: // a Go timer, or more than one request
		return way{GoRuns: true}
	case f.Kind == goOnly:
		return way{GoRuns: true}
	case f.Kind == oauthKind && !f.TokenHeld: // a token request first: it waits
		return way{GoRuns: true}
	case f.Kind == digestKind && !f.DigestReady: // the Client runs the exchange
		return way{GoRuns: true}
	}
	w := way{Follow: f.Node && f.Follow}
	switch f.Kind {
	case digestKind:
		w.Answer, w.Renew = true, true
	case oauthKind:
		w.Renew = true
		w.Cache = !f.TokenSigns && !f.PathBound // a DPoP proof is for one request
	case headersOnly:
		// A credential bound to a path applies to some of the origin's URLs
		// only: each is prepared.
		w.Cache = !f.PathBound
	}
	return w
}
