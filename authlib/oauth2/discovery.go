package oauth2

import (
	"context"
	"strings"
	"sync"

	"github.com/authlib-go/authlib/authlib"
)

// Metadata is what an authorization server says of itself (RFC 8414 §2):
// the fields authlib uses, and the whole document in JSON, as received.
type Metadata struct {
	Issuer                      string
	AuthorizationEndpoint       string
	TokenEndpoint               string
	DeviceAuthorizationEndpoint string
	RevocationEndpoint          string // RFC 7009
	RegistrationEndpoint        string // RFC 7591
	// PAREndpoint is pushed_authorization_request_endpoint (RFC 9126), and
	// PARRequired its require_pushed_authorization_requests.
	PAREndpoint string
	PARRequired bool
	// IssParameterSupported: the server puts iss in authorization
	// responses (RFC 9207, authorization_response_iss_parameter_supported).
	IssParameterSupported bool
	JSON                  string // a JSON object; encoding/json reads the rest
}

var (
	discoveredMu sync.Mutex
	discovered   = map[string]*Metadata{} // by issuer
)

func cached(issuer string) *Metadata {
	discoveredMu.Lock()
	m := discovered[issuer]
	discoveredMu.Unlock()
	return m
}

// Discover reads the metadata of issuer: RFC 8414's
// /.well-known/oauth-authorization-server, or else OpenID Connect's
// /.well-known/openid-configuration. The metadata must name the issuer it
// was asked for (RFC 8414 §3.3). Metadata is cached per issuer for the
// life of the program.
func Discover(ctx context.Context, tr authlib.Transport, issuer string) (*Metadata, error) {
	issuer = strings.TrimSuffix(issuer, "/")
	if m := cached(issuer); m != nil {
		return m, nil
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
		discoveredMu.Lock()
		discovered[issuer] = m
		discoveredMu.Unlock()
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
	body, err := readBody(res)
	if err != nil || res.StatusCode != 200 {
		return nil, &authlib.Error{Kind: ErrMetadata, Op: "oauth2 discover", URL: redact(where), Detail: "no metadata there"}
	}
	f, err := parseObject(body)
	if err != nil {
		return nil, &authlib.Error{Kind: ErrMetadata, Op: "oauth2 discover", URL: redact(where), Detail: "the metadata is not a JSON object"}
	}
	return &Metadata{Issuer: f.str("issuer"), AuthorizationEndpoint: f.str("authorization_endpoint"),
		TokenEndpoint: f.str("token_endpoint"), DeviceAuthorizationEndpoint: f.str("device_authorization_endpoint"),
		RevocationEndpoint: f.str("revocation_endpoint"), RegistrationEndpoint: f.str("registration_endpoint"),
		PAREndpoint: f.str("pushed_authorization_request_endpoint"), PARRequired: f["require_pushed_authorization_requests"] == field{text: "true"},
		IssParameterSupported: f["authorization_response_iss_parameter_supported"] == field{text: "true"}, JSON: body}, nil
}

// Discover fills the endpoints of c left empty from issuer's metadata, and
// the Issuer when it is empty (Exchange checks a callback's iss against it).
func (c *Config) Discover(ctx context.Context, issuer string) (*Metadata, error) {
	m, err := Discover(ctx, c.Transport, issuer)
	if err != nil {
		return nil, err
	}
	if c.Issuer == "" {
		c.Issuer = issuer
	}
	for _, f := range []struct {
		dst *string
		v   string
	}{
		{&c.AuthURL, m.AuthorizationEndpoint}, {&c.TokenURL, m.TokenEndpoint}, {&c.DeviceURL, m.DeviceAuthorizationEndpoint},
		{&c.RevocationURL, m.RevocationEndpoint}, {&c.RegistrationURL, m.RegistrationEndpoint}, {&c.PARURL, m.PAREndpoint},
	} {
		if *f.dst == "" {
			*f.dst = f.v
		}
	}
	return m, nil
}
