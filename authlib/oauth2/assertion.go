package oauth2

import (
	"context"
	"encoding/base64"
	"strconv"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// jwtBearer is the client_assertion_type of a JWT (RFC 7523 §2.2).
const jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// jwsAlg is the JWS name (RFC 7518 §3.1, RFC 8037) of what a Signer signs
// with, or "".
func jwsAlg(s authlib.Signer) string {
	switch s.Algorithm() {
	case "rsa-v1_5-sha256":
		return "RS256"
	case "rsa-pss-sha256":
		return "PS256"
	case "ecdsa-p256-sha256":
		return "ES256"
	case "ed25519":
		return "EdDSA"
	case "hmac-sha256":
		return "HS256"
	}
	return ""
}

// assertion returns the client's authentication by JWT (RFC 7523 §2.2,
// §3) for a request to endpoint: private_key_jwt signed with ClientKey,
// or client_secret_jwt with the client secret as its HMAC-SHA256 key
// (OpenID Connect Core §9). Its iss and sub are the client id, its aud
// the issuer (the token endpoint when the Config has none), its jti new
// and its exp a minute from now.
func (c *Config) assertion(ctx context.Context, op, endpoint string) (string, error) {
	key := c.ClientKey
	if c.style() == AuthClientSecretJWT {
		if c.ClientSecret == "" {
			return "", &authlib.Error{Kind: ErrConfig, Op: op, Detail: "client_secret_jwt needs the client secret"}
		}
		key = authlib.HMACSHA256(c.ClientSecret)
	}
	if key == nil {
		return "", &authlib.Error{Kind: ErrConfig, Op: op, Detail: "private_key_jwt needs Config.ClientKey"}
	}
	alg := jwsAlg(key)
	if alg == "" || alg == "HS256" && c.style() == AuthPrivateKeyJWT {
		return "", &authlib.Error{Kind: ErrConfig, Op: op, Detail: "a client key signs RS256 (rsa-v1_5-sha256), PS256 (rsa-pss-sha256), ES256 or EdDSA"}
	}
	if !printable(c.ClientKeyID) || !printable(c.ClientID) || !printable(endpoint) {
		return "", &authlib.Error{Kind: ErrConfig, Op: op, Detail: "the client id or key id is not printable ASCII"}
	}
	aud := c.Issuer
	if aud == "" {
		aud = endpoint
	}
	header := `{"alg":"` + alg + `","typ":"JWT"`
	if c.ClientKeyID != "" {
		header += `,"kid":` + strconv.Quote(c.ClientKeyID)
	}
	now := time.Now().Unix() // the server's clock, not Config.Now, judges it
	id := strconv.Quote(c.ClientID)
	claims := `{"iss":` + id + `,"sub":` + id + `,"aud":` + strconv.Quote(aud) + `,"jti":"` + random(16) +
		`","iat":` + strconv.FormatInt(now, 10) + `,"exp":` + strconv.FormatInt(now+60, 10) + `}`
	input := base64.RawURLEncoding.EncodeToString([]byte(header+"}")) + "." + base64.RawURLEncoding.EncodeToString([]byte(claims))
	sig, err := key.Sign(ctx, []byte(input))
	if err != nil {
		return "", &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: op, Detail: "the client key could not sign the assertion", Err: err}
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}
