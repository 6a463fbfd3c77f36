package authtest

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/authlib-go/authlib/authlib"
)

// replayWindow is how far below the highest nonce-count a count may still
// arrive (concurrent requests overtake each other); a count seen before,
// or older than the window, is a replay.
const replayWindow = 1024

// nonceStore remembers the nonces it issued, bounded: the oldest is
// forgotten first, and a forgotten nonce is answered as stale.
type nonceStore struct {
	mu    sync.Mutex
	max   int
	order []string
	m     map[string]*nonceState
}

type nonceState struct {
	opaque string
	uses   int
	maxNC  uint32
	seen   map[uint32]bool
}

func newNonceStore(max int) *nonceStore {
	return &nonceStore{max: max, m: map[string]*nonceState{}}
}

func random(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *nonceStore) issue() (nonce, opaque string) {
	nonce, opaque = random(24), random(12)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.order) >= s.max {
		delete(s.m, s.order[0])
		s.order = s.order[1:]
	}
	s.order = append(s.order, nonce)
	s.m[nonce] = &nonceState{opaque: opaque, seen: map[uint32]bool{}}
	return nonce, opaque
}

type nonceVerdict int

const (
	nonceOK nonceVerdict = iota
	nonceUnknown
	nonceReplay
	nonceStale
)

// use records one use of nonce with count nc (0 for RFC 2069, which has
// none) and opaque, after the response has been checked.
func (s *nonceStore) use(nonce, opaque string, nc uint32, staleAfter int, strict bool) nonceVerdict {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[nonce]
	if !ok || st.opaque != opaque {
		return nonceUnknown
	}
	if staleAfter > 0 && st.uses >= staleAfter {
		return nonceStale
	}
	if nc != 0 {
		if st.seen[nc] || nc+replayWindow < st.maxNC || strict && nc < st.maxNC {
			return nonceReplay
		}
		st.seen[nc] = true
		if nc > st.maxNC {
			st.maxNC = nc
		}
		for k := range st.seen {
			if k+replayWindow < st.maxNC {
				delete(st.seen, k)
			}
		}
	}
	st.uses++
	return nonceOK
}

type digestEndpoint struct {
	user, passwd string
	qops         []string // offered; empty for RFC 2069
	algs         []authlib.DigestAlgorithm
	userhash     bool
	staleAfter   int
	strictNC     bool
	domain       string // the challenge's domain (RFC 7616 §3.3); "" sends none
}

func (h *Handler) digest(w http.ResponseWriter, r *http.Request) {
	e := digestEndpoint{user: r.PathValue("user"), passwd: r.PathValue("passwd")}
	switch q := r.PathValue("qop"); q {
	case "auth", "auth-int":
		e.qops = []string{q}
	case "auth,auth-int", "auth-int,auth":
		e.qops = strings.Split(q, ",")
	case "none":
	default:
		writeJSON(w, 400, map[string]any{"error": "qop must be auth, auth-int, auth,auth-int or none"})
		return
	}
	algs := r.PathValue("algorithm")
	if algs == "" {
		algs = "MD5"
	}
	for _, a := range strings.Split(algs, ",") {
		alg, ok := authlib.ParseDigestAlgorithm(a)
		if !ok || a == "" {
			writeJSON(w, 400, map[string]any{"error": "unsupported algorithm"})
			return
		}
		e.algs = append(e.algs, alg)
	}
	q := r.URL.Query()
	e.userhash = q.Get("userhash") == "true"
	e.strictNC = q.Get("strict_nc") == "true"
	e.domain = q.Get("domain")
	if s := q.Get("stale_after"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeJSON(w, 400, map[string]any{"error": "stale_after must be a positive count"})
			return
		}
		e.staleAfter = n
	}
	user, verdict, info := h.checkDigest(r, e)
	switch verdict {
	case nonceOK:
		if info != "" {
			w.Header().Set("Authentication-Info", info)
		}
		writeJSON(w, 200, map[string]any{"authenticated": true, "user": user})
		return
	case nonceStale, nonceUnknown:
		h.challengeDigest(w, e, true)
	default:
		h.challengeDigest(w, e, false)
	}
}

func (h *Handler) challengeDigest(w http.ResponseWriter, e digestEndpoint, stale bool) {
	nonce, opaque := h.nonces.issue()
	for _, alg := range e.algs {
		c := authlib.Challenge{Scheme: "Digest", Params: []authlib.Param{{Name: "realm", Value: Realm}}}
		if len(e.qops) > 0 {
			c.Params = append(c.Params, authlib.Param{Name: "qop", Value: strings.Join(e.qops, ", ")})
		}
		c.Params = append(c.Params,
			authlib.Param{Name: "algorithm", Value: string(alg)},
			authlib.Param{Name: "nonce", Value: nonce},
			authlib.Param{Name: "opaque", Value: opaque},
			authlib.Param{Name: "charset", Value: "UTF-8"})
		if e.userhash {
			c.Params = append(c.Params, authlib.Param{Name: "userhash", Value: "true"})
		}
		if e.domain != "" {
			c.Params = append(c.Params, authlib.Param{Name: "domain", Value: e.domain})
		}
		if stale {
			c.Params = append(c.Params, authlib.Param{Name: "stale", Value: "true"})
		}
		w.Header().Add("WWW-Authenticate", c.String())
	}
	writeJSON(w, 401, map[string]any{"authenticated": false})
}

// checkDigest verifies the Authorization field. It returns nonceOK with
// the Authentication-Info to send, nonceUnknown or nonceStale when the
// credentials were right but the nonce is not (stale=true), or
// nonceReplay for anything else.
func (h *Handler) checkDigest(r *http.Request, e digestEndpoint) (string, nonceVerdict, string) {
	c, err := authlib.ParseCredentials(r.Header.Get("Authorization"))
	if err != nil || !c.Is("Digest") {
		return "", nonceReplay, ""
	}
	get := func(n string) string { v, _ := c.Param(n); return v }
	alg := e.algs[0]
	if a, ok := c.Param("algorithm"); ok {
		pa, ok := authlib.ParseDigestAlgorithm(a)
		if !ok || !containsAlg(e.algs, pa) {
			return "", nonceReplay, ""
		}
		alg = pa
	} else if alg != authlib.MD5 {
		return "", nonceReplay, ""
	}
	// The request target as the client sent it (r.RequestURI is kept as
	// received, even under http.StripPrefix).
	target := r.RequestURI
	if target == "" {
		target = r.URL.RequestURI()
	}
	if get("realm") != Realm || get("uri") != target {
		return "", nonceReplay, ""
	}
	// The user: plain, username* (RFC 8187), or hashed.
	userOK := false
	if u, ok := c.Param("username*"); ok {
		d, ok := authlib.DecodeExtValue(u)
		userOK = ok && d == e.user
	} else if strings.EqualFold(get("userhash"), "true") {
		userOK = e.userhash && get("username") == authlib.DigestUserhash(alg, e.user, Realm)
	} else {
		userOK = get("username") == e.user
	}
	if !userOK {
		return "", nonceReplay, ""
	}
	qop := get("qop")
	var nc uint32
	if len(e.qops) == 0 {
		if qop != "" {
			return "", nonceReplay, ""
		}
	} else {
		if !containsStr(e.qops, qop) || get("cnonce") == "" {
			return "", nonceReplay, ""
		}
		n, err := strconv.ParseUint(get("nc"), 16, 32)
		if err != nil || len(get("nc")) != 8 || n == 0 {
			return "", nonceReplay, ""
		}
		nc = uint32(n)
	}
	p := authlib.DigestParams{
		Algorithm: alg, Username: e.user, Realm: Realm, Password: e.passwd,
		Method: r.Method, URI: get("uri"), Nonce: get("nonce"), CNonce: get("cnonce"), NC: nc, QOP: qop,
	}
	if qop == "auth-int" {
		body, _ := readBody(r)
		p.Body = body
	}
	if authlib.DigestResponse(p) != get("response") {
		return "", nonceReplay, ""
	}
	v := h.nonces.use(get("nonce"), get("opaque"), nc, e.staleAfter, e.strictNC)
	if v != nonceOK {
		return "", v, ""
	}
	info := ""
	if qop == "auth" {
		// rspauth: the response computed with an empty method (RFC 7616 §3.5).
		rp := p
		rp.Method = ""
		info = "rspauth=\"" + authlib.DigestResponse(rp) + "\", qop=" + qop +
			", nc=" + get("nc") + ", cnonce=\"" + get("cnonce") + "\""
	}
	return e.user, nonceOK, info
}

func containsAlg(as []authlib.DigestAlgorithm, a authlib.DigestAlgorithm) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
