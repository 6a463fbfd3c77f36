package authtest

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// The OAuth server's clients: the two fixed ones, and those that register
// themselves (RFC 7591).
type oauthClients struct {
	mu   sync.Mutex
	byID map[string]*oauthClientInfo
	jtis jtiStore // client assertions' (RFC 7523 §3: each used once)
}

type oauthClientInfo struct {
	id, secret string
	// method is the token_endpoint_auth_method it registered; "" (the
	// fixed confidential client) takes any that uses its secret.
	method    string
	keys      []map[string]any // its JWK set, for private_key_jwt
	redirects []string         // registered redirect_uris; none for the fixed clients
	// requirePAR: its authorization requests must be pushed (RFC 9126 §6).
	requirePAR bool
}

func newOAuthClients() *oauthClients {
	return &oauthClients{byID: map[string]*oauthClientInfo{
		OAuthClientID:       {id: OAuthClientID, secret: OAuthClientSecret},
		OAuthPublicClientID: {id: OAuthPublicClientID, method: "none"},
	}}
}

func (cs *oauthClients) get(id string) *oauthClientInfo {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.byID[id]
}

// oauthRegister is the registration endpoint (RFC 7591 §3): a JSON object
// of client metadata in, the client's id (and secret, for the methods
// that use one) and its metadata out, 201. A private_key_jwt client gives
// its public keys as jwks; a client that logs users in gives its
// redirect_uris. Counted in /stats as register.
func (h *Handler) oauthRegister(w http.ResponseWriter, r *http.Request) {
	bad := func(code, desc string) { oauthError(w, 400, code, desc) }
	var m struct {
		RedirectURIs []string `json:"redirect_uris"`
		Method       string   `json:"token_endpoint_auth_method"`
		GrantTypes   []string `json:"grant_types"`
		JWKS         *struct {
			Keys []map[string]any `json:"keys"`
		} `json:"jwks"`
		JWKSURI    string `json:"jwks_uri"`
		RequirePAR bool   `json:"require_pushed_authorization_requests"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	var all map[string]any
	if r.Method != http.MethodPost || json.Unmarshal(body, &m) != nil || json.Unmarshal(body, &all) != nil {
		bad("invalid_client_metadata", "POST a JSON object of client metadata")
		return
	}
	if m.Method == "" {
		m.Method = "client_secret_basic" // RFC 7591 §2
	}
	for _, u := range m.RedirectURIs {
		if pu, err := url.Parse(u); err != nil || !pu.IsAbs() || pu.Fragment != "" {
			bad("invalid_redirect_uri", "a redirect_uri is an absolute URL without a fragment")
			return
		}
	}
	c := &oauthClientInfo{id: "dyn-" + random(12), method: m.Method, redirects: m.RedirectURIs, requirePAR: m.RequirePAR}
	switch m.Method {
	case "none":
	case "client_secret_basic", "client_secret_post", "client_secret_jwt":
		c.secret = random(24)
	case "private_key_jwt":
		if m.JWKSURI != "" || m.JWKS == nil || len(m.JWKS.Keys) == 0 {
			bad("invalid_client_metadata", "private_key_jwt needs the public keys in jwks (authtest fetches no jwks_uri)")
			return
		}
		for _, k := range m.JWKS.Keys {
			if _, _, err := publicJWK(k); err != nil {
				bad("invalid_client_metadata", "jwks: "+err.Error())
				return
			}
		}
		c.keys = m.JWKS.Keys
	default:
		bad("invalid_client_metadata", "token_endpoint_auth_method is none, client_secret_basic, client_secret_post, client_secret_jwt or private_key_jwt")
		return
	}
	if (len(m.GrantTypes) == 0 || slices.Contains(m.GrantTypes, "authorization_code")) && len(c.redirects) == 0 {
		bad("invalid_redirect_uri", "the authorization_code grant needs redirect_uris")
		return
	}
	h.clients.mu.Lock()
	h.clients.byID[c.id] = c
	h.clients.mu.Unlock()
	h.count("register")
	all["client_id"] = c.id
	all["client_id_issued_at"] = time.Now().Unix()
	all["token_endpoint_auth_method"] = m.Method
	if c.secret != "" {
		all["client_secret"] = c.secret
		all["client_secret_expires_at"] = 0
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, 201, all)
}

// oauthClient authenticates the client of a request to the token, device,
// PAR or revocation endpoint, as it registered (the fixed confidential
// client by any method that uses its secret): Basic, with id and secret
// form-urlencoded first (RFC 6749 §2.3.1); the secret in the body; a JWT
// assertion (RFC 7523 §2.2), signed with the secret (client_secret_jwt,
// HS256) or a key of its JWK set (private_key_jwt); or, for a public
// client, its client_id alone. ok is false for anything else, a client
// using another method than its own included.
func (h *Handler) oauthClient(r *http.Request) (id string, confidential bool, ok bool) {
	method, secret := "none", ""
	var assertion string
	if u, p, has := r.BasicAuth(); has {
		uid, err1 := url.QueryUnescape(u)
		sec, err2 := url.QueryUnescape(p)
		if err1 != nil || err2 != nil {
			return uid, true, false
		}
		id, method, secret = uid, "client_secret_basic", sec
	} else if t := r.PostForm.Get("client_assertion_type"); t != "" || r.PostForm.Has("client_assertion") {
		if t != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
			return "", true, false
		}
		assertion = r.PostForm.Get("client_assertion")
		id, method = h.assertionClient(r, assertion)
		if id == "" || r.PostForm.Has("client_id") && r.PostForm.Get("client_id") != id {
			return id, true, false
		}
	} else {
		id = r.PostForm.Get("client_id")
		if r.PostForm.Has("client_secret") {
			method, secret = "client_secret_post", r.PostForm.Get("client_secret")
		}
	}
	c := h.clients.get(id)
	if c == nil {
		return id, method != "none", false
	}
	switch {
	case c.method != "" && c.method != method:
		return id, true, false
	case c.method == "" && method == "none":
		return id, true, false
	case method == "client_secret_basic" || method == "client_secret_post":
		return id, true, subtle.ConstantTimeCompare([]byte(secret), []byte(c.secret)) == 1
	case method == "client_secret_jwt" || method == "private_key_jwt":
		j, _ := parseJWS(assertion)
		if method == "client_secret_jwt" {
			return id, true, j.verify([]byte(c.secret))
		}
		for _, k := range c.keys {
			kid, _ := k["kid"].(string)
			if key, _, err := publicJWK(k); err == nil && (j.str("kid") == "" || kid == j.str("kid")) && j.verify(key) {
				return id, true, true
			}
		}
		return id, true, false
	}
	return id, false, true // a public client
}

// postingClient reads the form a client posted to the device, PAR or
// revocation endpoint and authenticates the client; a request that is not
// a form, or whose client fails, is answered here, and ok is false.
func (h *Handler) postingClient(w http.ResponseWriter, r *http.Request) (id string, confidential, ok bool) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		oauthError(w, 400, "invalid_request", "POST a form")
		return "", false, false
	}
	if id, confidential, ok = h.oauthClient(r); !ok {
		oauthError(w, 401, "invalid_client", "client authentication failed")
	}
	return id, confidential, ok
}

// assertionClient reads a client assertion's claims (RFC 7523 §3): iss and
// sub the client id, aud the issuer or the endpoint's URL, exp in the
// future and at most ten minutes ahead, a jti not seen before. It returns
// the client id and the method its alg makes it, or "" when a claim is
// wrong; the signature is checked by the caller, with the client's key.
func (h *Handler) assertionClient(r *http.Request, assertion string) (id, method string) {
	j, err := parseJWS(assertion)
	if err != nil {
		return "", ""
	}
	var claims struct {
		Iss, Sub, Jti string
		Aud           any
		Exp           *float64
	}
	if json.Unmarshal(j.claims, &claims) != nil || claims.Exp == nil || claims.Jti == "" || claims.Iss == "" || claims.Iss != claims.Sub {
		return "", ""
	}
	auds, ok := claims.Aud.([]any)
	if s, isStr := claims.Aud.(string); isStr {
		auds, ok = []any{s}, true
	}
	now := time.Now()
	exp := time.Unix(int64(*claims.Exp), 0)
	if !ok || !slices.ContainsFunc(auds, func(a any) bool { return a == base(r) || a == requestURL(r) }) ||
		!exp.After(now) || exp.Sub(now) > 10*time.Minute || !h.clients.jtis.fresh(claims.Iss+" "+claims.Jti, now) {
		return "", ""
	}
	switch j.str("alg") {
	case "HS256":
		return claims.Iss, "client_secret_jwt"
	case "RS256", "PS256", "ES256", "EdDSA":
		return claims.Iss, "private_key_jwt"
	}
	return "", ""
}

// redirectOK reports a redirect_uri the client may use: any absolute URL
// for the fixed clients, one of its own for a registered one.
func (c *oauthClientInfo) redirectOK(u string) bool {
	return c.redirects == nil || slices.Contains(c.redirects, u)
}
