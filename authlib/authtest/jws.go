package authtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"sync"
	"time"
)

// The JOSE that authtest's OAuth server reads, its own way: compact JWS
// (RFC 7515 §7.1) signed RS256, PS256, ES256, EdDSA or HS256 (RFC 7518
// §3, RFC 8037), and public JWKs (RFC 7517) with their RFC 7638
// thumbprints. DPoP proofs and client assertions both use it.

// jws is a compact JWS taken apart; claims is the payload's JSON.
type jws struct {
	header map[string]any
	claims []byte
	input  []byte // what was signed: the first two parts as sent
	sig    []byte
}

func parseJWS(s string) (*jws, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a compact JWS")
	}
	var raw [3][]byte
	for i, p := range parts {
		b, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil {
			return nil, errors.New("not base64url")
		}
		raw[i] = b
	}
	j := &jws{claims: raw[1], input: []byte(parts[0] + "." + parts[1]), sig: raw[2]}
	if json.Unmarshal(raw[0], &j.header) != nil || !json.Valid(raw[1]) || raw[1][0] != '{' {
		return nil, errors.New("the header or the claims are not JSON objects")
	}
	return j, nil
}

// str returns the header member k when it is a string.
func (j *jws) str(k string) string { s, _ := j.header[k].(string); return s }

// verify checks the signature with key, which must suit alg: an HMAC
// secret ([]byte) for HS256, a public key for the others.
func (j *jws) verify(key any) bool {
	sum := sha256.Sum256(j.input)
	switch j.str("alg") {
	case "HS256":
		k, ok := key.([]byte)
		if !ok {
			return false
		}
		m := hmac.New(sha256.New, k)
		m.Write(j.input)
		return hmac.Equal(m.Sum(nil), j.sig)
	case "RS256":
		k, ok := key.(*rsa.PublicKey)
		return ok && rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], j.sig) == nil
	case "PS256":
		k, ok := key.(*rsa.PublicKey)
		return ok && rsa.VerifyPSS(k, crypto.SHA256, sum[:], j.sig, &rsa.PSSOptions{SaltLength: 32}) == nil
	case "ES256":
		k, ok := key.(*ecdsa.PublicKey)
		return ok && len(j.sig) == 64 && ecdsa.Verify(k, sum[:], new(big.Int).SetBytes(j.sig[:32]), new(big.Int).SetBytes(j.sig[32:]))
	case "EdDSA":
		k, ok := key.(ed25519.PublicKey)
		return ok && ed25519.Verify(k, j.input, j.sig)
	}
	return false
}

// publicJWK reads a public JWK: its key and its RFC 7638 thumbprint. A
// JWK with a private member is refused.
func publicJWK(m map[string]any) (crypto.PublicKey, string, error) {
	str := func(k string) string { s, _ := m[k].(string); return s }
	b64 := func(k string) []byte { b, _ := base64.RawURLEncoding.DecodeString(str(k)); return b }
	for _, private := range []string{"d", "p", "q", "dp", "dq", "qi", "k"} {
		if _, has := m[private]; has {
			return nil, "", errors.New("the jwk holds a private key")
		}
	}
	var key crypto.PublicKey
	var members string // RFC 7638 §3.2: the required members, in order
	switch str("kty") {
	case "EC":
		x, y := b64("x"), b64("y")
		if str("crv") != "P-256" || len(x) != 32 || len(y) != 32 {
			return nil, "", errors.New("an EC jwk is on P-256")
		}
		k, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		if err != nil {
			return nil, "", errors.New("the EC jwk is not a point of P-256")
		}
		key, members = k, `{"crv":"P-256","kty":"EC","x":"`+str("x")+`","y":"`+str("y")+`"}`
	case "OKP":
		x := b64("x")
		if str("crv") != "Ed25519" || len(x) != ed25519.PublicKeySize {
			return nil, "", errors.New("an OKP jwk is an Ed25519 key")
		}
		key, members = ed25519.PublicKey(x), `{"crv":"Ed25519","kty":"OKP","x":"`+str("x")+`"}`
	case "RSA":
		n, e := new(big.Int).SetBytes(b64("n")), new(big.Int).SetBytes(b64("e"))
		if n.BitLen() < 2048 || !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31 {
			return nil, "", errors.New("an RSA jwk has a modulus of 2048 bits or more")
		}
		key, members = &rsa.PublicKey{N: n, E: int(e.Int64())}, `{"e":"`+str("e")+`","kty":"RSA","n":"`+str("n")+`"}`
	default:
		return nil, "", errors.New("the jwk's kty is not EC, OKP or RSA")
	}
	sum := sha256.Sum256([]byte(members))
	return key, base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// jtiStore remembers the jti of every JWT taken in the last ten minutes
// (longer than a DPoP proof's iat or an assertion's exp may span), so that
// none is taken twice.
type jtiStore struct {
	mu     sync.Mutex
	seen   map[string]time.Time
	oldest time.Time
}

// fresh reports whether jti is new, and remembers it.
func (s *jtiStore) fresh(jti string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]time.Time{}
	}
	if now.Sub(s.oldest) > time.Minute {
		for j, at := range s.seen {
			if now.Sub(at) > 10*time.Minute {
				delete(s.seen, j)
			}
		}
		s.oldest = now
	}
	if _, seen := s.seen[jti]; seen {
		return false
	}
	s.seen[jti] = now
	return true
}
