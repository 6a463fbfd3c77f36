package authtest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// The mock OAuth 1.0a provider's client, and an access token it issued
// beforehand (for requests signed without the three-legged flow).
const (
	OAuth1ClientKey    = "oauth1-client"
	OAuth1ClientSecret = "oauth1 secret: kept & safe"
	OAuth1Token        = "oauth1-token"
	OAuth1TokenSecret  = "oauth1 token/secret+="
)

// oauth1State holds the tokens the provider issued.
type oauth1State struct {
	mu      sync.Mutex
	request map[string]*oauth1Request // request tokens, until exchanged
	access  map[string]string         // access token → its secret
	nonces  map[string]time.Time      // nonces seen in the last 10 minutes
	seen    []string                  // the keys of nonces, oldest first
}

type oauth1Request struct {
	secret, callback, verifier string
}

func newOAuth1State() *oauth1State {
	return &oauth1State{request: map[string]*oauth1Request{}, access: map[string]string{OAuth1Token: OAuth1TokenSecret}, nonces: map[string]time.Time{}}
}

func (h *Handler) routeOAuth1(m *http.ServeMux) {
	m.HandleFunc("POST /oauth1/request_token", h.oauth1RequestToken)
	m.HandleFunc("GET /oauth1/authorize", h.oauth1Authorize)
	m.HandleFunc("POST /oauth1/access_token", h.oauth1AccessToken)
	m.HandleFunc("/oauth1/api/user", h.oauth1Resource)
}

// oauth1Check verifies r's OAuth 1.0a signature with the client's secret
// and the secret of the token it names, as issued (secretOf); it returns
// the parameters, or writes 401 and returns nil.
func (h *Handler) oauth1Check(w http.ResponseWriter, r *http.Request, secretOf func(token string) (string, bool)) map[string]string {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	fail := func(why string) map[string]string {
		w.Header().Set("WWW-Authenticate", `OAuth realm="`+Realm+`"`)
		writeJSON(w, 401, map[string]any{"authenticated": false, "error": why})
		return nil
	}
	req, err := authlib.NewRequest(context.Background(), r.Method, "http://"+r.Host+r.RequestURI, body)
	if err != nil {
		return fail("the request target cannot be read")
	}
	for _, f := range []string{"Authorization", "Content-Type"} {
		if v := r.Header.Get(f); v != "" {
			req.Header.Set(f, v)
		}
	}
	o := authlib.OAuth1{ClientSecret: OAuth1ClientSecret}
	sig, err := o.Signed(req)
	p := sig.Params
	if err != nil || p["oauth_consumer_key"] != OAuth1ClientKey {
		return fail("signature_method_rejected or consumer_key_unknown")
	}
	if v, ok := p["oauth_version"]; ok && v != "1.0" {
		return fail("version_rejected")
	}
	ts, err := strconv.ParseInt(p["oauth_timestamp"], 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > 10*time.Minute {
		return fail("timestamp_refused")
	}
	if tok := p["oauth_token"]; tok != "" || secretOf != nil {
		secret, ok := "", false
		if secretOf != nil {
			secret, ok = secretOf(tok)
		}
		if !ok {
			return fail("token_rejected")
		}
		o.ResourceOwnerSecret = secret
		if sig, err = o.Signed(req); err != nil {
			return fail("signature_invalid")
		}
	}
	if !sig.Valid() {
		return fail("signature_invalid")
	}
	s := h.oauth1
	s.mu.Lock()
	defer s.mu.Unlock()
	key := p["oauth_consumer_key"] + " " + p["oauth_nonce"] + " " + p["oauth_timestamp"]
	if _, seen := s.nonces[key]; seen || p["oauth_nonce"] == "" {
		return fail("nonce_used")
	}
	// The oldest go first, so that a request costs the same however many
	// came before it (a benchmark sends tens of thousands).
	for len(s.seen) > 0 && time.Since(s.nonces[s.seen[0]]) > 10*time.Minute {
		delete(s.nonces, s.seen[0])
		s.seen = s.seen[1:]
	}
	s.nonces[key] = time.Now()
	s.seen = append(s.seen, key)
	return p
}

func (h *Handler) oauth1RequestToken(w http.ResponseWriter, r *http.Request) {
	p := h.oauth1Check(w, r, nil)
	if p == nil {
		return
	}
	cb := p["oauth_callback"]
	if cb == "" {
		writeJSON(w, 400, map[string]any{"error": "parameter_absent: oauth_callback"})
		return
	}
	tok, secret := "req-"+random(8), random(16)
	h.oauth1.mu.Lock()
	h.oauth1.request[tok] = &oauth1Request{secret: secret, callback: cb}
	h.oauth1.mu.Unlock()
	formAnswer(w, url.Values{"oauth_token": {tok}, "oauth_token_secret": {secret}, "oauth_callback_confirmed": {"true"}})
}

// oauth1Authorize approves the request token at once (a mock has no
// user): back to the callback with the verifier, or for "oob" the verifier
// as JSON.
func (h *Handler) oauth1Authorize(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("oauth_token")
	h.oauth1.mu.Lock()
	rt := h.oauth1.request[tok]
	if rt != nil && rt.verifier == "" {
		rt.verifier = random(8)
	}
	h.oauth1.mu.Unlock()
	if rt == nil {
		writeJSON(w, 400, map[string]any{"error": "token_rejected"})
		return
	}
	if rt.callback == "oob" {
		writeJSON(w, 200, map[string]any{"oauth_token": tok, "oauth_verifier": rt.verifier})
		return
	}
	u, err := url.Parse(rt.callback)
	if err != nil {
		writeJSON(w, 400, map[string]any{"error": "the callback is not a URL"})
		return
	}
	q := u.Query()
	q.Set("oauth_token", tok)
	q.Set("oauth_verifier", rt.verifier)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (h *Handler) oauth1AccessToken(w http.ResponseWriter, r *http.Request) {
	var rt *oauth1Request
	p := h.oauth1Check(w, r, func(tok string) (string, bool) {
		h.oauth1.mu.Lock()
		defer h.oauth1.mu.Unlock()
		rt = h.oauth1.request[tok]
		if rt == nil {
			return "", false
		}
		return rt.secret, true
	})
	if p == nil {
		return
	}
	h.oauth1.mu.Lock()
	defer h.oauth1.mu.Unlock()
	if rt.verifier == "" || p["oauth_verifier"] != rt.verifier {
		w.Header().Set("WWW-Authenticate", `OAuth realm="`+Realm+`"`)
		writeJSON(w, 401, map[string]any{"error": "the verifier is not the one the user was given"})
		return
	}
	delete(h.oauth1.request, p["oauth_token"]) // one use
	tok, secret := "acc-"+random(8), random(16)
	h.oauth1.access[tok] = secret
	formAnswer(w, url.Values{"oauth_token": {tok}, "oauth_token_secret": {secret}, "user_id": {"1"}, "screen_name": {"alice"}})
}

func (h *Handler) oauth1Resource(w http.ResponseWriter, r *http.Request) {
	p := h.oauth1Check(w, r, func(tok string) (string, bool) {
		h.oauth1.mu.Lock()
		defer h.oauth1.mu.Unlock()
		s, ok := h.oauth1.access[tok]
		return s, ok
	})
	if p == nil {
		return
	}
	writeJSON(w, 200, map[string]any{"authenticated": true, "user": "alice", "signature_method": p["oauth_signature_method"]})
}

func formAnswer(w http.ResponseWriter, v url.Values) {
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
	io.WriteString(w, v.Encode())
}
