package authtest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// Realm is the realm of every challenge the handler sends.
const Realm = "authtest"

// Handler serves the mock API. Its zero value is not usable: call
// [NewHandler].
type Handler struct {
	mux *http.ServeMux

	mu      sync.Mutex
	stats   map[string]int
	flaky   map[string]int
	nonces  *nonceStore
	oauth   *oauthState
	oauth1  *oauth1State
	dpop    *dpopState
	clients *oauthClients
}

// NewHandler returns a Handler with fresh state.
func NewHandler() *Handler {
	h := &Handler{stats: map[string]int{}, flaky: map[string]int{}, nonces: newNonceStore(4096), oauth: newOAuthState(), oauth1: newOAuth1State(), dpop: newDPoPState(), clients: newOAuthClients()}
	m := http.NewServeMux()
	m.HandleFunc("/basic-auth/{user}/{passwd}", h.basic(false))
	m.HandleFunc("/hidden-basic-auth/{user}/{passwd}", h.basic(true))
	m.HandleFunc("/digest-auth/{qop}/{user}/{passwd}", h.digest)
	m.HandleFunc("/digest-auth/{qop}/{user}/{passwd}/{algorithm}", h.digest)
	m.HandleFunc("/bearer", h.bearer)
	m.HandleFunc("/bearer/{token}", h.bearer)
	m.HandleFunc("/token-auth/{token}", h.tokenAuth)
	m.HandleFunc("/proxy-auth/{user}/{passwd}", h.proxyAuth)
	m.HandleFunc("/headers", h.headers)
	m.HandleFunc("/anything", h.anything)
	m.HandleFunc("/anything/", h.anything)
	m.HandleFunc("/status/{code}", h.status)
	m.HandleFunc("/flaky/{n}/{code}/{key}", h.flakyHandler)
	m.HandleFunc("/delay/{seconds}", h.delay)
	m.HandleFunc("/drip/{seconds}", h.drip)
	m.HandleFunc("/redirect-to", h.redirectTo)
	m.HandleFunc("/redirect/{n}", h.redirectN)
	m.HandleFunc("/stats", h.statsHandler)
	m.HandleFunc("/aws4/{service}/{rest...}", h.aws4)
	m.HandleFunc("/httpsig/{rest...}", h.httpsig)
	h.routeOAuth(m)
	h.routeOAuth1(m)
	h.mux = m
	return h
}

// ServeHTTP answers CORS preflights, counts the exchange, and routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// /no-cors/PATH is PATH without CORS: what a server that does not
	// allow the page's origin looks like to a browser.
	if rest, ok := strings.CutPrefix(r.URL.Path, "/no-cors/"); ok {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + rest
		h.mux.ServeHTTP(w, r2)
		return
	}
	cors(w, r)
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.URL.Path != "/stats" {
		h.mu.Lock()
		h.stats[r.URL.Path]++
		h.mu.Unlock()
	}
	h.mux.ServeHTTP(w, r)
}

// cors allows any origin to call the API with credentials in headers:
// Allow-Headers names Authorization (which "*" does not cover) and every
// header the preflight asks for; Expose-Headers lets scripts read the
// challenges, and DPoP-Nonce (RFC 9449 §8, §9), without which a page on
// another origin never learns the nonce and every DPoP call ends in
// use_dpop_nonce.
func cors(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	origin := r.Header.Get("Origin")
	if origin == "" {
		origin = "*"
	} else {
		hd.Add("Vary", "Origin")
	}
	hd.Set("Access-Control-Allow-Origin", origin)
	// ?expose=none exposes nothing: a challenge a browser hides.
	if r.URL.Query().Get("expose") != "none" {
		hd.Set("Access-Control-Expose-Headers", "WWW-Authenticate, Authentication-Info, Proxy-Authenticate, Retry-After, Location, Content-Type, X-Amzn-ErrorType, Signature, Signature-Input, DPoP-Nonce")
	}
	if r.Method == http.MethodOptions {
		allow := "Authorization, X-TokenAuth, Content-Type"
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			allow += ", " + req
		}
		hd.Set("Access-Control-Allow-Headers", allow)
		hd.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
		hd.Set("Access-Control-Max-Age", "600")
		hd.Add("Vary", "Access-Control-Request-Headers")
	}
}

// Stats returns the exchanges per path since the last reset.
func (h *Handler) Stats() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]int, len(h.stats))
	for k, v := range h.stats {
		out[k] = v
	}
	return out
}

// ResetStats clears the exchange counts and the flaky counters.
func (h *Handler) ResetStats() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stats = map[string]int{}
	h.flaky = map[string]int{}
}

func (h *Handler) statsHandler(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodDelete, http.MethodPost:
		h.ResetStats()
		writeJSON(w, 200, map[string]any{"reset": true})
	default:
		s := h.Stats()
		total := 0
		for _, v := range s {
			total += v
		}
		writeJSON(w, 200, map[string]any{"exchanges": s, "total": total})
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func (h *Handler) basic(hidden bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user, pass := r.PathValue("user"), r.PathValue("passwd")
		u, p, err := authlib.ParseBasic(r.Header.Get("Authorization"))
		if err == nil && u == user && p == pass {
			writeJSON(w, 200, map[string]any{"authenticated": true, "user": user})
			return
		}
		if hidden {
			writeJSON(w, 404, map[string]any{"authenticated": false})
			return
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="`+Realm+`", charset="UTF-8"`)
		writeJSON(w, 401, map[string]any{"authenticated": false})
	}
}

func (h *Handler) proxyAuth(w http.ResponseWriter, r *http.Request) {
	user, pass := r.PathValue("user"), r.PathValue("passwd")
	u, p, err := authlib.ParseBasic(r.Header.Get("Proxy-Authorization"))
	if err == nil && u == user && p == pass {
		writeJSON(w, 200, map[string]any{"authenticated": true, "user": user})
		return
	}
	w.Header().Set("Proxy-Authenticate", `Basic realm="`+Realm+`-proxy", charset="UTF-8"`)
	writeJSON(w, 407, map[string]any{"authenticated": false})
}

func (h *Handler) bearer(w http.ResponseWriter, r *http.Request) {
	want := r.PathValue("token")
	c, err := authlib.ParseCredentials(r.Header.Get("Authorization"))
	if err == nil && c.Is("Bearer") && c.Token68 != "" && (want == "" || c.Token68 == want) {
		writeJSON(w, 200, map[string]any{"authenticated": true})
		return
	}
	ch := `Bearer realm="` + Realm + `"`
	if err == nil && c.Is("Bearer") {
		ch += `, error="invalid_token"`
	}
	w.Header().Set("WWW-Authenticate", ch)
	writeJSON(w, 401, map[string]any{"authenticated": false})
}

func (h *Handler) tokenAuth(w http.ResponseWriter, r *http.Request) {
	if got := r.Header.Get("X-TokenAuth"); got != "" && got == r.PathValue("token") {
		writeJSON(w, 200, map[string]any{"authenticated": true})
		return
	}
	w.Header().Set("WWW-Authenticate", `TokenAuth realm="`+Realm+`"`)
	writeJSON(w, 401, map[string]any{"authenticated": false})
}

func headerMap(r *http.Request) map[string]string {
	m := map[string]string{"Host": r.Host}
	for k, v := range r.Header {
		m[k] = strings.Join(v, ", ")
	}
	return m
}

func (h *Handler) headers(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"headers": headerMap(r)})
}

func (h *Handler) anything(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	writeJSON(w, 200, map[string]any{
		"method": r.Method, "url": r.URL.String(), "headers": headerMap(r), "data": string(body),
	})
}

func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	code, err := strconv.Atoi(r.PathValue("code"))
	if err != nil || code < 200 || code > 599 {
		writeJSON(w, 400, map[string]any{"error": "status must be 200-599"})
		return
	}
	if ra := r.URL.Query().Get("retry_after"); ra != "" {
		w.Header().Set("Retry-After", ra)
	}
	if code >= 300 && code < 400 {
		w.Header().Set("Location", "/headers")
	}
	writeJSON(w, code, map[string]any{"status": code})
}

func (h *Handler) flakyHandler(w http.ResponseWriter, r *http.Request) {
	n, err1 := strconv.Atoi(r.PathValue("n"))
	code, err2 := strconv.Atoi(r.PathValue("code"))
	if err1 != nil || err2 != nil || code < 200 || code > 599 {
		writeJSON(w, 400, map[string]any{"error": "bad flaky path"})
		return
	}
	h.mu.Lock()
	h.flaky[r.PathValue("key")]++
	seen := h.flaky[r.PathValue("key")]
	h.mu.Unlock()
	if seen <= n {
		if ra := r.URL.Query().Get("retry_after"); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		writeJSON(w, code, map[string]any{"attempt": seen})
		return
	}
	writeJSON(w, 200, map[string]any{"attempt": seen})
}

func (h *Handler) delay(w http.ResponseWriter, r *http.Request) {
	s, err := strconv.ParseFloat(r.PathValue("seconds"), 64)
	if err != nil || s < 0 || s > 10 {
		writeJSON(w, 400, map[string]any{"error": "seconds must be 0-10"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Duration(s*float64(time.Second)))
	defer cancel()
	<-ctx.Done()
	if r.Context().Err() != nil {
		return
	}
	writeJSON(w, 200, map[string]any{"delayed": s})
}

// drip answers 200 at once, then sends its body a byte at a time over the
// given seconds (at most 10), so that a client's timeout can meet it while
// the body is read.
func (h *Handler) drip(w http.ResponseWriter, r *http.Request) {
	s, err := strconv.ParseFloat(r.PathValue("seconds"), 64)
	if err != nil || s < 0 || s > 10 {
		writeJSON(w, 400, map[string]any{"error": "seconds must be 0-10"})
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", "10")
	w.WriteHeader(200)
	f, _ := w.(http.Flusher)
	step := time.Duration(s * float64(time.Second) / 10)
	for i := 0; i < 10; i++ {
		if _, err := w.Write([]byte{'*'}); err != nil {
			return
		}
		if f != nil {
			f.Flush()
		}
		select {
		case <-time.After(step):
		case <-r.Context().Done():
			return
		}
	}
}

func (h *Handler) redirectTo(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	target := q.Get("url")
	if target == "" {
		writeJSON(w, 400, map[string]any{"error": "url is required"})
		return
	}
	code := 302
	if s := q.Get("status_code"); s != "" {
		c, err := strconv.Atoi(s)
		if err != nil || c < 300 || c > 399 {
			writeJSON(w, 400, map[string]any{"error": "status_code must be 3xx"})
			return
		}
		code = c
	}
	w.Header().Set("Location", target)
	w.WriteHeader(code)
}

// redirectN redirects n times (at most 100), then to /headers.
func (h *Handler) redirectN(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n > 100 {
		writeJSON(w, 400, map[string]any{"error": "n must be a count from 0 to 100"})
		return
	}
	target := "/headers"
	if n > 1 {
		target = "/redirect/" + strconv.Itoa(n-1)
	}
	w.Header().Set("Location", target)
	w.WriteHeader(302)
}

func readBody(r *http.Request) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r.Body, 1<<20))
}
