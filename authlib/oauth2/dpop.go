package oauth2

import (
	"context"
	"encoding/base64"
	"github.com/authlib-go/authlib/authlib/internal/hashes"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// DPoP makes DPoP proofs (RFC 9449): JWTs signed with a key the client
// holds, one per request, that bind its tokens to the key. Key signs
// (ecdsa-p256-sha256 as ES256, ed25519 as EdDSA: natively [authlib.NewSigner]
// or [NewDPoP], in wasm a WebCrypto key), and JWK is its public key, which
// each proof carries in its header.
//
// Set as [Config.DPoP], it binds the Config's tokens to the key: token
// requests carry a proof, the authorization URL the key's thumbprint
// (dpop_jkt), and [Auth] sends a DPoP-bound token as Authorization: DPoP
// with a proof, never as Bearer. It keeps the nonce each server last gave
// (DPoP-Nonce, §8 and §9), the authorization server's apart from the
// resource's even on one origin, and sends it in the next proof to that
// server. A DPoP is used by pointer and is safe for concurrent use.
type DPoP struct {
	Key authlib.Signer
	JWK JWK
	// LoadJWK, when JWK is empty, gets it when it is first needed, once:
	// a WebCrypto key's, which WebCrypto exports only asynchronously.
	LoadJWK func(ctx context.Context) (JWK, error)

	// Now returns the time of a proof's iat; nil means time.Now.
	Now func() time.Time

	mu     sync.Mutex
	nonces map[string]string // by server: "as " or "rs " and the origin; "" known to need none
	probes map[string]*probe // resources whose nonce a first request is learning
	loaded *JWK              // LoadJWK's answer
}

// probe is a resource's first request, out to learn the server's nonce:
// the others wait for it (see resourceNonce).
type probe struct {
	req  *authlib.Request // the request Finish will get: as Apply got it, or the one a challenge answers
	done chan struct{}
}

// jwk returns the key's JWK: JWK, or else LoadJWK's.
func (d *DPoP) jwk(ctx context.Context) (JWK, error) {
	if d.JWK.Kty != "" || d.LoadJWK == nil {
		return d.JWK, nil
	}
	d.mu.Lock()
	k := d.loaded
	d.mu.Unlock()
	if k != nil {
		return *k, nil
	}
	j, err := d.LoadJWK(ctx)
	if err != nil {
		return JWK{}, err
	}
	d.mu.Lock()
	d.loaded = &j
	d.mu.Unlock()
	return j, nil
}

// nonce returns the nonce the server last gave; server is "as" (the
// authorization server) or "rs" (a resource).
func (d *DPoP) nonce(server string, u *url.URL) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.nonces[server+" "+authlib.Origin(u)]
}

// keepNonce keeps a DPoP-Nonce the server sent. A value that is not a
// nonce (RFC 9449 §8.1: 1*NQCHAR) is ignored.
func (d *DPoP) keepNonce(server string, u *url.URL, nonce string) {
	if nonce == "" || !printable(nonce) || strings.ContainsAny(nonce, "\" \\") {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.nonces == nil {
		d.nonces = map[string]string{}
	}
	if len(d.nonces) >= 64 { // a bound, not a cache: any server may be forgotten
		clear(d.nonces)
	}
	key := server + " " + authlib.Origin(u)
	d.nonces[key] = nonce
	d.endProbe(key, nil)
}

// resourceNonce returns the nonce to send to the resource at u, as nonce
// does, except while the server's is not known yet: then the first
// request goes without one to learn it (prober; the Finish of req, the
// request the Client will finish, ends that), and
// concurrent ones wait for what it learns, as concurrent first Digest
// requests wait for one challenge (a server that requires a nonce would
// refuse each of them once, §9). In a context of [authlib.NoWait] a
// request that would wait, or would learn, gets [authlib.ErrWouldWait].
func (d *DPoP) resourceNonce(ctx context.Context, u *url.URL, req *authlib.Request) (nonce string, prober bool, err error) {
	key := "rs " + authlib.Origin(u)
	for {
		d.mu.Lock()
		n, known := d.nonces[key]
		p := d.probes[key]
		switch {
		case known:
			d.mu.Unlock()
			return n, false, nil
		case !authlib.CanWait(ctx):
			d.mu.Unlock()
			return "", false, authlib.ErrWouldWait
		case p == nil:
			if d.probes == nil {
				d.probes = map[string]*probe{}
			}
			d.probes[key] = &probe{req: req, done: make(chan struct{})}
			d.mu.Unlock()
			return "", true, nil
		}
		d.mu.Unlock()
		// No timer (in wasm a Go timer keeps Node alive until it fires):
		// the Client calls Finish for every request Apply saw, so a probe
		// always ends.
		select {
		case <-p.done: // learned, or the prober failed: look again
		case <-ctx.Done():
			return "", false, &authlib.Error{Kind: ctxKind(context.Cause(ctx)), Op: "oauth2 dpop", Detail: "waiting for the resource's DPoP nonce", Err: context.Cause(ctx)}
		}
	}
}

// finishProbe ends the probe req was, if it was one: with res, an answer
// that is not a nonce challenge, the server's nonce is known (none, when
// it sent none); without one (the request failed, or was only prepared)
// the next request learns it.
func (d *DPoP) finishProbe(req *authlib.Request, res *authlib.Response) {
	key := "rs " + authlib.Origin(req.URL)
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.probes[key]
	if p == nil || p.req != req {
		return
	}
	if _, known := d.nonces[key]; !known && res != nil && res.Request != nil && res.Request.Header.Get("DPoP") != "" && !challenged(res, "DPoP", "use_dpop_nonce") {
		if d.nonces == nil {
			d.nonces = map[string]string{}
		}
		d.nonces[key] = "" // it answered a proof without a nonce: it needs none
	}
	d.endProbe(key, nil)
}

// endProbe lets the requests waiting on key's probe go (only req's, when
// req is not nil). d.mu is held.
func (d *DPoP) endProbe(key string, req *authlib.Request) {
	if p := d.probes[key]; p != nil && (req == nil || p.req == req) {
		close(p.done)
		delete(d.probes, key)
	}
}

// proofNonce returns the nonce claim of a proof this package made, or "".
func proofNonce(proof string) string {
	_, rest, _ := strings.Cut(proof, ".")
	claims, _, _ := strings.Cut(rest, ".")
	b, err := base64.RawURLEncoding.DecodeString(claims)
	if err != nil {
		return ""
	}
	m, _ := parseObject(string(b))
	return m.str("nonce")
}

// thumbprint is the key's RFC 7638 thumbprint, the jkt of its tokens.
func (d *DPoP) thumbprint(ctx context.Context) (string, error) {
	j, err := d.jwk(ctx)
	if err != nil {
		return "", err
	}
	return j.Thumbprint()
}

// htuOrigin is a URL's scheme and host as a proof's htu has them: lower
// case, without a default port (authlib.Origin writes the port out).
func htuOrigin(u *url.URL) string {
	host := lowerASCII(u.Host)
	if u.Scheme == "https" {
		host = strings.TrimSuffix(host, ":443")
	} else {
		host = strings.TrimSuffix(host, ":80")
	}
	return lowerASCII(u.Scheme) + "://" + host
}

// Proof returns the DPoP proof (the DPoP header's value) for a request
// with method to target: htm the method, htu the target without its query
// and fragment (§4.2), iat now and a jti unique to the proof; ath, the
// hash of accessToken, when one goes with the request (a resource
// request, §7.1); nonce when the server gave one (§8, §9). Nothing in it
// is secret: the access token is only hashed.
func (d *DPoP) Proof(ctx context.Context, method, target, accessToken, nonce string) (string, error) {
	const op = "oauth2 dpop"
	if d.Key == nil {
		return "", &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: op, Detail: "DPoP needs a key"}
	}
	var alg string
	switch d.Key.Algorithm() {
	case "ecdsa-p256-sha256":
		alg = "ES256"
	case "ed25519":
		alg = "EdDSA"
	default:
		return "", &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: op, Detail: "a DPoP key is ECDSA P-256 (ES256) or Ed25519 (EdDSA)"}
	}
	key, err := d.jwk(ctx)
	if err != nil {
		return "", err
	}
	jwk, err := key.JSON()
	if err != nil {
		return "", err
	}
	u, err := authlib.ParseURL(target)
	if err != nil {
		return "", err
	}
	htu := *u
	htu.RawQuery, htu.ForceQuery, htu.Fragment, htu.RawFragment, htu.User = "", false, "", "", nil
	// As fetch and servers normalise it (RFC 3986 §6.2.2, §6.2.3): the
	// scheme and host in lower case, no default port.
	htu.Scheme, htu.Host, _ = strings.Cut(htuOrigin(u), "://")
	target = htu.String() // printable ASCII (escaped), which strconv.Quote writes as JSON does
	if !printable(target) || !printable(method) || !printable(nonce) || strings.ContainsAny(method+nonce, `"\`) {
		return "", &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: op, Detail: "the method, the URL or the server's nonce cannot go in a proof"}
	}
	if method == "" {
		return "", &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: op, Detail: "a proof needs the request's method"}
	}
	var jti [16]byte
	authlib.Random(jti[:])
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	header := `{"typ":"dpop+jwt","alg":"` + alg + `","jwk":` + jwk + `}`
	claims := `{"jti":"` + base64.RawURLEncoding.EncodeToString(jti[:]) + `","htm":"` + method +
		`","htu":` + strconv.Quote(target) + `,"iat":` + strconv.FormatInt(now().Unix(), 10)
	if accessToken != "" {
		sum := hashes.Sum(hashes.NewSHA256, []byte(accessToken))
		claims += `,"ath":"` + base64.RawURLEncoding.EncodeToString(sum[:]) + `"`
	}
	if nonce != "" {
		claims += `,"nonce":"` + nonce + `"`
	}
	claims += "}"
	input := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString([]byte(claims))
	sig, err := d.Key.Sign(ctx, []byte(input))
	if err != nil {
		return "", &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: op, Detail: "the key could not sign the proof", Err: err}
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// lowerASCII lowers ASCII letters only (a host is compared as DNS does,
// never by Unicode case folding).
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
