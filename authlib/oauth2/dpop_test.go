package oauth2_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// verifyProof checks a DPoP proof as RFC 9449 §4.3 tells a server to:
// three base64url parts; typ dpop+jwt; alg ES256 or EdDSA; a public jwk
// in the header, with whose key the signature verifies; the claims jti,
// htm, htu and iat. It returns the header's jwk and the claims.
func verifyProof(t *testing.T, proof string) (map[string]string, map[string]any) {
	t.Helper()
	parts := strings.Split(proof, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %s", proof)
	}
	raw := make([][]byte, 3)
	for i, p := range parts {
		b, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil {
			t.Fatalf("part %d is not base64url: %v", i, err)
		}
		raw[i] = b
	}
	var header struct {
		Typ, Alg string
		JWK      map[string]string
	}
	var claims map[string]any
	if err := json.Unmarshal(raw[0], &header); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw[1], &claims); err != nil {
		t.Fatal(err)
	}
	if header.Typ != "dpop+jwt" || header.JWK["d"] != "" {
		t.Fatalf("header: %s", raw[0])
	}
	input := []byte(parts[0] + "." + parts[1])
	b64 := func(s string) []byte { b, _ := base64.RawURLEncoding.DecodeString(s); return b }
	switch header.Alg {
	case "ES256":
		pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(b64(header.JWK["x"])), Y: new(big.Int).SetBytes(b64(header.JWK["y"]))}
		h := sha256.Sum256(input)
		if len(raw[2]) != 64 || !ecdsa.Verify(pub, h[:], new(big.Int).SetBytes(raw[2][:32]), new(big.Int).SetBytes(raw[2][32:])) {
			t.Fatal("the ES256 signature does not verify with the header's jwk")
		}
	case "EdDSA":
		if !ed25519.Verify(ed25519.PublicKey(b64(header.JWK["x"])), input, raw[2]) {
			t.Fatal("the EdDSA signature does not verify with the header's jwk")
		}
	default:
		t.Fatalf("alg %q", header.Alg)
	}
	for _, c := range []string{"jti", "htm", "htu", "iat"} {
		if claims[c] == nil {
			t.Fatalf("no %s in %s", c, raw[1])
		}
	}
	return header.JWK, claims
}

// A proof of each key type verifies with the jwk it carries, whose
// thumbprint is the key's; its claims are the request's (htu without query
// and fragment), ath the access token's hash, nonce the server's; each jti
// is new; and nothing in it is the access token.
func TestDPoPProof(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	keys := []crypto.Signer{ec, ed}
	for _, key := range keys {
		signer, err := authlib.NewSigner(key, "")
		if err != nil {
			t.Fatal(err)
		}
		jwk, err := oauth2.PublicJWK(key.Public())
		if err != nil {
			t.Fatal(err)
		}
		d := &oauth2.DPoP{Key: signer, JWK: jwk, Now: func() time.Time { return time.Unix(1562262616, 0) }}
		const token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
		proof, err := d.Proof(context.Background(), "GET", "https://Resource.Example.org/protectedresource?q=1#frag", token, "eyJ7S_zG.eyJH0-Z.HX4w-7v")
		if err != nil {
			t.Fatal(err)
		}
		got, claims := verifyProof(t, proof)
		want, _ := jwk.Thumbprint()
		back := oauth2.JWK{Kty: got["kty"], Crv: got["crv"], X: got["x"], Y: got["y"]}
		if tp, _ := back.Thumbprint(); tp != want {
			t.Errorf("the header's jwk is another key: %v", got)
		}
		// RFC 9449 §7.1's example: this access token's ath.
		if claims["htm"] != "GET" || claims["htu"] != "https://resource.example.org/protectedresource" || claims["iat"] != float64(1562262616) ||
			claims["ath"] != "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo" || claims["nonce"] != "eyJ7S_zG.eyJH0-Z.HX4w-7v" {
			t.Errorf("claims: %v", claims)
		}
		if strings.Contains(proof, token) {
			t.Error("the access token is in the proof")
		}
		again, err := d.Proof(context.Background(), "POST", "https://server.example.com:443/token", "", "")
		if err != nil {
			t.Fatal(err)
		}
		_, c2 := verifyProof(t, again)
		if c2["jti"] == claims["jti"] || c2["ath"] != nil || c2["nonce"] != nil || c2["htu"] != "https://server.example.com/token" {
			t.Errorf("a second proof: %v", c2)
		}
	}
}

// What cannot be a DPoP key or a proof's claim is refused before signing.
func TestDPoPRefusals(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signer, _ := authlib.NewSigner(ec, "")
	jwk, _ := oauth2.PublicJWK(ec.Public())
	for _, tc := range []struct {
		d                  *oauth2.DPoP
		method, url, nonce string
		kind               error
	}{
		{&oauth2.DPoP{JWK: jwk}, "GET", "https://a.example/", "", authlib.ErrInvalidCredentials},
		{&oauth2.DPoP{Key: authlib.HMACSHA256("k"), JWK: jwk}, "GET", "https://a.example/", "", authlib.ErrInvalidCredentials},
		{&oauth2.DPoP{Key: signer}, "GET", "https://a.example/", "", authlib.ErrInvalidCredentials},
		{&oauth2.DPoP{Key: signer, JWK: jwk}, "GET", "ftp://a.example/", "", authlib.ErrInvalidURL},
		{&oauth2.DPoP{Key: signer, JWK: jwk}, `GE"T`, "https://a.example/", "", authlib.ErrInvalidRequest},
		{&oauth2.DPoP{Key: signer, JWK: jwk}, "GET", "https://a.example/", `n\`, authlib.ErrInvalidRequest},
		{&oauth2.DPoP{Key: signer, JWK: jwk}, "", "https://a.example/", "", authlib.ErrInvalidRequest},
	} {
		if _, err := tc.d.Proof(context.Background(), tc.method, tc.url, "", tc.nonce); !errors.Is(err, tc.kind) {
			t.Errorf("%q %q %q: %v, want %v", tc.method, tc.url, tc.nonce, err, tc.kind)
		}
	}
}

// A DPoP whose JWK comes from LoadJWK (a WebCrypto key's, in wasm) asks
// for it once, and its proofs carry it.
func TestDPoPLoadJWK(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signer, _ := authlib.NewSigner(ec, "")
	jwk, _ := oauth2.PublicJWK(ec.Public())
	loads := 0
	d := &oauth2.DPoP{Key: signer, LoadJWK: func(context.Context) (oauth2.JWK, error) { loads++; return jwk, nil }}
	for range 3 {
		p, err := d.Proof(context.Background(), "GET", "https://a.example/", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := verifyProof(t, p); got["x"] != jwk.X {
			t.Fatalf("jwk %v", got)
		}
	}
	if loads != 1 {
		t.Fatalf("LoadJWK called %d times", loads)
	}
}
