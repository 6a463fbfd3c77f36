package authtest

import (
	"net/http"
	"net/url"
	"time"
)

// Pushed authorization requests (RFC 9126). A client registered with
// require_pushed_authorization_requests must push its requests (§6).
type pushedRequest struct {
	client string
	params url.Values
	expiry time.Time
}

// oauthPAR is the pushed authorization request endpoint (§2): the client
// authenticates as at the token endpoint, and may send a DPoP proof, whose
// key the code is then bound to (RFC 9449 §10.1). 201 with a request_uri
// good for one authorization request within 60 s; counted in /stats as
// par.
func (h *Handler) oauthPAR(w http.ResponseWriter, r *http.Request) {
	client, _, ok := h.postingClient(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	switch {
	case f.Has("request_uri"):
		oauthError(w, 400, "invalid_request", "a pushed request has no request_uri (RFC 9126 §2.1)")
		return
	case f.Get("client_id") != "" && f.Get("client_id") != client:
		oauthError(w, 400, "invalid_request", "client_id is not the authenticated client")
		return
	}
	for k, v := range f {
		if len(v) > 1 && k != "resource" {
			oauthError(w, 400, "invalid_request", k+" is sent more than once")
			return
		}
	}
	proofJKT, ok := h.asProof(w, r)
	if !ok {
		return
	}
	if proofJKT != "" {
		if jkt := f.Get("dpop_jkt"); jkt != "" && jkt != proofJKT {
			oauthError(w, 400, "invalid_dpop_proof", "dpop_jkt is not the proof's key")
			return
		}
		f.Set("dpop_jkt", proofJKT)
	}
	params := url.Values{}
	for k, v := range f {
		if k != "client_secret" && k != "client_assertion" && k != "client_assertion_type" {
			params[k] = v
		}
	}
	params.Set("client_id", client)
	uri := "urn:ietf:params:oauth:request_uri:" + random(18)
	h.oauth.mu.Lock()
	now := time.Now()
	for k, p := range h.oauth.pushed {
		if now.After(p.expiry) {
			delete(h.oauth.pushed, k)
		}
	}
	h.oauth.pushed[uri] = &pushedRequest{client: client, params: params, expiry: now.Add(60 * time.Second)}
	h.oauth.mu.Unlock()
	h.count("par")
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, 201, map[string]any{"request_uri": uri, "expires_in": 60})
}

// pushedParams returns the parameters of the authorization request q:
// those pushed under its request_uri (used once, by the client that
// pushed them), or q itself; "" and a reason when it cannot be used.
func (h *Handler) pushedParams(q url.Values) (url.Values, string) {
	uri := q.Get("request_uri")
	if uri == "" {
		if c := h.clients.get(q.Get("client_id")); c != nil && c.requirePAR {
			return nil, "this client must push its authorization requests (RFC 9126 §6)"
		}
		return q, ""
	}
	h.oauth.mu.Lock()
	p := h.oauth.pushed[uri]
	delete(h.oauth.pushed, uri)
	h.oauth.mu.Unlock()
	switch {
	case p == nil || time.Now().After(p.expiry):
		return nil, "the request_uri is unknown, used or expired"
	case p.client != q.Get("client_id"):
		return nil, "the request_uri was pushed by another client"
	}
	return p.params, ""
}
