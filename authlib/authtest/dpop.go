package authtest

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// DPoP (RFC 9449) at the mock authorization server and its resources,
// checked with authtest's own reading of the RFC. Both servers require a
// nonce in every proof (§8, §9), each its own: a proof without the
// server's current nonce is answered use_dpop_nonce with one, a 400 at the
// token endpoint and a 401 DPoP challenge at a resource, and counted in
// /stats as dpop:use_dpop_nonce:as and dpop:use_dpop_nonce:rs.
// [Handler.RotateDPoPNonces] issues new ones, as a server does from time
// to time.
type dpopState struct {
	mu    sync.Mutex
	nonce map[string]string // "as", "rs"
	jtis  jtiStore
}

func newDPoPState() *dpopState {
	return &dpopState{nonce: map[string]string{"as": random(16), "rs": random(16)}}
}

// RotateDPoPNonces replaces both servers' DPoP nonces: the next proof
// with an old one is answered use_dpop_nonce.
func (h *Handler) RotateDPoPNonces() {
	h.dpop.mu.Lock()
	h.dpop.nonce["as"], h.dpop.nonce["rs"] = random(16), random(16)
	h.dpop.mu.Unlock()
}

// dpopProof is a proof that passed the checks of §4.3.
type dpopProof struct {
	jkt   string // the RFC 7638 thumbprint of its key
	nonce string
}

// dpopError is why a proof is refused; nonce is true when only the nonce
// was missing or stale.
type dpopError struct {
	why   string
	nonce bool
}

// checkDPoP checks the request's DPoP proof (§4.3) for server ("as" or
// "rs"): one DPoP header; a compact JWS whose header has typ dpop+jwt, alg
// ES256 or EdDSA and a public jwk with which the signature verifies; htm
// the request's method, htu its URL without query and fragment, iat within
// a minute of now, a jti not seen before; ath the hash of accessToken when
// one is given; and the server's current nonce.
func (h *Handler) checkDPoP(r *http.Request, server, accessToken string) (*dpopProof, *dpopError) {
	vals := r.Header.Values("DPoP")
	if len(vals) != 1 {
		return nil, &dpopError{why: "one DPoP header is required"}
	}
	j, err := parseJWS(vals[0])
	if err != nil {
		return nil, &dpopError{why: "the proof: " + err.Error()}
	}
	var claims struct {
		Jti, Htm, Htu, Ath, Nonce string
		Iat                       *float64
	}
	jwk, _ := j.header["jwk"].(map[string]any)
	if json.Unmarshal(j.claims, &claims) != nil || jwk == nil {
		return nil, &dpopError{why: "the claims are not as RFC 9449 §4.2 has them, or there is no jwk"}
	}
	if j.str("typ") != "dpop+jwt" {
		return nil, &dpopError{why: "typ is not dpop+jwt"}
	}
	if a := j.str("alg"); a != "ES256" && a != "EdDSA" {
		return nil, &dpopError{why: "alg is not ES256 or EdDSA"}
	}
	key, jkt, err := publicJWK(jwk)
	if err != nil {
		return nil, &dpopError{why: err.Error()}
	}
	if !j.verify(key) {
		return nil, &dpopError{why: "the signature does not verify with the jwk"}
	}
	now := time.Now()
	switch {
	case claims.Jti == "" || claims.Iat == nil:
		return nil, &dpopError{why: "jti and iat are required"}
	case claims.Htm != r.Method:
		return nil, &dpopError{why: "htm is not the request's method"}
	case claims.Htu != requestURL(r):
		return nil, &dpopError{why: "htu is not the request's URL"}
	case time.Unix(int64(*claims.Iat), 0).Sub(now).Abs() > time.Minute:
		return nil, &dpopError{why: "iat is not within a minute of now"}
	case accessToken != "" && claims.Ath != s256(accessToken):
		return nil, &dpopError{why: "ath is not the access token's hash"}
	case accessToken == "" && claims.Ath != "":
		return nil, &dpopError{why: "ath without an access token"}
	}
	d := h.dpop
	if !d.jtis.fresh(claims.Jti, now) {
		return nil, &dpopError{why: "the jti was used before (a replayed proof)"}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if claims.Nonce != d.nonce[server] {
		return nil, &dpopError{why: "the server's DPoP nonce is required", nonce: true}
	}
	return &dpopProof{jkt: jkt, nonce: claims.Nonce}, nil
}

// asProof checks the DPoP proof of a request to the authorization server
// (the token or PAR endpoint), if it has one, and returns its key's
// thumbprint ("" without a proof); a bad proof, or one without the
// server's nonce, is answered 400 invalid_dpop_proof or use_dpop_nonce
// with the nonce, and ok is false.
func (h *Handler) asProof(w http.ResponseWriter, r *http.Request) (jkt string, ok bool) {
	if r.Header.Get("DPoP") == "" {
		return "", true
	}
	proof, bad := h.checkDPoP(r, "as", "")
	if bad == nil {
		return proof.jkt, true
	}
	w.Header().Set("DPoP-Nonce", h.dpopNonce("as"))
	if bad.nonce {
		h.count("dpop:use_dpop_nonce:as")
		oauthError(w, 400, "use_dpop_nonce", bad.why)
	} else {
		oauthError(w, 400, "invalid_dpop_proof", bad.why)
	}
	return "", false
}

// dpopNonce returns the server's current nonce, for a DPoP-Nonce header.
func (h *Handler) dpopNonce(server string) string {
	h.dpop.mu.Lock()
	defer h.dpop.mu.Unlock()
	return h.dpop.nonce[server]
}

// requestURL is the request's URL as the client addressed it, without
// query and fragment, as htu holds it.
func requestURL(r *http.Request) string {
	return base(r) + r.URL.EscapedPath()
}
