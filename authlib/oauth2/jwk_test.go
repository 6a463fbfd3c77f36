package oauth2_test

import (
	"errors"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// The RFCs' thumbprints, exact: RFC 7638 §3.1 (RSA), RFC 9449's DPoP key
// (§4.1's proof, §6.1's jkt) and RFC 8037 Appendix A.3 (Ed25519).
func TestJWKThumbprint(t *testing.T) {
	for _, tc := range []struct {
		k    oauth2.JWK
		want string
	}{
		{oauth2.JWK{Kty: "RSA", E: "AQAB", N: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"},
			"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"},
		{oauth2.JWK{Kty: "EC", Crv: "P-256", X: "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs", Y: "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"},
			"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"},
		{oauth2.JWK{Kty: "OKP", Crv: "Ed25519", X: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
			"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"},
	} {
		got, err := tc.k.Thumbprint()
		if err != nil || got != tc.want {
			t.Errorf("%s: %s, %v; want %s", tc.k.Kty, got, err, tc.want)
		}
	}
}

// A member that is missing, or would need escaping in JSON, is refused:
// nothing the caller gives can change what the thumbprint hashes.
func TestJWKRefused(t *testing.T) {
	for _, k := range []oauth2.JWK{
		{Kty: "oct", X: "AAAA"},
		{Kty: "EC", Crv: "P-256", X: "AAAA"},
		{Kty: "EC", Crv: "P-256", X: `AA","y":"BB`, Y: "CC"},
		{Kty: "OKP", Crv: "Ed\"25519", X: "AAAA"},
		{Kty: "RSA", E: "AQAB", N: "a+b/c="},
	} {
		if _, err := k.Thumbprint(); !errors.Is(err, authlib.ErrInvalidCredentials) {
			t.Errorf("%+v: %v", k, err)
		}
	}
}

// ParseJWK reads a public JWK (RFC 9449's example key, with a kid) and
// refuses a private one and one it could not hash.
func TestParseJWK(t *testing.T) {
	k, err := oauth2.ParseJWK(`{"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256","kid":"k1"}`)
	if tp, _ := k.Thumbprint(); err != nil || k.Kid != "k1" || tp != "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" {
		t.Fatalf("%+v %v %s", k, err, tp)
	}
	for _, text := range []string{`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`, `{"kty":"EC"}`, `[]`} {
		if _, err := oauth2.ParseJWK(text); !errors.Is(err, authlib.ErrInvalidCredentials) {
			t.Errorf("%s: %v", text, err)
		}
	}
}
