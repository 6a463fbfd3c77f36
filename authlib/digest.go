package authlib

import (
	"context"
	"encoding/hex"
	"fmt"
	"github.com/authlib-go/authlib/authlib/internal/ascii"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// Digest is HTTP Digest access authentication (RFC 7616; requests'
// HTTPDigestAuth): SHA-512-256, SHA-256, SHA-512, SHA (SHA-1) and MD5 with
// their -sess variants, qop auth and auth-int, the RFC 2069 form without
// qop, userhash, and opaque echoed.
//
// A Digest keeps the server's nonce between requests, per origin (per
// protection space when the challenge names a domain: RFC 7616 §3.3; a
// path outside every space it knows gets no credentials until the server
// asks), and counts its uses, so N requests through one Digest cost N+1 exchanges,
// not 2N, concurrent ones included: while the first request to an origin
// learns the challenge, the others wait for it. No nonce-count is ever sent
// twice for one nonce. A response with stale=true is answered once more
// with the new nonce, and so is a refusal that may come from requests
// overtaking each other (the server saw a higher count of the same nonce
// first). Among several challenges it picks the strongest algorithm it
// supports.
//
// A username that is not ASCII goes as username* (RFC 8187) when the
// challenge says charset=UTF-8, hashed when it offers userhash, and
// otherwise as its UTF-8 bytes, as curl sends it and as Apache httpd
// expects it.
//
// A Digest is safe for concurrent use; copies of it share the nonce.
type Digest struct {
	Username string // as typed: authlib hashes or encodes it as the challenge asks
	Password string

	// Proxy makes it answer 407 and Proxy-Authenticate with
	// Proxy-Authorization, for a proxy that asks for Digest.
	Proxy bool

	// CNonce returns a fresh client nonce; nil means 16 random bytes in
	// hex. Tests inject it to reproduce the RFC's examples.
	CNonce func() string

	cell *digestCell // the shared state, made on first use
}

// Bounds on what a Digest remembers.
const (
	digestMaxSpaces = 16 // origins
	digestMaxNonces = 64 // nonces per origin
)

// digestCell holds what a Digest learns from challenges. It sits behind a
// pointer so that Digest holds no lock and can be printed, and copied, by
// value.
type digestCell struct {
	mu     sync.Mutex
	spaces map[string]*digestSpace // by origin
	order  []string                // origins, oldest first
}

// digestSpace is what a Digest knows of one origin.
type digestSpace struct {
	current *digestNonce            // what Apply answers with; nil before any answer was sent
	nonces  map[string]*digestNonce // the nonces answered lately, by value, so that counts stay unique
	order   []string                // those nonces, oldest first
	probe   *Request                // the request that went without credentials to learn the challenge
	probed  chan struct{}           // closed when the probe has its answer
	open    bool                    // the last probe met no challenge: send without waiting
}

// digestNonce is one challenge being answered, and how often.
type digestNonce struct {
	realm     string
	nonce     string
	opaque    string
	algorithm DigestAlgorithm
	echoAlg   bool
	qop       string
	userhash  bool
	utf8      bool     // the challenge said charset=UTF-8
	domain    []string // the protection space's paths on this origin (RFC 7616 §3.3); nil: all of it
	nc        uint32   // the highest count handed out
	cnonce    string   // the -sess variants keep one cnonce per nonce
}

// covers reports whether a request to path (escaped) is in n's protection
// space: under one of its domain's paths, or anywhere when it names none.
func (n *digestNonce) covers(path string) bool {
	if n.domain == nil {
		return true
	}
	for _, d := range n.domain {
		if path == d || strings.HasPrefix(path, strings.TrimSuffix(d, "/")+"/") {
			return true
		}
	}
	return false
}

// answering returns the nonce to answer a request to path with: the
// current one if path is in its protection space, or else the latest
// nonce remembered whose space holds path; nil if none does.
func (sp *digestSpace) answering(path string) *digestNonce {
	if sp.current == nil || sp.current.covers(path) {
		return sp.current
	}
	for i := len(sp.order) - 1; i >= 0; i-- {
		if n := sp.nonces[sp.order[i]]; n.covers(path) {
			return n
		}
	}
	return nil
}

// domainPaths returns the paths on origin of a challenge's domain, a
// space-separated list of URIs (RFC 7616 §3.3): path-absolute ones as
// they are, absolute ones on origin by their path ("/" for the origin
// itself). Nil, the whole origin, when it names nothing here.
func domainPaths(domain string, base *url.URL) []string {
	var out []string
	for _, f := range strings.Fields(domain) {
		u, err := base.Parse(f)
		if err != nil || Origin(u) != Origin(base) {
			continue
		}
		p := u.EscapedPath()
		if p == "" {
			p = "/" // an origin names all of it
		}
		out = append(out, p)
	}
	return out
}

// cellMu guards the creation of every Digest's cell; it is held only for
// that instant.
var cellMu sync.Mutex

func (d *Digest) shared() *digestCell {
	cellMu.Lock()
	defer cellMu.Unlock()
	if d.cell == nil {
		d.cell = &digestCell{spaces: map[string]*digestSpace{}}
	}
	return d.cell
}

// space returns the state of origin, made on first use; the oldest origin
// that no request waits on is forgotten past digestMaxSpaces. c.mu is held.
func (c *digestCell) space(origin string) *digestSpace {
	if sp := c.spaces[origin]; sp != nil {
		return sp
	}
	if len(c.order) >= digestMaxSpaces {
		for i, o := range c.order {
			if c.spaces[o].probe == nil {
				delete(c.spaces, o)
				c.order = append(c.order[:i:i], c.order[i+1:]...)
				break
			}
		}
	}
	sp := &digestSpace{nonces: map[string]*digestNonce{}}
	c.spaces[origin] = sp
	c.order = append(c.order, origin)
	return sp
}

// remember records n, forgetting the oldest nonce but the current one past
// digestMaxNonces.
func (sp *digestSpace) remember(n *digestNonce) {
	if len(sp.order) >= digestMaxNonces {
		for i, v := range sp.order {
			if sp.nonces[v] != sp.current {
				delete(sp.nonces, v)
				sp.order = append(sp.order[:i:i], sp.order[i+1:]...)
				break
			}
		}
	}
	sp.nonces[n.nonce] = n
	sp.order = append(sp.order, n.nonce)
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
	return "WWW-Authenticate", "Authorization", 401
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

// Apply answers the origin's current nonce again, with the next
// nonce-count. Before any challenge from the origin it sets nothing and
// lets the server ask; while another request is doing that, it waits until
// that request's challenge has been answered, or it has ended (see
// [Digest.Finish]), or req's context ends.
func (d *Digest) Apply(req *Request) error {
	if err := d.check(); err != nil {
		return err
	}
	c := d.shared()
	origin := req.Origin()
	for {
		c.mu.Lock()
		sp := c.space(origin)
		if n := sp.answering(req.URL.EscapedPath()); n != nil {
			n.nc++
			p := d.params(n, n.nc, req)
			c.mu.Unlock()
			_, h, _ := d.headers()
			req.Header.Set(h, digestCredentials(p, n))
			return nil
		}
		if sp.current != nil {
			// Outside every protection space known here: the server asks
			// if it wants to (RFC 7616 §3.3).
			c.mu.Unlock()
			return nil
		}
		if sp.open || sp.probe == nil {
			if !sp.open {
				sp.probe, sp.probed = req, make(chan struct{})
			}
			c.mu.Unlock()
			return nil
		}
		wait := sp.probed
		c.mu.Unlock()
		select {
		case <-wait:
		case <-req.Context().Done():
			return ctxError(req, context.Cause(req.Context()))
		}
	}
}

// Ready reports whether Apply would set credentials for a request to
// origin at once: a nonce from that origin is held, so Apply neither waits
// for another request's challenge nor lets the server ask. A caller that
// must not wait (a synchronous JS callback) checks it first.
func (d *Digest) Ready(origin string) bool {
	c := d.shared()
	c.mu.Lock()
	defer c.mu.Unlock()
	sp := c.spaces[origin]
	return sp != nil && sp.current != nil
}

// Challenge answers a 401 (407 when Proxy) that carries a Digest challenge
// it supports. The first challenge of a request is always answered; a
// second only when it says stale=true, or when another request has since
// sent a higher count of the nonce this one answered with, so the server
// may have refused this one for arriving late. Otherwise the credentials
// were wrong and the response is the answer.
func (d *Digest) Challenge(req *Request, res *Response, round int) (bool, error) {
	chName, credName, status := d.headers()
	if res.StatusCode != status {
		return false, nil
	}
	if err := d.check(); err != nil {
		return false, err
	}
	cs, perr := ParseChallenges(res.Header.Values(chName)...)
	if len(cs) == 0 && perr == nil && res.HeadersHidden {
		return false, &Error{Kind: ErrUnsupportedChallenge, Op: d.op(), Detail: "no challenge is visible: the response is cross-origin, and the browser shows scripts only the headers the server exposes; the server must list " + chName + " in Access-Control-Expose-Headers"}
	}
	ch, alg, qop, err := chooseDigest(cs, d.op())
	if err != nil {
		if perr != nil {
			e := *perr.(*Error)
			e.Op = d.op()
			return false, &e
		}
		return false, err
	}
	stale, _ := ch.Param("stale")
	realm, _ := ch.Param("realm")
	nonce, _ := ch.Param("nonce")
	opaque, _ := ch.Param("opaque")
	_, echoAlg := ch.Param("algorithm")
	uh, _ := ch.Param("userhash")
	charset, _ := ch.Param("charset")
	domain, _ := ch.Param("domain")

	c := d.shared()
	c.mu.Lock()
	sp := c.space(req.Origin())
	if round > 0 && !ascii.EqualFold(stale, "true") && !sp.overtaken(res.Request, credName) {
		c.mu.Unlock()
		return false, nil
	}
	sp.open = false
	n := sp.nonces[nonce]
	if n == nil {
		n = &digestNonce{nonce: nonce}
		sp.remember(n)
	}
	if n.realm != realm || n.algorithm != alg || n.opaque != opaque {
		n.cnonce = d.newCNonce() // the count goes on: it is the nonce's
	}
	n.realm, n.opaque, n.algorithm, n.echoAlg, n.qop = realm, opaque, alg, echoAlg, qop
	n.userhash = ascii.EqualFold(uh, "true")
	n.utf8 = ascii.EqualFold(charset, "UTF-8")
	n.domain = domainPaths(domain, req.URL)
	n.nc++
	p := d.params(n, n.nc, req)
	if sp.current == nil {
		// The origin's first challenge: the requests waiting for it go on
		// with the next counts of the same nonce.
		sp.current = n
		sp.release()
	}
	c.mu.Unlock()
	req.Header.Set(credName, digestCredentials(p, n))
	return true, nil
}

// release ends the probe and wakes the requests waiting for it. The lock
// is held.
func (sp *digestSpace) release() {
	if sp.probe != nil {
		sp.probe = nil
		close(sp.probed)
	}
}

// Finish makes the nonce that req's last answer used the origin's current
// one (or the nextnonce its response gave), so that the requests after it
// need no challenge; and, when req went to learn the challenge and met
// none, lets the requests waiting for it go.
func (d *Digest) Finish(req *Request, res *Response) {
	_, credName, _ := d.headers()
	c := d.shared()
	c.mu.Lock()
	defer c.mu.Unlock()
	sp := c.space(req.Origin())
	if res != nil && res.Request != nil {
		if n, _ := sp.sentCount(res.Request, credName); n != nil {
			sp.current = n
			if next := d.nextNonce(n, res); next != nil {
				if known := sp.nonces[next.nonce]; known != nil {
					next = known
				} else {
					sp.remember(next)
				}
				sp.current = next
			}
		}
	}
	if sp.probe == req {
		// A probe that met no challenge (the resource is open, or it
		// failed) lets the waiting requests go as they are: all of them
		// when the resource is open, the next one as the new probe when
		// the request failed.
		sp.open = res != nil
		sp.release()
	}
}

// nextNonce returns the nonce that res's Authentication-Info (RFC 7616
// §3.5) gives for the requests after it, or nil.
func (d *Digest) nextNonce(n *digestNonce, res *Response) *digestNonce {
	name := "Authentication-Info"
	if d.Proxy {
		name = "Proxy-Authentication-Info"
	}
	v := res.Header.Get(name)
	if v == "" {
		return nil
	}
	ps, err := ParseAuthInfo(v)
	if err != nil {
		return nil
	}
	for _, p := range ps {
		if p.Name == "nextnonce" && p.Value != "" && p.Value != n.nonce {
			next := *n
			next.nonce, next.nc, next.cnonce = p.Value, 0, d.newCNonce()
			return &next
		}
	}
	return nil
}

// sentCount returns the nonce whose answer r carries in credName, if
// known, and the count it was sent with. The lock is held.
func (sp *digestSpace) sentCount(r *Request, credName string) (*digestNonce, uint32) {
	if r == nil {
		return nil, 0
	}
	v := r.Header.Get(credName)
	if v == "" {
		return nil, 0
	}
	cr, err := ParseCredentials(v)
	if err != nil || !cr.Is("Digest") {
		return nil, 0
	}
	nonce, _ := cr.Param("nonce")
	n := sp.nonces[nonce]
	if n == nil {
		return nil, 0
	}
	nc, _ := cr.Param("nc")
	count, err := strconv.ParseUint(nc, 16, 32)
	if err != nil {
		return n, 0
	}
	return n, uint32(count)
}

// overtaken reports whether another request has sent a higher count of
// the nonce r answered with: a server that refuses counts lower than one
// it has seen may have refused r for that alone. A nonce forgotten since
// (digestMaxNonces newer ones came) counts as overtaken too: only many
// concurrent requests make so many. The lock is held.
func (sp *digestSpace) overtaken(r *Request, credName string) bool {
	if r == nil {
		return false
	}
	n, count := sp.sentCount(r, credName)
	if n == nil {
		cr, err := ParseCredentials(r.Header.Get(credName))
		_, hasNC := cr.Param("nc")
		return err == nil && cr.Is("Digest") && hasNC
	}
	return count != 0 && n.nc > count
}

// params fills in the response inputs for req; for the non-sess
// algorithms each request gets a fresh cnonce.
func (d *Digest) params(n *digestNonce, nc uint32, req *Request) DigestParams {
	cn := n.cnonce
	if !n.algorithm.Sess() && nc > 1 || cn == "" {
		cn = d.newCNonce()
	}
	p := DigestParams{
		Algorithm: n.algorithm, Username: d.Username, Realm: n.realm, Password: d.Password,
		Method: req.Method, URI: req.RequestURI(), Nonce: n.nonce, QOP: n.qop, NC: nc, CNonce: cn,
	}
	if n.qop == "auth-int" {
		p.Body = req.Body
	}
	if n.qop == "" {
		p.CNonce, p.NC = "", 0
	}
	return p
}

func (d *Digest) newCNonce() string {
	if d.CNonce != nil {
		return d.CNonce()
	}
	var b [16]byte
	Random(b[:])
	return hex.EncodeToString(b[:])
}

// chooseDigest picks the strongest usable Digest challenge, and its qop:
// auth when offered, else auth-int, else none (RFC 2069).
func chooseDigest(cs []Challenge, op string) (Challenge, DigestAlgorithm, string, error) {
	var best Challenge
	var bestAlg DigestAlgorithm
	bestQOP := ""
	var offered []string
	reason, kind := "", ErrUnsupportedChallenge // why the last Digest challenge could not be used
	for _, c := range cs {
		if !c.Is("Digest") {
			offered = append(offered, c.Scheme)
			continue
		}
		_, okR := c.Param("realm")
		nonce, okN := c.Param("nonce")
		if !okR || !okN || nonce == "" {
			reason, kind = "the Digest challenge lacks realm or nonce", ErrMalformedChallenge
			continue
		}
		a, _ := c.Param("algorithm")
		alg, ok := ParseDigestAlgorithm(a)
		if !ok {
			reason, kind = "the server asks for Digest algorithm "+quote(a)+", which authlib does not support", ErrUnsupportedChallenge
			continue
		}
		qop, ok := chooseQOP(c)
		if !ok {
			reason, kind = "the server asks for a Digest qop that authlib does not support", ErrUnsupportedChallenge
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
	return Challenge{}, "", "", &Error{Kind: kind, Op: op, Detail: reason}
}

func chooseQOP(c Challenge) (string, bool) {
	q, ok := c.Param("qop")
	if !ok {
		return "", true
	}
	hasAuth, hasInt := false, false
	for _, o := range strings.Split(q, ",") {
		switch ascii.Lower(strings.TrimSpace(o)) {
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
