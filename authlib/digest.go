package authlib

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
)

// Digest is HTTP Digest access authentication (RFC 7616; requests'
// HTTPDigestAuth): MD5, SHA-256 and SHA-512-256 with their -sess variants,
// qop auth and auth-int, the RFC 2069 form without qop, userhash, and
// opaque echoed.
//
// A Digest keeps the server's nonce between requests and counts its uses,
// so N requests through one Digest cost N+1 exchanges, not 2N. A response
// with stale=true is answered once more with the new nonce. Among several
// challenges it picks the strongest algorithm it supports. A Digest is safe
// for concurrent use; copies of it share the nonce.
type Digest struct {
	Username string
	Password string

	// Proxy makes it answer 407 and Proxy-Authenticate with
	// Proxy-Authorization, for a proxy that asks for Digest.
	Proxy bool

	// CNonce returns a fresh client nonce; nil means 16 random bytes in
	// hex. Tests inject it to reproduce the RFC's examples.
	CNonce func() string

	cell *digestCell // the shared state, made on first use
}

// digestCell holds what a Digest learns from challenges. It sits behind a
// pointer so that Digest holds no lock and can be printed, and copied, by
// value.
type digestCell struct {
	mu    sync.Mutex
	state *digestState
}

// cellMu guards the creation of every Digest's cell; it is held only for
// that instant.
var cellMu sync.Mutex

func (d *Digest) shared() *digestCell {
	cellMu.Lock()
	defer cellMu.Unlock()
	if d.cell == nil {
		d.cell = &digestCell{}
	}
	return d.cell
}

// digestState is the challenge being reused, and how often.
type digestState struct {
	origin    string
	realm     string
	nonce     string
	opaque    string
	algorithm DigestAlgorithm
	echoAlg   bool
	qop       string
	userhash  bool
	nc        uint32
	cnonce    string // the -sess variants keep one cnonce per nonce
}

// Format masks the password. It has a value receiver so that a Digest
// printed by value (as a field of another struct) is masked too.
func (d Digest) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.Digest", "Username", printableUser(d.Username), "Password", "[redacted]")
}

func (d Digest) op() string {
	if d.Proxy {
		return "proxy digest"
	}
	return "digest"
}

func (d *Digest) headers() (challenge, credentials string, status int) {
	if d.Proxy {
		return "Proxy-Authenticate", "Proxy-Authorization", 407
	}
	return "Www-Authenticate", "Authorization", 401
}

func (d *Digest) check() error {
	if r := checkCredential("the username", d.Username); r != "" {
		return credentialError(d.op(), r)
	}
	if r := checkCredential("the password", d.Password); r != "" {
		return credentialError(d.op(), r)
	}
	return nil
}

// Apply answers the last challenge again, with the next nonce-count, when
// the request goes to the origin that sent it; before any challenge it sets
// nothing and lets the server ask.
func (d *Digest) Apply(req *Request) error {
	if err := d.check(); err != nil {
		return err
	}
	c := d.shared()
	c.mu.Lock()
	s := c.state
	if s == nil || s.origin != req.Origin() {
		c.mu.Unlock()
		return nil
	}
	s.nc++
	p := d.params(s, req)
	c.mu.Unlock()
	_, h, _ := d.headers()
	req.Header.Set(h, digestCredentials(p, s.opaque, s.echoAlg, s.userhash))
	return nil
}

// Challenge answers a 401 (407 when Proxy) that carries a Digest challenge
// it supports. The first challenge of a request is always answered; a
// second only when it says stale=true, since otherwise the credentials were
// wrong and the response is the answer.
func (d *Digest) Challenge(req *Request, res *Response, round int) (bool, error) {
	chName, credName, status := d.headers()
	if res.StatusCode != status {
		return false, nil
	}
	if err := d.check(); err != nil {
		return false, err
	}
	cs, err := ParseChallenges(res.Header.Values(chName)...)
	if err != nil {
		return false, err
	}
	c, alg, qop, err := chooseDigest(cs, d.op())
	if err != nil {
		return false, err
	}
	stale, _ := c.Param("stale")
	if round > 0 && !strings.EqualFold(stale, "true") {
		return false, nil
	}
	realm, _ := c.Param("realm")
	nonce, _ := c.Param("nonce")
	opaque, _ := c.Param("opaque")
	_, echoAlg := c.Param("algorithm")
	uh, _ := c.Param("userhash")
	s := &digestState{
		origin: req.Origin(), realm: realm, nonce: nonce, opaque: opaque,
		algorithm: alg, echoAlg: echoAlg, qop: qop, userhash: strings.EqualFold(uh, "true"),
		nc: 1, cnonce: d.newCNonce(),
	}
	p := d.params(s, req)
	cell := d.shared()
	cell.mu.Lock()
	cell.state = s
	cell.mu.Unlock()
	req.Header.Set(credName, digestCredentials(p, s.opaque, s.echoAlg, s.userhash))
	return true, nil
}

// params fills in the response inputs for req; for the non-sess
// algorithms each request gets a fresh cnonce.
func (d *Digest) params(s *digestState, req *Request) DigestParams {
	cn := s.cnonce
	if !s.algorithm.Sess() && s.nc > 1 {
		cn = d.newCNonce()
	}
	p := DigestParams{
		Algorithm: s.algorithm, Username: d.Username, Realm: s.realm, Password: d.Password,
		Method: req.Method, URI: req.RequestURI(), Nonce: s.nonce, QOP: s.qop, NC: s.nc, CNonce: cn,
	}
	if s.qop == "auth-int" {
		p.Body = req.Body
	}
	if s.qop == "" {
		p.CNonce, p.NC = "", 0
	}
	return p
}

func (d *Digest) newCNonce() string {
	if d.CNonce != nil {
		return d.CNonce()
	}
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// chooseDigest picks the strongest usable Digest challenge, and its qop:
// auth when offered, else auth-int, else none (RFC 2069).
func chooseDigest(cs []Challenge, op string) (Challenge, DigestAlgorithm, string, error) {
	var best Challenge
	var bestAlg DigestAlgorithm
	bestQOP := ""
	var offered []string
	reason := ""
	for _, c := range cs {
		if !c.Is("Digest") {
			offered = append(offered, c.Scheme)
			continue
		}
		_, okR := c.Param("realm")
		nonce, okN := c.Param("nonce")
		if !okR || !okN || nonce == "" {
			reason = "the Digest challenge lacks realm or nonce"
			continue
		}
		a, _ := c.Param("algorithm")
		alg, ok := ParseDigestAlgorithm(a)
		if !ok {
			reason = "the server asks for Digest algorithm " + quote(a) + ", which authlib does not support"
			continue
		}
		qop, ok := chooseQOP(c)
		if !ok {
			reason = "the server asks for a Digest qop that authlib does not support"
			continue
		}
		if bestAlg == "" || alg.strength() > bestAlg.strength() {
			best, bestAlg, bestQOP = c, alg, qop
		}
	}
	if bestAlg != "" {
		return best, bestAlg, bestQOP, nil
	}
	if reason == "" {
		if len(offered) == 0 {
			reason = "the server sent no challenge"
		} else {
			reason = "the server asks for " + strings.Join(offered, ", ") + ", not Digest"
		}
		return Challenge{}, "", "", &Error{Kind: ErrUnsupportedChallenge, Op: op, Detail: reason}
	}
	kind := ErrUnsupportedChallenge
	if strings.Contains(reason, "lacks") {
		kind = ErrMalformedChallenge
	}
	return Challenge{}, "", "", &Error{Kind: kind, Op: op, Detail: reason}
}

func chooseQOP(c Challenge) (string, bool) {
	q, ok := c.Param("qop")
	if !ok {
		return "", true
	}
	hasAuth, hasInt := false, false
	for _, o := range strings.Split(q, ",") {
		switch strings.ToLower(strings.TrimSpace(o)) {
		case "auth":
			hasAuth = true
		case "auth-int":
			hasInt = true
		}
	}
	switch {
	case hasAuth:
		return "auth", true
	case hasInt:
		return "auth-int", true
	}
	return "", false
}
