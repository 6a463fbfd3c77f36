package authtest

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
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
	mu     sync.Mutex
	nonce  map[string]string    // "as", "rs"
	jtis   map[string]time.Time // jti → when seen
	oldest time.Time
}

func newDPoPState() *dpopState {
	return &dpopState{nonce: map[string]string{"as": random(16), "rs": random(16)}, jtis: map[string]time.Time{}}
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
	parts := strings.Split(vals[0], ".")
	if len(parts) != 3 {
		return nil, &dpopError{why: "the proof is not a compact JWS"}
	}
	var raw [3][]byte
	for i, p := range parts {
		b, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil {
			return nil, &dpopError{why: "the proof is not base64url"}
		}
		raw[i] = b
	}
	var head struct {
		Typ, Alg string
		JWK      map[string]any
	}
	var claims struct {
		Jti, Htm, Htu, Ath, Nonce string
		Iat                       *float64
	}
	if json.Unmarshal(raw[0], &head) != nil || json.Unmarshal(raw[1], &claims) != nil {
		return nil, &dpopError{why: "the proof's header or claims are not JSON objects"}
	}
	if head.Typ != "dpop+jwt" {
		return nil, &dpopError{why: "typ is not dpop+jwt"}
	}
	if _, private := head.JWK["d"]; private {
		return nil, &dpopError{why: "the jwk holds a private key"}
	}
	str := func(k string) string { s, _ := head.JWK[k].(string); return s }
	b64 := func(k string) []byte { b, _ := base64.RawURLEncoding.DecodeString(str(k)); return b }
	input := []byte(parts[0] + "." + parts[1])
	var members string // RFC 7638 §3.2: the required members in order
	switch head.Alg {
	case "ES256":
		x, y := b64("x"), b64("y")
		if str("kty") != "EC" || str("crv") != "P-256" || len(x) != 32 || len(y) != 32 {
			return nil, &dpopError{why: "an ES256 jwk is an EC P-256 key"}
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		sum := sha256.Sum256(input)
		if err != nil || len(raw[2]) != 64 || !ecdsa.Verify(pub, sum[:], new(big.Int).SetBytes(raw[2][:32]), new(big.Int).SetBytes(raw[2][32:])) {
			return nil, &dpopError{why: "the ES256 signature does not verify with the jwk"}
		}
		members = `{"crv":"P-256","kty":"EC","x":"` + str("x") + `","y":"` + str("y") + `"}`
	case "EdDSA":
		x := b64("x")
		if str("kty") != "OKP" || str("crv") != "Ed25519" || len(x) != ed25519.PublicKeySize {
			return nil, &dpopError{why: "an EdDSA jwk is an OKP Ed25519 key"}
		}
		if !ed25519.Verify(ed25519.PublicKey(x), input, raw[2]) {
			return nil, &dpopError{why: "the EdDSA signature does not verify with the jwk"}
		}
		members = `{"crv":"Ed25519","kty":"OKP","x":"` + str("x") + `"}`
	default:
		return nil, &dpopError{why: "alg is not ES256 or EdDSA"}
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
	d.mu.Lock()
	defer d.mu.Unlock()
	// jti: seen ones are kept for the two minutes an iat can span.
	if now.Sub(d.oldest) > 2*time.Minute {
		for j, at := range d.jtis {
			if now.Sub(at) > 2*time.Minute {
				delete(d.jtis, j)
			}
		}
		d.oldest = now
	}
	if _, seen := d.jtis[claims.Jti]; seen {
		return nil, &dpopError{why: "the jti was used before (a replayed proof)"}
	}
	d.jtis[claims.Jti] = now
	if claims.Nonce != d.nonce[server] {
		return nil, &dpopError{why: "the server's DPoP nonce is required", nonce: true}
	}
	sum := sha256.Sum256([]byte(members))
	return &dpopProof{jkt: base64.RawURLEncoding.EncodeToString(sum[:]), nonce: claims.Nonce}, nil
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
