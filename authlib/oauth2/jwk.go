package oauth2

import (
	"encoding/base64"
	"github.com/authlib-go/authlib/authlib/internal/hashes"

	"github.com/authlib-go/authlib/authlib"
)

// JWK is a public key as a JSON Web Key (RFC 7517): the members that
// identify it, which a DPoP proof's header carries and its thumbprint
// hashes (RFC 9449).
type JWK struct {
	Kty  string // "EC", "OKP" or "RSA"
	Crv  string // the curve: "P-256" (EC), "Ed25519" (OKP)
	X, Y string // base64url: EC's coordinates; OKP's public key in X
	N, E string // base64url: RSA's modulus and exponent

	// Kid is the key's id in a JWK set (a client's jwks, RFC 7591), the
	// kid of its assertions; it is not part of the thumbprint.
	Kid string
}

// JSON returns the key's required members (RFC 7638 §3.2) as one compact
// JSON object, in lexicographic order: the form its thumbprint hashes, and
// a DPoP proof's jwk.
func (k JWK) JSON() (string, error) {
	var members [][2]string
	switch k.Kty {
	case "EC":
		members = [][2]string{{"crv", k.Crv}, {"kty", k.Kty}, {"x", k.X}, {"y", k.Y}}
	case "OKP":
		members = [][2]string{{"crv", k.Crv}, {"kty", k.Kty}, {"x", k.X}}
	case "RSA":
		members = [][2]string{{"e", k.E}, {"kty", k.Kty}, {"n", k.N}}
	default:
		return "", jwkError("the key type (kty) is EC, OKP or RSA")
	}
	out := "{"
	for i, m := range members {
		// Every value is in base64url's alphabet (kty is one of three, and
		// the curves' names are too): nothing in it needs escaping in JSON.
		if m[1] == "" || !base64URL(m[1]) {
			return "", jwkError("the key's " + m[0] + " is missing or not base64url")
		}
		if i > 0 {
			out += ","
		}
		out += `"` + m[0] + `":"` + m[1] + `"`
	}
	return out + "}", nil
}

// member returns the key as a member of a JWK set: its required members,
// and kid when it has one.
func (k JWK) member() (string, error) {
	j, err := k.JSON()
	if err != nil || k.Kid == "" {
		return j, err
	}
	if !printable(k.Kid) {
		return "", jwkError("the key's kid is not printable ASCII")
	}
	return j[:len(j)-1] + `,"kid":` + quote(k.Kid) + "}", nil
}

// Thumbprint returns the key's JWK SHA-256 thumbprint (RFC 7638), base64url
// without padding: a DPoP key's dpop_jkt and the jkt a bound token's cnf
// holds (RFC 9449).
func (k JWK) Thumbprint() (string, error) {
	j, err := k.JSON()
	if err != nil {
		return "", err
	}
	sum := hashes.Sum(hashes.NewSHA256, []byte(j))
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

func jwkError(detail string) error {
	return &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "oauth2 jwk", Detail: detail}
}

// base64URL reports a base64url string without padding (RFC 7515 §2).
func base64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// ParseJWK reads a public key's JWK from its JSON text (RFC 7517): the
// members [JWK] has; a JWK with a private member ("d", RSA's primes) is
// refused, so that a private key is not taken for its public half.
func ParseJWK(text string) (JWK, error) {
	m, err := parseObject(text)
	if err != nil {
		return JWK{}, jwkError("the JWK is not a JSON object")
	}
	for _, private := range [...]string{"d", "p", "q", "dp", "dq", "qi", "k"} {
		if _, has := m[private]; has {
			return JWK{}, jwkError("the JWK holds a private key: give its public key")
		}
	}
	k := JWK{Kty: m.str("kty"), Crv: m.str("crv"), X: m.str("x"), Y: m.str("y"), N: m.str("n"), E: m.str("e"), Kid: m.str("kid")}
	if _, err := k.JSON(); err != nil {
		return JWK{}, err
	}
	return k, nil
}
