package authtest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The mock OAuth 2.0 authorization server (RFC 6749, 7636, 8414, 8628).
// Its clients:
const (
	// OAuthClientID is a confidential client; its secret holds the
	// characters that RFC 6749 §2.3.1's form-urlencoding exists for.
	OAuthClientID     = "my-app"
	OAuthClientSecret = "p@ss: 100% +sure"
	// OAuthPublicClientID is a public client (no secret; PKCE).
	OAuthPublicClientID = "public-app"
)

type oauthState struct {
	mu      sync.Mutex
	codes   map[string]*oauthCode
	access  map[string]*oauthGrant // access token → grant
	refresh map[string]*oauthGrant // refresh token → grant
	devices map[string]*oauthDevice
	pushed  map[string]*pushedRequest // by request_uri
	byUser  map[string]*oauthDevice   // user code → device
}

type oauthCode struct {
	client, redirect, challenge, scope string
	jkt                                string   // dpop_jkt: the DPoP key the code is bound to
	resources                          []string // RFC 8707
	used                               bool
}

type oauthGrant struct {
	client, scope string
	jkt           string   // the DPoP key the token is bound to, if any
	resources     []string // the resources it is for (RFC 8707); none means any
	expiry        time.Time
	revoked       bool
	// family is every token issued from one authorization, rotations
	// included: revoking a refresh token revokes them all (RFC 7009 §2.1).
	family *oauthFamily
}

type oauthFamily struct{ revoked bool }

// dead reports a token revoked by itself or with its family.
func (g *oauthGrant) dead() bool { return g.revoked || g.family != nil && g.family.revoked }

type oauthDevice struct {
	client, scope, userCode string
	approved, denied        bool
	slowDowns               int // slow_down answers still to give
	expiry                  time.Time
}

func newOAuthState() *oauthState {
	return &oauthState{codes: map[string]*oauthCode{}, access: map[string]*oauthGrant{}, refresh: map[string]*oauthGrant{},
		devices: map[string]*oauthDevice{}, pushed: map[string]*pushedRequest{}, byUser: map[string]*oauthDevice{}}
}

func (h *Handler) routeOAuth(m *http.ServeMux) {
	m.HandleFunc("/.well-known/oauth-authorization-server", h.oauthMetadata)
	m.HandleFunc("/.well-known/openid-configuration", h.oauthMetadata)
	m.HandleFunc("/oauth/authorize", h.oauthAuthorize)
	m.HandleFunc("/oauth/token", h.oauthToken)
	m.HandleFunc("/oauth/device", h.oauthDevice)
	m.HandleFunc("/oauth/device/approve", h.oauthApprove)
	m.HandleFunc("/oauth/revoke", h.oauthRevoke)
	m.HandleFunc("/oauth/register", h.oauthRegister)
	m.HandleFunc("/oauth/par", h.oauthPAR)
	m.HandleFunc("/oauth/api/user", h.oauthResource("", false))
	m.HandleFunc("/oauth/api/admin", h.oauthResource("admin", false))
	m.HandleFunc("/mcp", h.oauthResource("", true))
	m.HandleFunc("/.well-known/oauth-protected-resource/mcp", h.resourceMetadata("/mcp"))
	m.HandleFunc("/mcp-elsewhere", h.oauthResource("", true))
	m.HandleFunc("/.well-known/oauth-protected-resource/mcp-elsewhere", h.resourceMetadata("/mcp"))
}

// base is the server's URL as the client reached it, mount prefix included.
func base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	prefix := strings.TrimSuffix(strings.SplitN(r.RequestURI, "?", 2)[0], r.URL.Path)
	return scheme + "://" + r.Host + prefix
}

func (h *Handler) oauthMetadata(w http.ResponseWriter, r *http.Request) {
	b := base(r)
	writeJSON(w, 200, map[string]any{
		"issuer":                                           b,
		"authorization_endpoint":                           b + "/oauth/authorize",
		"token_endpoint":                                   b + "/oauth/token",
		"device_authorization_endpoint":                    b + "/oauth/device",
		"revocation_endpoint":                              b + "/oauth/revoke",
		"registration_endpoint":                            b + "/oauth/register",
		"pushed_authorization_request_endpoint":            b + "/oauth/par",
		"grant_types_supported":                            []string{"authorization_code", "client_credentials", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"},
		"code_challenge_methods_supported":                 []string{"S256"},
		"token_endpoint_auth_methods_supported":            []string{"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"},
		"token_endpoint_auth_signing_alg_values_supported": []string{"HS256", "RS256", "PS256", "ES256", "EdDSA"},
		"scopes_supported":                                 []string{"read:user", "admin"},
		"authorization_response_iss_parameter_supported":   true,
		"dpop_signing_alg_values_supported":                []string{"ES256", "EdDSA"},
	})
}

// oauthAuthorize approves at once (login_hint=deny refuses), and sends the
// browser back with a code, or with an error.
func (h *Handler) oauthAuthorize(w http.ResponseWriter, r *http.Request) {
	q, why := h.pushedParams(r.URL.Query())
	if why != "" {
		writeJSON(w, 400, map[string]any{"error": "invalid_request", "error_description": why})
		return
	}
	client, redirect := q.Get("client_id"), q.Get("redirect_uri")
	ru, err := url.Parse(redirect)
	if c := h.clients.get(client); c == nil || err != nil || !ru.IsAbs() || !c.redirectOK(redirect) {
		writeJSON(w, 400, map[string]any{"error": "invalid_request", "error_description": "unknown client_id, or a redirect_uri not absolute or not registered"})
		return
	}
	back := ru.Query()
	back.Set("state", q.Get("state"))
	back.Set("iss", base(r)) // RFC 9207, in every response
	switch {
	case q.Get("response_type") != "code":
		back.Set("error", "unsupported_response_type")
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		back.Set("error", "invalid_request")
		back.Set("error_description", "PKCE with S256 is required")
	case q.Get("login_hint") == "deny":
		back.Set("error", "access_denied")
		back.Set("error_description", "The user said no")
	default:
		code := random(18)
		h.oauth.mu.Lock()
		h.oauth.codes[code] = &oauthCode{client: client, redirect: redirect, challenge: q.Get("code_challenge"), scope: q.Get("scope"), jkt: q.Get("dpop_jkt"), resources: q["resource"]}
		h.oauth.mu.Unlock()
		back.Set("code", code)
	}
	ru.RawQuery = back.Encode()
	http.Redirect(w, r, ru.String(), http.StatusFound)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	if status == 401 {
		w.Header().Set("WWW-Authenticate", `Basic realm="authtest oauth"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]any{"error": code, "error_description": desc})
}

// oauthToken is the token endpoint: all four grants. ?lifetime=N on its
// URL gives tokens that live N seconds (default 3600); refresh tokens
// rotate, and a rotated one is refused as invalid_grant.
func (h *Handler) oauthToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		oauthError(w, 400, "invalid_request", "POST a form")
		return
	}
	f := r.PostForm
	grant := f.Get("grant_type")
	h.mu.Lock()
	h.stats["grant:"+grant]++ // every token request, by grant
	h.mu.Unlock()
	client, confidential, ok := h.oauthClient(r)
	if !ok {
		oauthError(w, 401, "invalid_client", "client authentication failed")
		return
	}
	// DPoP (RFC 9449 §5): a token request with a proof gets a DPoP token,
	// bound to the proof's key.
	jkt, ok := h.asProof(w, r)
	if !ok {
		return
	}
	lifetime := 3600
	if s := r.URL.Query().Get("lifetime"); s != "" {
		lifetime, _ = strconv.Atoi(s)
	}
	s := h.oauth
	s.mu.Lock()
	defer s.mu.Unlock()
	scope := f.Get("scope")
	var family *oauthFamily // a refreshed token's, or a new one
	var granted []string    // the resources the grant allows (RFC 8707); nil: any
	switch grant {
	case "client_credentials":
		if !confidential {
			oauthError(w, 400, "unauthorized_client", "a public client has no client credentials")
			return
		}
	case "refresh_token":
		g := s.refresh[f.Get("refresh_token")]
		if g == nil || g.dead() || g.client != client {
			oauthError(w, 400, "invalid_grant", "the refresh token is invalid, revoked or rotated")
			return
		}
		if g.jkt != "" && g.jkt != jkt {
			oauthError(w, 400, "invalid_grant", "the refresh token is bound to another DPoP key (RFC 9449 §5)")
			return
		}
		g.revoked = true // rotation
		scope = g.scope
		family = g.family
		granted = g.resources
	case "authorization_code":
		c := s.codes[f.Get("code")]
		switch {
		case c == nil || c.used || c.client != client:
			oauthError(w, 400, "invalid_grant", "the code is invalid or used")
			return
		case c.redirect != f.Get("redirect_uri"):
			oauthError(w, 400, "invalid_grant", "redirect_uri differs from the authorization request's")
			return
		case s256(f.Get("code_verifier")) != c.challenge:
			oauthError(w, 400, "invalid_grant", "the PKCE code_verifier does not match the code_challenge")
			return
		case c.jkt != "" && c.jkt != jkt:
			oauthError(w, 400, "invalid_grant", "the proof's key is not the dpop_jkt of the authorization request (RFC 9449 §10)")
			return
		}
		c.used = true
		scope = c.scope
		granted = c.resources
	case "urn:ietf:params:oauth:grant-type:device_code":
		d := s.devices[f.Get("device_code")]
		switch {
		case d == nil || d.client != client:
			oauthError(w, 400, "invalid_grant", "unknown device_code")
			return
		case time.Now().After(d.expiry):
			oauthError(w, 400, "expired_token", "the device code expired")
			return
		case d.denied:
			oauthError(w, 400, "access_denied", "the user refused")
			return
		case d.slowDowns > 0:
			d.slowDowns--
			oauthError(w, 400, "slow_down", "poll less often")
			return
		case !d.approved:
			oauthError(w, 400, "authorization_pending", "the user has not approved yet")
			return
		}
		delete(s.devices, f.Get("device_code"))
		scope = d.scope
	default:
		oauthError(w, 400, "unsupported_grant_type", "grant_type is not one of the four this server knows")
		return
	}
	// RFC 8707 §2.2: the token request may ask for fewer resources than
	// granted, not others.
	resources := granted
	if asked := f["resource"]; len(asked) > 0 {
		for _, a := range asked {
			if granted != nil && !slices.Contains(granted, a) {
				oauthError(w, 400, "invalid_target", "a resource was not in the authorization")
				return
			}
		}
		resources = asked
	}
	at, rt := random(24), random(24)
	exp := time.Now().Add(time.Duration(lifetime) * time.Second)
	if family == nil {
		family = &oauthFamily{}
	}
	s.access[at] = &oauthGrant{client: client, scope: scope, expiry: exp, family: family, jkt: jkt, resources: resources}
	out := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": lifetime, "scope": scope}
	if jkt != "" {
		out["token_type"] = "DPoP"
		w.Header().Set("DPoP-Nonce", h.dpopNonce("as"))
	}
	if grant != "client_credentials" {
		// A public client's refresh token is bound to its DPoP key too
		// (§5); a confidential client's is bound by its authentication.
		rjkt := jkt
		if confidential {
			rjkt = ""
		}
		s.refresh[rt] = &oauthGrant{client: client, scope: scope, family: family, jkt: rjkt, resources: granted}
		out["refresh_token"] = rt
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, 200, out)
}

// userCode returns eight letters as XXXX-XXXX from RFC 8628 §6.1's
// suggested set, with no vowels (no words) and no look-alikes.
func userCode() string {
	const set = "BCDFGHJKLMNPQRSTVWXZ"
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = set[int(b[i])%len(set)]
	}
	return string(b[:4]) + "-" + string(b[4:])
}

func s256(v string) string {
	h := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// oauthDevice starts the device flow (RFC 8628 §3.1). ?slow_down=N on its
// URL makes the first N polls answer slow_down; ?interval=N sets the
// interval (default 5).
func (h *Handler) oauthDevice(w http.ResponseWriter, r *http.Request) {
	client, _, ok := h.postingClient(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	slow, _ := strconv.Atoi(q.Get("slow_down"))
	interval := 1 // a mock need not make tests wait
	if s := q.Get("interval"); s != "" {
		interval, _ = strconv.Atoi(s)
	}
	dc := random(24)
	uc := userCode()
	d := &oauthDevice{client: client, scope: r.PostForm.Get("scope"), userCode: uc, slowDowns: slow, expiry: time.Now().Add(10 * time.Minute)}
	h.oauth.mu.Lock()
	h.oauth.devices[dc] = d
	h.oauth.byUser[uc] = d
	h.oauth.mu.Unlock()
	verify := base(r) + "/oauth/device/approve"
	writeJSON(w, 200, map[string]any{"device_code": dc, "user_code": uc, "verification_uri": verify,
		"verification_uri_complete": verify + "?user_code=" + url.QueryEscape(uc), "expires_in": 600, "interval": interval})
}

// oauthApprove is where the user goes: ?user_code=X approves (and
// &deny=1 refuses) at once.
func (h *Handler) oauthApprove(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h.oauth.mu.Lock()
	d := h.oauth.byUser[q.Get("user_code")]
	if d != nil {
		d.approved, d.denied = q.Get("deny") == "", q.Get("deny") != ""
	}
	h.oauth.mu.Unlock()
	if d == nil {
		writeJSON(w, 404, map[string]any{"error": "no such user code"})
		return
	}
	writeJSON(w, 200, map[string]any{"approved": !d.denied, "user_code": d.userCode})
}

// oauthRevoke is the revocation endpoint (RFC 7009). The client
// authenticates as at the token endpoint, and revokes only tokens issued
// to it: another client's is refused. A refresh token takes every token of
// its authorization with it (§2.1); an access token goes alone. A token
// the server does not know is answered 200, as one revoked already (§2.2);
// a token_type_hint other than the two is unsupported_token_type. Each
// revocation is counted in /stats as revoke:<the token's type>.
func (h *Handler) oauthRevoke(w http.ResponseWriter, r *http.Request) {
	client, _, ok := h.postingClient(w, r)
	if !ok {
		return
	}
	t, hint := r.PostForm.Get("token"), r.PostForm.Get("token_type_hint")
	switch {
	case t == "":
		oauthError(w, 400, "invalid_request", "no token to revoke")
		return
	case hint != "" && hint != "access_token" && hint != "refresh_token":
		oauthError(w, 400, "unsupported_token_type", "token_type_hint is access_token or refresh_token")
		return
	}
	s := h.oauth
	s.mu.Lock()
	kind, g := "access_token", s.access[t]
	if g == nil {
		kind, g = "refresh_token", s.refresh[t]
	}
	if g != nil && g.client != client {
		s.mu.Unlock()
		oauthError(w, 400, "unauthorized_client", "the token was not issued to this client")
		return
	}
	if g != nil {
		g.revoked = true
		if kind == "refresh_token" {
			g.family.revoked = true
		}
	}
	s.mu.Unlock()
	if g != nil {
		h.mu.Lock()
		h.stats["revoke:"+kind]++
		h.mu.Unlock()
	}
	w.WriteHeader(200)
}

// oauthResource is a protected resource taking Bearer tokens (RFC 6750)
// and DPoP tokens (RFC 9449 §7): 401 with error="invalid_token" for an
// unknown, expired or revoked token, a DPoP token sent as Bearer, or a
// proof by another key than the token's; 401 DPoP error="use_dpop_nonce"
// for a proof without the resource's current nonce; 403
// insufficient_scope when it needs a scope the token lacks. A resource
// that publishes its metadata (RFC 9728) names it in every 401
// (resource_metadata, §5.1), and takes only tokens for its own URL (RFC
// 8707) or for any resource.
func (h *Handler) oauthResource(need string, published bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		self := requestURL(r)
		meta := ""
		if published {
			meta = `, resource_metadata="` + base(r) + "/.well-known/oauth-protected-resource" + r.URL.EscapedPath() + `"`
		}
		dpopChallenge := `DPoP algs="ES256 EdDSA"` + meta
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if scheme != "Bearer" && scheme != "DPoP" || tok == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="authtest"`+meta)
			w.Header().Add("WWW-Authenticate", dpopChallenge)
			writeJSON(w, 401, map[string]any{"error": "no token"})
			return
		}
		h.oauth.mu.Lock()
		g := h.oauth.access[tok]
		valid := g != nil && !g.dead() && time.Now().Before(g.expiry)
		var client, scope, jkt string
		if g != nil {
			client, scope, jkt = g.client, g.scope, g.jkt
			if published && g.resources != nil && !slices.Contains(g.resources, self) {
				valid = false // a token for another resource
			}
		}
		h.oauth.mu.Unlock()
		refuse := func(why string) {
			w.Header().Set("WWW-Authenticate", scheme+` realm="authtest", error="invalid_token", error_description="`+why+`"`+meta)
			writeJSON(w, 401, map[string]any{"error": "invalid_token"})
		}
		if scheme == "DPoP" {
			proof, bad := h.checkDPoP(r, "rs", tok)
			switch {
			case bad != nil && bad.nonce:
				h.count("dpop:use_dpop_nonce:rs")
				w.Header().Set("DPoP-Nonce", h.dpopNonce("rs"))
				w.Header().Set("WWW-Authenticate", dpopChallenge+`, error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`)
				writeJSON(w, 401, map[string]any{"error": "use_dpop_nonce"})
				return
			case bad != nil:
				w.Header().Set("WWW-Authenticate", dpopChallenge+`, error="invalid_dpop_proof", error_description="`+bad.why+`"`)
				writeJSON(w, 401, map[string]any{"error": "invalid_dpop_proof"})
				return
			case valid && proof.jkt != jkt:
				refuse("The proof is not by the key the token is bound to")
				return
			}
			h.count("dpop:resource")
		} else if valid && jkt != "" {
			h.count("dpop:sent_as_bearer")
			refuse("A DPoP-bound token is not a Bearer token")
			return
		}
		switch {
		case !valid:
			refuse("The access token is unknown, expired, revoked or for another resource")
		case need != "" && !strings.Contains(" "+scope+" ", " "+need+" "):
			w.Header().Set("WWW-Authenticate", scheme+` realm="authtest", error="insufficient_scope", scope="`+need+`"`+meta)
			writeJSON(w, 403, map[string]any{"error": "insufficient_scope"})
		default:
			out := map[string]any{"login": client, "scope": scope}
			if scheme == "DPoP" {
				out["token_type"] = "DPoP"
			}
			writeJSON(w, 200, out)
		}
	}
}

// resourceMetadata serves a protected resource's metadata (RFC 9728 §3),
// naming path as the resource and this server as its authorization server.
func (h *Handler) resourceMetadata(path string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b := base(r)
		h.count("resource-metadata")
		writeJSON(w, 200, map[string]any{
			"resource":                          b + path,
			"authorization_servers":             []string{b},
			"scopes_supported":                  []string{"read:user"},
			"bearer_methods_supported":          []string{"header"},
			"dpop_signing_alg_values_supported": []string{"ES256", "EdDSA"},
		})
	}
}

// count adds one to a /stats counter.
func (h *Handler) count(key string) {
	h.mu.Lock()
	h.stats[key]++
	h.mu.Unlock()
}
