//go:build !js || !wasm

package oauth2

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"math/big"

	"github.com/authlib-go/authlib/authlib"
)

// PublicJWK returns the JWK of a public key of Go's crypto: an
// *ecdsa.PublicKey on P-256, an ed25519.PublicKey or an *rsa.PublicKey.
// (Natively only: a wasm build gets a WebCrypto key's JWK from WebCrypto,
// and links none of these packages.)
func PublicJWK(pub crypto.PublicKey) (JWK, error) {
	b64 := base64.RawURLEncoding.EncodeToString
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return JWK{}, jwkError("an ECDSA key must be on P-256")
		}
		return JWK{Kty: "EC", Crv: "P-256", X: b64(k.X.FillBytes(make([]byte, 32))), Y: b64(k.Y.FillBytes(make([]byte, 32)))}, nil
	case ed25519.PublicKey:
		return JWK{Kty: "OKP", Crv: "Ed25519", X: b64(k)}, nil
	case *rsa.PublicKey:
		return JWK{Kty: "RSA", N: b64(k.N.Bytes()), E: b64(big.NewInt(int64(k.E)).Bytes())}, nil
	}
	return JWK{}, jwkError("the key is not an ECDSA P-256, Ed25519 or RSA public key")
}

// NewDPoP returns a [DPoP] that signs with key, an ECDSA P-256 (ES256) or
// Ed25519 (EdDSA) private key; nil means a new P-256 key, which lives as
// long as the DPoP (and the tokens bound to it are of use no longer).
func NewDPoP(key crypto.Signer) (*DPoP, error) {
	if key == nil {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, jwkError("no DPoP key could be made")
		}
		key = k
	}
	signer, err := authlib.NewSigner(key, "")
	if err != nil {
		return nil, err
	}
	if a := signer.Algorithm(); a != "ecdsa-p256-sha256" && a != "ed25519" {
		return nil, jwkError("a DPoP key is ECDSA P-256 (ES256) or Ed25519 (EdDSA)")
	}
	jwk, err := PublicJWK(key.Public())
	if err != nil {
		return nil, err
	}
	return &DPoP{Key: signer, JWK: jwk}, nil
}
