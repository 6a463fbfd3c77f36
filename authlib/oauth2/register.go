package oauth2

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/authlib-go/authlib/authlib"
)

// ClientMetadata is what a client says of itself when it registers (RFC
// 7591 §2). Empty fields are not sent, and the server chooses.
type ClientMetadata struct {
	RedirectURIs []string
	// TokenEndpointAuthMethod: "none" (a public client),
	// "client_secret_basic" (the RFC's default), "client_secret_post",
	// "client_secret_jwt" or "private_key_jwt".
	TokenEndpointAuthMethod string
	GrantTypes              []string // "authorization_code", "refresh_token", …
	ResponseTypes           []string
	ClientName              string
	ClientURI               string
	Scope                   string // space-separated
	// JWKS are the client's public keys, for private_key_jwt: each with a
	// Kid, which [Config.ClientKeyID] names.
	JWKS    []JWK
	JWKSURI string
	// DPoPBoundAccessTokens asks that every access token be DPoP-bound
	// (dpop_bound_access_tokens, RFC 9449 §5.2).
	DPoPBoundAccessTokens bool
	// RequirePAR asks that the client's authorization requests be taken
	// only pushed (require_pushed_authorization_requests, RFC 9126 §6).
	RequirePAR bool
	// SoftwareID and SoftwareVersion name the software (§2).
	SoftwareID, SoftwareVersion string
}

// json writes the metadata as RFC 7591 §2 names its members.
func (m *ClientMetadata) json() (string, error) {
	var b strings.Builder
	b.WriteString("{")
	sep := func(name string) {
		if b.Len() > 1 {
			b.WriteString(",")
		}
		b.WriteString(`"` + name + `":`)
	}
	for _, f := range [...]struct {
		name string
		v    string
	}{{"token_endpoint_auth_method", m.TokenEndpointAuthMethod}, {"client_name", m.ClientName}, {"client_uri", m.ClientURI},
		{"scope", m.Scope}, {"jwks_uri", m.JWKSURI}, {"software_id", m.SoftwareID}, {"software_version", m.SoftwareVersion}} {
		if f.v != "" {
			if !utf8.ValidString(f.v) {
				return "", &authlib.Error{Kind: ErrConfig, Op: "oauth2 register", Detail: "the " + f.name + " is not valid UTF-8"}
			}
			sep(f.name)
			b.WriteString(quote(f.v))
		}
	}
	for _, f := range [...]struct {
		name string
		v    []string
	}{{"redirect_uris", m.RedirectURIs}, {"grant_types", m.GrantTypes}, {"response_types", m.ResponseTypes}} {
		if len(f.v) == 0 {
			continue
		}
		sep(f.name)
		for i, v := range f.v {
			if !printable(v) {
				return "", &authlib.Error{Kind: ErrConfig, Op: "oauth2 register", Detail: "a member of " + f.name + " is not printable ASCII"}
			}
			b.WriteString(string("[,"[min(i, 1)]) + quote(v))
		}
		b.WriteString("]")
	}
	if len(m.JWKS) > 0 {
		sep("jwks")
		b.WriteString(`{"keys":`)
		for i, k := range m.JWKS {
			j, err := k.member()
			if err != nil {
				return "", err
			}
			b.WriteString(string("[,"[min(i, 1)]) + j)
		}
		b.WriteString("]}")
	}
	for _, f := range [...]struct {
		name string
		v    bool
	}{{"dpop_bound_access_tokens", m.DPoPBoundAccessTokens}, {"require_pushed_authorization_requests", m.RequirePAR}} {
		if f.v {
			sep(f.name)
			b.WriteString("true")
		}
	}
	return b.String() + "}", nil
}

// Registration is the server's answer to a registration (RFC 7591 §3.2.1).
type Registration struct {
	ClientID     string
	ClientSecret string // none for a public client or private_key_jwt
	// ClientSecretExpiresAt is when the secret expires; zero means never.
	ClientSecretExpiresAt time.Time
	// TokenEndpointAuthMethod is the method the server registered.
	TokenEndpointAuthMethod string
	// RegistrationAccessToken and RegistrationClientURI manage the
	// registration (RFC 7592), when the server offers it.
	RegistrationAccessToken string
	RegistrationClientURI   string
	JSON                    string // the whole answer, as received
}

// Format masks the secret and the registration access token.
func (r Registration) Format(f fmt.State, verb rune) {
	io.WriteString(f, "oauth2.Registration{ClientID: "+r.ClientID+", ClientSecret: "+mask(r.ClientSecret)+
		", TokenEndpointAuthMethod: "+r.TokenEndpointAuthMethod+", RegistrationAccessToken: "+mask(r.RegistrationAccessToken)+"}")
}

// Register registers the client with the authorization server (RFC 7591):
// it posts m to RegistrationURL, or else the issuer's
// registration_endpoint, with initialAccessToken as a Bearer token when
// the server asks for one (§3), and sets ClientID, ClientSecret and the
// AuthStyle of the method the server registered. It returns the server's
// answer, to save: a client registers once.
func (c *Config) Register(ctx context.Context, m ClientMetadata, initialAccessToken string) (*Registration, error) {
	body, err := m.json()
	if err != nil {
		return nil, err
	}
	return c.RegisterJSON(ctx, body, initialAccessToken)
}

// RegisterJSON is [Config.Register] with the metadata as a JSON object,
// any member of RFC 7591 §2 (or of the server's own) in it.
func (c *Config) RegisterJSON(ctx context.Context, metadata, initialAccessToken string) (*Registration, error) {
	const op = "oauth2 register"
	m, err := parseObject(metadata)
	if err != nil {
		return nil, &authlib.Error{Kind: ErrConfig, Op: op, Detail: "the client metadata is not a JSON object"}
	}
	endpoint, err := c.endpoint(ctx, c.RegistrationURL, func(md *Metadata) string { return md.RegistrationEndpoint })
	if err != nil {
		return nil, err
	}
	if endpoint == "" {
		return nil, &authlib.Error{Kind: ErrConfig, Op: op, Detail: "the authorization server names no registration_endpoint: set Config.RegistrationURL"}
	}
	body := metadata
	req, err := authlib.NewRequest(ctx, "POST", endpoint, []byte(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	var auth authlib.Auth
	if initialAccessToken != "" {
		auth = authlib.Bearer{Token: initialAccessToken}
	}
	res, err := (&authlib.Client{Transport: c.Transport, Auth: auth, AllowInsecure: c.AllowInsecure, MaxRedirects: -1, Timeout: c.timeout()}).Do(req)
	if err != nil {
		return nil, err
	}
	text, err := readBody(res)
	where := redact(endpoint)
	if err != nil {
		return nil, &authlib.Error{Kind: authlib.ErrNetwork, Op: op, URL: where, Detail: "reading the response failed"}
	}
	f, _ := parseObject(text)
	secrets := []string{initialAccessToken, f.str("client_secret"), f.str("registration_access_token")}
	if code := f.str("error"); code != "" || res.StatusCode/100 != 2 {
		if code == "" {
			return nil, &authlib.Error{Kind: ErrTokenResponse, Op: op, URL: where, Detail: "the server answered " + strconv.Itoa(res.StatusCode) + " without an OAuth error"}
		}
		return nil, &Error{Code: cut(scrubSecrets(code, secrets), 64), Description: cut(scrubSecrets(f.str("error_description"), secrets), 500), StatusCode: res.StatusCode, Endpoint: where}
	}
	r := &Registration{ClientID: f.str("client_id"), ClientSecret: f.str("client_secret"), TokenEndpointAuthMethod: f.str("token_endpoint_auth_method"),
		RegistrationAccessToken: f.str("registration_access_token"), RegistrationClientURI: f.str("registration_client_uri"), JSON: text}
	if exp, has := f.get("client_secret_expires_at"); has {
		if n, ok := number(exp); ok && n > 0 {
			r.ClientSecretExpiresAt = time.Unix(n, 0)
		}
	}
	if r.ClientID == "" || !printable(r.ClientID) || !printable(r.ClientSecret) {
		return nil, &authlib.Error{Kind: ErrTokenResponse, Op: op, URL: where, Detail: "the answer has no client_id, or a client_id or secret that is not printable ASCII"}
	}
	if r.TokenEndpointAuthMethod == "" {
		r.TokenEndpointAuthMethod = m.str("token_endpoint_auth_method")
	}
	c.ClientID, c.ClientSecret = r.ClientID, r.ClientSecret
	switch r.TokenEndpointAuthMethod {
	case "none":
		c.AuthStyle = AuthNone
	case "client_secret_post":
		c.AuthStyle = AuthPost
	case "client_secret_jwt":
		c.AuthStyle = AuthClientSecretJWT
	case "private_key_jwt":
		c.AuthStyle = AuthPrivateKeyJWT
	case "", "client_secret_basic":
		c.AuthStyle = AuthAuto
	default:
		return r, &authlib.Error{Kind: ErrConfig, Op: op, Detail: "the server registered the client with " + strconv.Quote(cut(r.TokenEndpointAuthMethod, 40)) + ", a method authlib does not know"}
	}
	return r, nil
}
