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
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
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
		{rk, "rsa-pss-sha256", func(sig []byte) bool { // JWS's PS256
			h := sha256.Sum256(base)
			return rsa.VerifyPSS(&rk.PublicKey, crypto.SHA256, h[:], sig, &rsa.PSSOptions{SaltLength: 32}) == nil
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
	// PS256 is for JWTs: RFC 9421 has no rsa-pss-sha256, and HTTPSig
	// refuses to label a signature with it.
	pss, _ := NewSigner(rk, "rsa-pss-sha256")
	req, _ := NewRequest(context.Background(), "GET", "https://example.com/", nil)
	if err := (&HTTPSig{Key: pss, KeyID: "k", Alg: true}).Apply(req); !errors.Is(err, ErrInvalidCredentials) {
		t.Errorf("HTTPSig with rsa-pss-sha256: %v", err)
	}
}

// RFC 9421 B.2.1, B.2.2 and B.2.3 (rsa-pss-sha512, randomised): the
// signature base rebuilt from the RFC's request and Signature-Input
// verifies the RFC's signature with its public key (B.2.4 signs a
// response, which authlib does not).
func TestHTTPSigRFC9421RSAPSS(t *testing.T) {
	b, err := os.ReadFile("testdata/rfc9421/test-key-rsa-pss.pub.pem")
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	pub, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ label, input, sig string }{
		{"sig-b21", `sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"`,
			"d2pmTvmbncD3xQm8E9ZV2828BjQWGgiwAaw5bAkgibUopemLJcWDy/lkbbHAve4cRAtx31Iq786U7it++wgGxbtRxf8Udx7zFZsckzXaJMkA7ChG52eSkFxykJeNqsrWH5S+oxNFlD4dzVuwe8DhTSja8xxbR/Z2cOGdCbzR72rgFWhzx2VjBqJzsPLMIQKhO4DGezXehhWwE56YCE+O6c0mKZsfxVrogUvA4HELjVKWmAvtl6UnCh8jYzuVG5WSb/QEVPnP5TmcAnLH1g+s++v6d4s8m0gCw1fV5/SITLq9mhho8K3+7EPYTU8IU1bLhdxO5Nyt8C8ssinQ98Xw9Q=="},
		{"sig-b22", `sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"`,
			"LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw=="},
		{"sig-b23", `sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"`,
			"bbN8oArOxYoyylQQUU6QYwrTuaxLwjAC9fbY2F6SVWvh0yBiMIRGOnMYwZ/5MR6fb0Kh1rIRASVxFkeGt683+qRpRRU5p2voTp768ZrCUb38K0fUxN0O0iC59DzYx8DFll5GmydPxSmme9v6ULbMFkl+V5B1TP/yPViV7KsLNmvKiLJH1pFkh/aYA2HXXZzNBXmIkoQoLd7YfW91kE9o/CCoC1xMy7JA1ipwvKvfrs65ldmlu9bpG6A9BmzhuzF8Eim5f8ui9eH8LZH896+QIF61ka39VBrohr9iyMUJpvRX2Zbhl5ZJzSRxpJyoEZAFL2FUo5fTIztsDZKEgM4cUA=="},
	} {
		req := rfc9421Request(t)
		req.Header.Set("Signature-Input", tc.input)
		req.Header.Set("Signature", tc.label+"=:"+tc.sig+":")
		got, err := HTTPSig{Label: tc.label}.Signed(req)
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := base64.StdEncoding.DecodeString(tc.sig)
		h := sha512.Sum512([]byte(got.Base))
		if err := rsa.VerifyPSS(pub.(*rsa.PublicKey), crypto.SHA512, h[:], sig, &rsa.PSSOptions{SaltLength: 64}); err != nil {
			t.Errorf("%s: the RFC's signature does not verify over\n%s", tc.label, got.Base)
		}
	}
}

// RFC 9421 B.2.4 (a response signed with ecdsa-p256-sha256, randomised):
// the signature base SignedResponse rebuilds from the RFC's response is
// the RFC's, and the RFC's signature verifies over it with B.1.3's public
// key; the same response with another status does not.
func TestHTTPSigRFC9421ResponseB24(t *testing.T) {
	b, err := os.ReadFile("testdata/rfc9421/test-key-ecc-p256.pub.pem")
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	key, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	const sig = "wNmSUAhwb5LxtOtOpNa6W5xj067m5hFrj0XQ4fvpaCLx0NKocgPquLgyahnzDnDAUy5eCdlYUEkLIj+32oiasw=="
	res := &Response{StatusCode: 200, Header: Header{}}
	res.Header.Set("Content-Type", "application/json")
	res.Header.Set("Content-Digest", "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:")
	res.Header.Set("Content-Length", "23")
	res.Header.Set("Signature-Input", `sig-b24=("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256"`)
	res.Header.Set("Signature", "sig-b24=:"+sig+":")
	verifies := func(base string) bool {
		raw, _ := base64.StdEncoding.DecodeString(sig)
		h := sha256.Sum256([]byte(base))
		r, s := new(big.Int).SetBytes(raw[:32]), new(big.Int).SetBytes(raw[32:])
		return ecdsa.Verify(key.(*ecdsa.PublicKey), h[:], r, s)
	}
	got, err := HTTPSig{Label: "sig-b24"}.SignedResponse(res)
	if err != nil {
		t.Fatal(err)
	}
	want := `"@status": 200
"content-type": application/json
"content-digest": sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:
"content-length": 23
"@signature-params": ("@status" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-ecc-p256"`
	if got.Base != want || !verifies(got.Base) {
		t.Errorf("base (verifies: %v):\n%s", verifies(got.Base), got.Base)
	}
	res.StatusCode = 201
	if got, err := (HTTPSig{Label: "sig-b24"}).SignedResponse(res); err != nil || verifies(got.Base) {
		t.Errorf("another status: %v, verifies %v", err, verifies(got.Base))
	}
	// A request's derived component is refused in a response.
	res.Header.Set("Signature-Input", `sig-b24=("@method");created=1618884473;keyid="test-key-ecc-p256"`)
	if _, err := (HTTPSig{Label: "sig-b24"}).SignedResponse(res); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("@method in a response: %v", err)
	}
}
