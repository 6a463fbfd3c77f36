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
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"math/big"
	"os"
	"testing"
)

// RFC 9421 B.2.6 (ed25519), exactly: Ed25519 is deterministic.
func TestHTTPSigRFC9421Ed25519(t *testing.T) {
	pemKey, err := os.ReadFile("testdata/rfc9421/test-key-ed25519.pem")
	if err != nil {
		t.Fatal(err)
	}
	ed, err := ParseSignerPEM(pemKey, "")
	if err != nil {
		t.Fatal(err)
	}
	req := rfc9421Request(t)
	s := HTTPSig{KeyID: "test-key-ed25519", Key: ed, Label: "sig-b26", Components: []string{"date", "@method", "@path", "@authority", "content-type", "content-length"}, Now: rfc9421Created}
	if _, err := s.Sign(req); err != nil {
		t.Fatal(err)
	}
	if got, want := req.Header.Get("Signature-Input"), `sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"`; got != want {
		t.Errorf("B.2.6 Signature-Input %s", got)
	}
	if got := req.Header.Get("Signature"); got != "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:" {
		t.Errorf("B.2.6 Signature %s", got)
	}
}

// Go's keys sign as RFC 9421 §3.3 encodes: ECDSA as r||s, RSA-PSS with
// SHA-512 and a 64-byte salt, RSA PKCS #1 v1.5 with SHA-256; each checks
// with the public key.
func TestNativeSigners(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	_, edk, _ := ed25519.GenerateKey(rand.Reader)
	base := []byte("the signature base")
	for _, tc := range []struct {
		key    crypto.Signer
		alg    string
		verify func(sig []byte) bool
	}{
		{edk, "", func(sig []byte) bool { return ed25519.Verify(edk.Public().(ed25519.PublicKey), base, sig) }},
		{ec, "ecdsa-p256-sha256", func(sig []byte) bool {
			h := sha256.Sum256(base)
			return len(sig) == 64 && ecdsa.Verify(&ec.PublicKey, h[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
		}},
		{rk, "rsa-pss-sha512", func(sig []byte) bool {
			h := sha512.Sum512(base)
			return rsa.VerifyPSS(&rk.PublicKey, crypto.SHA512, h[:], sig, &rsa.PSSOptions{SaltLength: 64}) == nil
		}},
		{rk, "rsa-v1_5-sha256", func(sig []byte) bool {
			h := sha256.Sum256(base)
			return rsa.VerifyPKCS1v15(&rk.PublicKey, crypto.SHA256, h[:], sig) == nil
		}},
	} {
		s, err := NewSigner(tc.key, tc.alg)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := s.Sign(context.Background(), base)
		if err != nil || !tc.verify(sig) {
			t.Errorf("%s: %v", s.Algorithm(), err)
		}
	}
	if _, err := NewSigner(rk, ""); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("an RSA key without an algorithm: %v", err)
	}
	if _, err := NewSigner(edk, "rsa-pss-sha512"); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("an Ed25519 key for RSA: %v", err)
	}
}
