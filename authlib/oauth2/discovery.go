package oauth2

import (
	"context"
	"io"
	"strings"
	"sync"

	"github.com/authlib-go/authlib/authlib"
)

// Metadata is what an authorization server says of itself (RFC 8414 §2).
type Metadata struct {
	Issuer                        string
	AuthorizationEndpoint         string
	TokenEndpoint                 string
	DeviceAuthorizationEndpoint   string
	RevocationEndpoint            string
	JWKSURI                       string
	ScopesSupported               []string
	GrantTypesSupported           []string
	CodeChallengeMethodsSupported []string
	// Raw holds every field, as read.
	Raw map[string]any
}

var discovered sync.Map // issuer → *Metadata

// Discover reads the metadata of issuer: RFC 8414's
// /.well-known/oauth-authorization-server, or else OpenID Connect's
// /.well-known/openid-configuration. The metadata must name the issuer it
// was asked for (RFC 8414 §3.3). Metadata is cached per issuer for the
// life of the program.
func Discover(ctx context.Context, tr authlib.Transport, issuer string) (*Metadata, error) {
	issuer = strings.TrimSuffix(issuer, "/")
	if m, ok := discovered.Load(issuer); ok {
		return m.(*Metadata), nil
	}
	u, err := authlib.ParseURL(issuer)
	if err != nil {
		return nil, err
	}
	if u.RawQuery != "" {
		return nil, &authlib.Error{Kind: ErrMetadata, Op: "oauth2 discover", Detail: "an issuer has no query"}
	}
	root := u.Scheme + "://" + u.Host
	urls := []string{
		root + "/.well-known/oauth-authorization-server" + u.EscapedPath(), // RFC 8414 §3.1: inserted before the path
		issuer + "/.well-known/openid-configuration",                       // OpenID Connect Discovery §4
	}
	var last error
	for _, w := range urls {
		m, err := fetchMetadata(ctx, tr, w)
		if err != nil {
			last = err
			continue
		}
		if strings.TrimSuffix(m.Issuer, "/") != issuer {
			return nil, &authlib.Error{Kind: ErrMetadata, Op: "oauth2 discover", URL: redact(w), Detail: "the metadata names another issuer than the one asked for"}
		}
		discovered.Store(issuer, m)
		return m, nil
	}
	return nil, last
}

func fetchMetadata(ctx context.Context, tr authlib.Transport, where string) (*Metadata, error) {
	req, err := authlib.NewRequest(ctx, "GET", where, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	res, err := (&authlib.Client{Transport: tr}).Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil || res.StatusCode != 200 {
		return nil, &authlib.Error{Kind: ErrMetadata, Op: "oauth2 discover", URL: redact(where), Detail: "no metadata there"}
	}
	v, err := parseJSON(string(body))
	raw, ok := v.(map[string]any)
	if err != nil || !ok {
		return nil, &authlib.Error{Kind: ErrMetadata, Op: "oauth2 discover", URL: redact(where), Detail: "the metadata is not a JSON object"}
	}
	str := func(k string) string { s, _ := raw[k].(string); return s }
	list := func(k string) []string {
		var out []string
		a, _ := raw[k].([]any)
		for _, x := range a {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return &Metadata{
		Issuer: str("issuer"), AuthorizationEndpoint: str("authorization_endpoint"), TokenEndpoint: str("token_endpoint"),
		DeviceAuthorizationEndpoint: str("device_authorization_endpoint"), RevocationEndpoint: str("revocation_endpoint"),
		JWKSURI: str("jwks_uri"), ScopesSupported: list("scopes_supported"), GrantTypesSupported: list("grant_types_supported"),
		CodeChallengeMethodsSupported: list("code_challenge_methods_supported"), Raw: raw,
	}, nil
}

// Discover fills the endpoints of c left empty from issuer's metadata.
func (c *Config) Discover(ctx context.Context, issuer string) (*Metadata, error) {
	m, err := Discover(ctx, c.Transport, issuer)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		dst *string
		v   string
	}{
		{&c.AuthURL, m.AuthorizationEndpoint}, {&c.TokenURL, m.TokenEndpoint}, {&c.DeviceURL, m.DeviceAuthorizationEndpoint},
	} {
		if *f.dst == "" {
			*f.dst = f.v
		}
	}
	return m, nil
}
