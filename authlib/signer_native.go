//go:build !js || !wasm

package authlib

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/pem"
	"fmt"
)

// The native signers: Go's crypto. A wasm build has none of these (it
// signs with WebCrypto keys, and links neither crypto/ecdsa, crypto/rsa
// nor crypto/ed25519).

// NewSigner returns a [Signer] for key, a private key of Go's crypto:
// ed25519.PrivateKey ("ed25519"), *ecdsa.PrivateKey on P-256
// ("ecdsa-p256-sha256"), or *rsa.PrivateKey, which signs with alg
// "rsa-pss-sha512" or "rsa-v1_5-sha256", or "rsa-v1_5-sha1" for OAuth
// 1.0a's RSA-SHA1, or "rsa-pss-sha256" for JWS's PS256 (alg may be empty
// for the other keys).
func NewSigner(key crypto.Signer, alg string) (Signer, error) {
	want := func(a string) (Signer, error) {
		if alg != "" && alg != a {
			return nil, credentialError("httpsig", "the key signs "+a+", not "+sfLabel(alg))
		}
		return &goSigner{key: key, alg: a}, nil
	}
	switch k := key.(type) {
	case ed25519.PrivateKey:
		return want("ed25519")
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return nil, credentialError("httpsig", "an ECDSA key must be on P-256")
		}
		return want("ecdsa-p256-sha256")
	case *rsa.PrivateKey:
		if alg != "rsa-pss-sha512" && alg != "rsa-v1_5-sha256" && alg != "rsa-v1_5-sha1" && alg != "rsa-pss-sha256" {
			return nil, credentialError("httpsig", "an RSA key signs rsa-pss-sha512 or rsa-v1_5-sha256 (or rsa-v1_5-sha1, OAuth 1.0a's RSA-SHA1): say which")
		}
		return &goSigner{key: key, alg: alg}, nil
	}
	return nil, credentialError("httpsig", "the key is not an Ed25519, ECDSA P-256 or RSA private key")
}

// ParseSignerPEM reads a PKCS #8 private key in PEM (as RFC 9421's
// examples give them; "RSA PRIVATE KEY" and "EC PRIVATE KEY" too) and
// returns its [Signer].
func ParseSignerPEM(data []byte, alg string) (Signer, error) {
	b, _ := pem.Decode(data)
	if b == nil {
		return nil, credentialError("httpsig", "no PEM block in the key")
	}
	var key any
	var err error
	switch b.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(b.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
	}
	if err != nil {
		return nil, credentialError("httpsig", "the PEM key cannot be parsed")
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, credentialError("httpsig", "the PEM key cannot sign")
	}
	return NewSigner(s, alg)
}

type goSigner struct {
	key crypto.Signer
	alg string
}

func (s *goSigner) Algorithm() string { return s.alg }

// Format prints the algorithm only.
func (s *goSigner) Format(f fmt.State, verb rune) { redacted(f, "authlib.Signer", "Algorithm", s.alg) }

func (s *goSigner) Sign(_ context.Context, base []byte) ([]byte, error) {
	switch s.alg {
	case "ed25519":
		return s.key.Sign(rand.Reader, base, crypto.Hash(0))
	case "ecdsa-p256-sha256":
		sum := sha256.Sum256(base)
		r, ss, err := ecdsa.Sign(rand.Reader, s.key.(*ecdsa.PrivateKey), sum[:])
		if err != nil {
			return nil, err
		}
		out := make([]byte, 64) // r||s, each 32 bytes (RFC 9421 §3.3.4)
		r.FillBytes(out[:32])
		ss.FillBytes(out[32:])
		return out, nil
	case "rsa-pss-sha512":
		sum := sha512.Sum512(base)
		return rsa.SignPSS(rand.Reader, s.key.(*rsa.PrivateKey), crypto.SHA512, sum[:], &rsa.PSSOptions{SaltLength: 64})
	case "rsa-pss-sha256": // JWS's PS256 (RFC 7518 §3.5): the salt as long as the hash
		sum := sha256.Sum256(base)
		return rsa.SignPSS(rand.Reader, s.key.(*rsa.PrivateKey), crypto.SHA256, sum[:], &rsa.PSSOptions{SaltLength: 32})
	case "rsa-v1_5-sha256":
		sum := sha256.Sum256(base)
		return rsa.SignPKCS1v15(rand.Reader, s.key.(*rsa.PrivateKey), crypto.SHA256, sum[:])
	case "rsa-v1_5-sha1": // OAuth 1.0a's RSA-SHA1 only: RFC 9421 has no SHA-1
		sum := sha1.Sum(base)
		return rsa.SignPKCS1v15(rand.Reader, s.key.(*rsa.PrivateKey), crypto.SHA1, sum[:])
	}
	return nil, credentialError("httpsig", "unknown algorithm")
}
