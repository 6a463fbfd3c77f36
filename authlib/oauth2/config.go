package oauth2

import (
	"context"
	"fmt"
	"github.com/authlib-go/authlib/authlib/internal/ascii"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// AuthStyle is how a client authenticates to the token endpoint (RFC 6749
// §2.3.1).
type AuthStyle int

const (
	// AuthAuto is AuthBasic with a client secret and AuthNone without.
	AuthAuto AuthStyle = iota
	// AuthBasic is client_secret_basic: HTTP Basic with the client id and
	// secret, each form-urlencoded first as RFC 6749 §2.3.1 says.
	AuthBasic
	// AuthPost is client_secret_post: client_id and client_secret in the
	// request body.
	AuthPost
	// AuthNone is a public client: client_id in the body, no secret.
	AuthNone
	// AuthPrivateKeyJWT is private_key_jwt: a JWT signed with
	// Config.ClientKey (RFC 7523 §2.2, OpenID Connect Core §9).
	AuthPrivateKeyJWT
	// AuthClientSecretJWT is client_secret_jwt: a JWT signed with the
	// client secret by HMAC-SHA256, so the secret itself is not sent.
	AuthClientSecretJWT
)

// Config is an OAuth 2.0 client: who it is, the server's endpoints, and
// the authlib Transport its token requests go through. The client secret
// goes only to the token and device authorization endpoints.
type Config struct {
	ClientID     string
	ClientSecret string
	AuthStyle    AuthStyle
	// ClientKey signs the client's assertions with AuthPrivateKeyJWT: RS256
	// (rsa-v1_5-sha256), PS256 (rsa-pss-sha256), ES256 or EdDSA; natively
	// [authlib.NewSigner], in wasm a WebCrypto key. ClientKeyID, when set,
	// is their kid, the key's id in the client's registered JWK set.
	ClientKey   authlib.Signer
	ClientKeyID string

	// Issuer is the authorization server; the endpoints below left empty
	// are read from its metadata (see [Discover]) when first needed.
	Issuer string
	// The server's endpoints; [Config.Discover] fills those left empty from
	// the issuer's metadata.
	AuthURL   string // authorization endpoint (authorization code)
	TokenURL  string // token endpoint
	DeviceURL string // device authorization endpoint (RFC 8628)
	// RevocationURL is the token revocation endpoint (RFC 7009).
	RevocationURL string
	// RegistrationURL is the client registration endpoint (RFC 7591).
	RegistrationURL string
	// PARURL is the pushed authorization request endpoint (RFC 9126).
	PARURL string
	// PAR pushes every authorization request ([Config.AuthorizationURL]),
	// also where the server does not require it.
	PAR bool

	// DPoP, when set, binds the tokens to its key (RFC 9449): see [DPoP].
	// A server that does not support DPoP answers with Bearer tokens,
	// which are then sent as Bearer tokens (§5).
	DPoP *DPoP

	RedirectURL string   // the authorization code flow's redirect_uri
	Scopes      []string // sent space-separated as scope; none when empty
	// Resources are the resources (absolute URLs, RFC 8707) the tokens
	// are for, sent as resource parameters in authorization and token
	// requests: the server limits the tokens to them.
	Resources []string

	// Transport sends the token requests: nethttp.Transport natively,
	// fetch.Transport in js/wasm. Required.
	Transport authlib.Transport
	// AllowInsecure allows the endpoints over plain http to a host that is
	// not loopback.
	AllowInsecure bool
	// Timeout bounds one token request; 0 means 30 s, a negative value no
	// bound but the Transport's. (In wasm a Go timer keeps a Node process
	// alive until it fires, even stopped: the JS API gives the fetch
	// transport a Timeout, a JS timer, and sets this to -1.)
	Timeout time.Duration

	// Now and Sleep stand in for the clock in tests; nil means the real one.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Format masks the client secret, for every verb of the fmt package.
func (c Config) Format(f fmt.State, verb rune) {
	io.WriteString(f, "oauth2.Config{ClientID: "+c.ClientID+", ClientSecret: "+mask(c.ClientSecret)+", TokenURL: "+redact(c.TokenURL)+"}")
}

func (c *Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Config) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	return authlib.Sleep(ctx, d)
}

// timeout is the Timeout of one request to the server.
func (c *Config) timeout() time.Duration {
	switch {
	case c.Timeout == 0:
		return 30 * time.Second
	case c.Timeout < 0:
		return 0
	}
	return c.Timeout
}

func (c *Config) scope() string { return strings.Join(c.Scopes, " ") }

// withScope returns the form fields kv, and the scope when there is one.
func (c *Config) withScope(kv ...string) []string {
	if s := c.scope(); s != "" {
		kv = append(kv, "scope", s)
	}
	return kv
}

// readBody reads up to 1 MiB of res's body, and closes it.
func readBody(res *authlib.Response) (string, error) {
	b := make([]byte, 0, 1024)
	var err error
	for len(b) < 1<<20 && err == nil {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		var n int
		n, err = res.Body.Read(b[len(b):min(cap(b), 1<<20)])
		b = b[:len(b)+n]
	}
	res.Body.Close()
	if err == io.EOF {
		err = nil
	}
	return string(b), err
}

// ClientCredentials gets a token for the client itself (RFC 6749 §4.4).
func (c *Config) ClientCredentials(ctx context.Context) (*Token, error) {
	return c.token(ctx, c.withScope("grant_type", "client_credentials"), nil)
}

// Refresh exchanges a refresh token for a new token (RFC 6749 §6). When
// the server sends no refresh token back, the new token keeps this one;
// when it sends one, it replaces this one (rotation).
func (c *Config) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	if refreshToken == "" {
		return nil, &authlib.Error{Kind: ErrConfig, Op: "oauth2 refresh", Detail: "there is no refresh token"}
	}
	t, err := c.token(ctx, []string{"grant_type", "refresh_token", "refresh_token", refreshToken}, []string{refreshToken})
	if err != nil {
		return nil, err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = refreshToken
	}
	return t, nil
}

// token posts form (name, value pairs) to the token endpoint and reads the
// token.
func (c *Config) token(ctx context.Context, form []string, secrets []string) (*Token, error) {
	endpoint, err := c.endpoint(ctx, c.TokenURL, func(m *Metadata) string { return m.TokenEndpoint })
	if err != nil {
		return nil, err
	}
	for _, r := range c.Resources {
		form = append(form, "resource", r)
	}
	m, err := c.post(ctx, opToken, endpoint, form, secrets)
	if err != nil {
		return nil, err
	}
	t, err := tokenFromJSON(m, c.now(), opToken, redact(endpoint))
	if err != nil || t.TokenType != "DPoP" {
		return t, err
	}
	if c.DPoP == nil {
		return nil, &authlib.Error{Kind: ErrTokenResponse, Op: opToken, URL: redact(endpoint), Detail: "the server sent a DPoP token to a client without a DPoP key"}
	}
	if t.KeyThumbprint, err = c.DPoP.thumbprint(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

// The operations whose requests carry a DPoP proof, as errors name them.
const (
	opToken = "oauth2 token"
	opPAR   = "oauth2 par"
)

// endpoint returns set, or else the endpoint pick reads from the Issuer's
// metadata, discovered on first use.
func (c *Config) endpoint(ctx context.Context, set string, pick func(*Metadata) string) (string, error) {
	if set != "" || c.Issuer == "" {
		return set, nil
	}
	m, err := Discover(ctx, c.Transport, c.Issuer)
	if err != nil {
		return "", err
	}
	return pick(m), nil
}

// post sends form (name, value pairs) to endpoint with the client's
// authentication, and returns the JSON object of a 2xx answer; an OAuth
// error response is an [*Error].
func (c *Config) post(ctx context.Context, op, endpoint string, form []string, secrets []string) (fields, error) {
	m, status, err := c.send(ctx, op, endpoint, form, secrets)
	if err != nil {
		return nil, err
	}
	if status/100 == 2 && m != nil {
		return m, nil
	}
	return nil, &authlib.Error{Kind: ErrTokenResponse, Op: op, URL: redact(endpoint),
		Detail: "the server answered " + strconv.Itoa(status) + " without a JSON object or an OAuth error"}
}

// send is post's request: it returns the answer's JSON object (nil when
// it has none) and status, or an [*Error] for an OAuth error response.
func (c *Config) send(ctx context.Context, op, endpoint string, form []string, secrets []string) (fields, int, error) {
	missing := ""
	switch {
	case c.Transport == nil:
		missing = "set Config.Transport"
	case endpoint == "":
		missing = "the endpoint is not set: set it, or call Config.Discover"
	case c.ClientID == "":
		missing = "set Config.ClientID"
	}
	if missing != "" {
		return nil, 0, &authlib.Error{Kind: ErrConfig, Op: op, Detail: missing}
	}
	secrets = append(secrets, c.ClientSecret)
	var auth authlib.Auth
	switch c.style() {
	case AuthBasic:
		auth = authlib.Basic{Username: url.QueryEscape(c.ClientID), Password: url.QueryEscape(c.ClientSecret)}
	case AuthPost:
		form = append(form, "client_id", c.ClientID, "client_secret", c.ClientSecret)
	default:
		form = append(form, "client_id", c.ClientID)
	}
	assert := c.style() == AuthPrivateKeyJWT || c.style() == AuthClientSecretJWT
	// No redirects: a token endpoint that redirects is misconfigured, and
	// the secret must not follow.
	cl := &authlib.Client{Transport: c.Transport, Auth: auth, AllowInsecure: c.AllowInsecure, MaxRedirects: -1, Timeout: c.timeout()}
	where := redact(endpoint)
	// With DPoP, a token or pushed authorization request carries a proof
	// (RFC 9449 §5, §10.1); a server that wants a nonce in it answers 400
	// use_dpop_nonce with one, and the request goes again once (§8).
	proof := c.DPoP != nil && (op == opToken || op == opPAR)
	for round := 0; ; round++ {
		out := form
		if assert {
			// A new assertion each time: a server refuses a jti it has seen.
			a, err := c.assertion(ctx, op, endpoint)
			if err != nil {
				return nil, 0, err
			}
			out = append(form[:len(form):len(form)], "client_assertion_type", jwtBearer, "client_assertion", a)
			secrets = append(secrets, a)
		}
		req, err := authlib.NewRequest(ctx, "POST", endpoint, []byte(encodeForm(out)))
		if err != nil {
			return nil, 0, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		sentNonce := ""
		if proof {
			sentNonce = c.DPoP.nonce("as", req.URL)
			p, err := c.DPoP.Proof(ctx, "POST", endpoint, "", sentNonce)
			if err != nil {
				return nil, 0, err
			}
			req.Header.Set("DPoP", p)
		}
		res, err := cl.Do(req)
		if err != nil {
			return nil, 0, err
		}
		body, err := readBody(res)
		if err != nil {
			return nil, 0, &authlib.Error{Kind: authlib.ErrNetwork, Op: op, URL: where, Detail: "reading the response failed"}
		}
		// Another nonce than the proof's is worth one more try.
		fresh := false
		if proof {
			c.DPoP.keepNonce("as", req.URL, res.Header.Get("DPoP-Nonce"))
			fresh = c.DPoP.nonce("as", req.URL) != sentNonce
		}
		m := readObject(body, res.Header.Get("Content-Type"))
		// An error field is an error whatever the status: some servers
		// (GitHub's device flow) answer 200 with one.
		code := m.str("error")
		if code == "use_dpop_nonce" && fresh && round == 0 {
			continue
		}
		if code != "" {
			return nil, 0, &Error{Code: cut(scrubSecrets(code, secrets), 64), Description: cut(scrubSecrets(m.str("error_description"), secrets), 500),
				URI: cut(m.str("error_uri"), 200), StatusCode: res.StatusCode, Endpoint: where}
		}
		return m, res.StatusCode, nil
	}
}

func (c *Config) style() AuthStyle {
	if c.AuthStyle == AuthAuto {
		if c.ClientSecret != "" {
			return AuthBasic
		}
		return AuthNone
	}
	return c.AuthStyle
}

// readObject reads a JSON object, or a form-encoded body (which some
// servers, GitHub's among them, send unless asked for JSON); nil if it is
// neither.
func readObject(body, ctype string) fields {
	if m, err := parseObject(body); err == nil {
		return m
	}
	if strings.HasPrefix(ascii.Lower(ctype), "application/x-www-form-urlencoded") {
		if kv, ok := parseForm(body); ok {
			return formFields(kv)
		}
	}
	return nil
}

// redact returns an endpoint for messages: without query or user.
func redact(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return ""
	}
	return authlib.RedactURL(u)
}
