//go:build demo

package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"
)

// seen records the Authorization each request to a server carried.
type seen struct {
	mu   sync.Mutex
	auth map[string][]string // path and query (without /api) → Authorization values
}

func (s *seen) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uri := strings.TrimPrefix(r.URL.RequestURI(), "/api")
		s.mu.Lock()
		s.auth[uri] = append(s.auth[uri], r.Header.Get("Authorization"))
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (s *seen) get(uri string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth[uri]...)
}

// Service-worker mode in Chromium (authlib-sw.mjs, sw.mjs), with DPoP as
// the README advises: after a login through the page (the worker makes the
// key and exchanges the code), the page's fetch,
// <img> and form requests to the API carry the token, and requests to
// another origin do not; no script of the page can find the token where
// it could look; the worker keeps the login when the browser stops it and
// when it is updated; a logout ends it.
func TestServiceWorkerInChromium(t *testing.T) {
	api := &seen{auth: map[string][]string{}}
	other := &seen{auth: map[string][]string{}}
	otherSrv := httptest.NewServer(other.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })))
	defer otherSrv.Close()
	var version atomic.Value // what the worker's script ends with: a new value is an update
	version.Store("")
	srv, b := swPage(t, api, &version)
	page := srv.URL + "/sw.html"
	var st map[string]any
	b.eval(`s.register()`, &st)
	if st["configured"] != true || st["loggedIn"] != false || st["controls"] != float64(1) {
		t.Fatalf("after register: %v", st)
	}
	var code any
	b.eval(`s.fetch('/api/oauth/api/user?before')`, &code)
	if code != float64(401) || api.get("/oauth/api/user?before")[0] != "" {
		t.Fatalf("before the login: %v, sent %q", code, api.get("/oauth/api/user?before"))
	}
	// The login: the page goes to the authorization URL; authtest sends the
	// browser back, and the worker exchanges the code and sends it on to
	// the page (a page to come back to on another origin is not followed).
	var login struct{ URL string }
	b.eval(`sw.login({ returnTo: 'http://127.0.0.2:9/elsewhere' })`, &login)
	b.run(chromedp.Navigate(login.URL), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
	var where string
	b.run(chromedp.Location(&where))
	if where != page {
		t.Fatalf("back from the login at %s; want %s", where, page)
	}
	b.eval(`s.register()`, &st)
	if st["loggedIn"] != true {
		t.Fatalf("after the login: %v", st)
	}
	b.eval(`s.fetch('/api/oauth/api/user?fetch')`, &code)
	sent := api.get("/oauth/api/user?fetch")
	if code != float64(200) || len(sent) == 0 || !strings.HasPrefix(sent[len(sent)-1], "DPoP ") {
		b.eval(`sw.status()`, &st)
		t.Fatalf("fetch: %v, sent %q; the worker: %v", code, sent, st)
	}
	bound := sent[len(sent)-1] // the DPoP token (RFC 9449), as the README advises
	token := strings.TrimPrefix(bound, "DPoP ")
	b.eval(`s.img('/api/oauth/api/user?img')`, nil)
	b.eval(`s.img('`+otherSrv.URL+`/img')`, nil)
	b.eval(`s.fetch('`+otherSrv.URL+`/fetch')`, nil)
	if got := api.get("/oauth/api/user?img"); !only(got, bound) {
		t.Errorf("<img> to the API sent %q", got)
	}
	for _, uri := range []string{"/img", "/fetch"} {
		if got := other.get(uri); len(got) != 1 || got[0] != "" {
			t.Errorf("%s to another origin sent %q", uri, got)
		}
	}
	b.run(chromedp.Evaluate(`s.form('/api/anything?form')`, nil))
	deadline := time.Now().Add(10 * time.Second)
	for len(api.get("/anything?form")) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := api.get("/anything?form"); !only(got, bound) {
		t.Errorf("a form posted to the API sent %q", got)
	}
	b.run(chromedp.Navigate(page), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
	b.eval(`s.register()`, &st)

	// Where a script of the page could look, the token is not: a control
	// first shows that the scan finds it where it is.
	var scan struct {
		Found         []string
		Read, Records int
	}
	b.run(chromedp.Evaluate(`sessionStorage.setItem('control', `+jsString(token)+`)`, nil))
	b.eval(`s.scan(`+jsString(token)+`)`, &scan)
	if !slices.Contains(scan.Found, "sessionStorage:control") {
		t.Fatalf("the control: found in %v", scan.Found)
	}
	b.run(chromedp.Evaluate(`sessionStorage.removeItem('control')`, nil))
	b.eval(`s.scan(`+jsString(token)+`)`, &scan)
	if len(scan.Found) != 0 || scan.Records < 3 || scan.Read < 50 {
		t.Fatalf("the token is readable by the page at %v (read %d places, %d IndexedDB records)", scan.Found, scan.Read, scan.Records)
	}

	// The browser stops the worker; the next request starts it again, and
	// the login is still there.
	b.run(chromedp.ActionFunc(func(ctx context.Context) error {
		if err := serviceworker.Enable().Do(ctx); err != nil {
			return err
		}
		return serviceworker.StopAllWorkers().Do(ctx)
	}))
	started := st["started"]
	b.eval(`s.fetch('/api/oauth/api/user?restarted')`, &code)
	if got := api.get("/oauth/api/user?restarted"); code != float64(200) || !only(got, bound) {
		t.Fatalf("after the worker stopped: %v, sent %q", code, got)
	}
	if b.eval(`sw.status()`, &st); st["started"] == started {
		t.Fatalf("the worker was not stopped: %v", st)
	}
	started = st["started"]
	// An update of the worker keeps the login.
	version.Store("\n// version 2\n")
	b.eval(`sw.registration.update().then(() => new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true })))`, nil)
	b.eval(`s.register()`, &st)
	b.eval(`s.fetch('/api/oauth/api/user?updated')`, &code)
	if got := api.get("/oauth/api/user?updated"); code != float64(200) || !only(got, bound) || st["loggedIn"] != true || st["started"] == started {
		t.Fatalf("after an update: %v, %v, sent %q", st, code, got)
	}
	if n := len(api.get("/oauth/authorize")); n > 1 {
		t.Errorf("%d logins", n)
	}
	// A script of the page registering the worker again with its own
	// origin added gets no token there: the login ends.
	b.eval(`register('./authlib-sw.mjs', { allow: [location.origin + '/api/', '`+otherSrv.URL+`/'] }).then((w) => w.status())`, &st)
	b.eval(`s.fetch('`+otherSrv.URL+`/steal')`, nil)
	if got := other.get("/steal"); st["loggedIn"] != false || len(got) != 1 || got[0] != "" {
		t.Fatalf("a registration with another origin added: %v, that origin got %q", st, got)
	}
	// A logout ends the login: requests go untouched.
	b.eval(`sw.logout()`, &st)
	b.eval(`s.fetch('/api/oauth/api/user?out')`, &code)
	if st["loggedIn"] != false || code != float64(401) || api.get("/oauth/api/user?out")[0] != "" {
		t.Fatalf("after the logout: %v, %v", st, code)
	}
}

// Redirects through the worker: a credential never follows one out of the
// URLs the page allowed (a same-origin redirect from /api/ to /private/
// arrives without it), the page's redirect mode is kept (manual gets the
// opaque redirect, error fails), and the worker sends no request the page
// did not ask for (after a redirect that fails, no second request).
func TestServiceWorkerRedirectsInChromium(t *testing.T) {
	api := &seen{auth: map[string][]string{}}
	other := &seen{auth: map[string][]string{}}
	otherSrv := httptest.NewServer(other.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })))
	defer otherSrv.Close()
	srv, b := swPage(t, api, nil)
	bearer := `{ type: 'bearer', token: 'tok-for-api' }`
	var st map[string]any
	b.eval(`s.register(`+bearer+`)`, &st)
	if st["loggedIn"] != true {
		t.Fatalf("after register: %v", st)
	}
	to := func(u string) string { return "/api/redirect-to?url=" + url.QueryEscape(u) }
	var got string
	// Out of /api/ on the same origin: the worker does not follow.
	b.eval(`s.fetchAs('`+to("/private/y")+`')`, &got)
	if sent := api.get(strings.TrimPrefix(to("/private/y"), "/api")); got != "failed" || len(sent) != 1 || sent[0] != "Bearer tok-for-api" || len(api.get("/private/y")) != 0 {
		t.Fatalf("a redirect out of /api/: the page got %q; /api sent %q; /private/y got %q", got, sent, api.get("/private/y"))
	}
	b.eval(`sw.status()`, &st)
	if e, _ := st["lastError"].(map[string]any); e["code"] != "redirect_blocked" {
		t.Fatalf("the worker's status: %v", st)
	}
	// The page's redirect modes: manual gets the opaque redirect, error a
	// failure; one request each.
	for _, c := range []struct{ mode, want string }{{"manual", "opaqueredirect 0"}, {"error", "failed"}} {
		u := to(otherSrv.URL + "/" + c.mode)
		b.eval(`s.fetchAs('`+u+`', { redirect: '`+c.mode+`' })`, &got)
		if sent := api.get(strings.TrimPrefix(u, "/api")); got != c.want || len(sent) != 1 || len(other.get("/"+c.mode)) != 0 {
			t.Fatalf("redirect %s: the page got %q; sent %q, the other origin got %q", c.mode, got, sent, other.get("/"+c.mode))
		}
	}
	// Allowed by its whole origin, the worker lets fetch follow (which
	// drops Authorization across origins); a redirect to an origin without
	// CORS fails, and the worker does not ask again without credentials.
	b.eval(`register('./authlib-sw.mjs', { allow: [location.origin + '/'], auth: `+bearer+` }).then((w) => (window.sw = w).status())`, &st)
	b.eval(`s.fetchAs('/private/z')`, &got)
	if sent := api.get("/private/z"); got != "basic 200" || len(sent) != 1 || sent[0] != "Bearer tok-for-api" {
		t.Fatalf("allowed by its origin: %q, sent %q (%v)", got, sent, st)
	}
	u := to(otherSrv.URL + "/nocors")
	b.eval(`s.fetchAs('`+u+`')`, &got)
	if sent, there := api.get(strings.TrimPrefix(u, "/api")), other.get("/nocors"); got != "failed" || len(sent) != 1 || len(there) != 1 || there[0] != "" {
		t.Fatalf("a redirect to an origin without CORS: the page got %q; sent %q, there %q", got, sent, there)
	}
	_ = srv
}

// only reports requests that all carried auth (a DPoP token's first
// request to a server meets its nonce challenge, and goes again).
func only(got []string, auth string) bool {
	return len(got) > 0 && !slices.ContainsFunc(got, func(a string) bool { return a != auth })
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Digest through the worker: the tabs share its nonce, so that of two
// tabs' six requests only the first goes without credentials (one
// challenge in all); each tab alone would meet one.
func TestServiceWorkerDigestTabsInChromium(t *testing.T) {
	api := &seen{auth: map[string][]string{}}
	srv, b := swPage(t, api, nil)
	page := srv.URL + "/sw.html"
	var st map[string]any
	b.eval(`s.register({ type: 'digest', username: 'user', password: 'passwd' })`, &st)
	if st["scheme"] != "digest" || st["loggedIn"] != true {
		t.Fatalf("after register: %v", st)
	}
	second, closeSecond := b.tab(page)
	defer closeSecond()
	second.eval(`s.register({ type: 'digest', username: 'user', password: 'passwd' })`, nil)
	const uri = "/digest-auth/auth/user/passwd"
	for i := range 3 {
		for _, tab := range []*browser{b, second} {
			var code any
			tab.eval(`s.fetch('/api`+uri+`')`, &code)
			if code != float64(200) {
				t.Fatalf("request %d: %v", i, code)
			}
		}
	}
	got := api.get(uri)
	bare := 0
	for _, a := range got {
		if a == "" {
			bare++
		} else if !strings.HasPrefix(a, "Digest ") {
			t.Fatalf("sent %q", a)
		}
	}
	if len(got) != 7 || bare != 1 {
		t.Fatalf("%d requests, %d without credentials; want 7 and 1: %q", len(got), bare, got)
	}
}

// swPage serves the demo's files, its mock API (its requests recorded in
// api) and testdata/sw.html, and opens the page in Chromium. With version,
// the worker's script ends with what it holds.
func swPage(t *testing.T, api *seen, version *atomic.Value) (*httptest.Server, *browser) {
	dist := distDir(t)
	mux := http.NewServeMux()
	h := newHandler(dist)
	mux.Handle("/", h)
	mux.Handle("/api/", api.wrap(h))
	// Outside the URLs the page allows: a redirect's target.
	mux.Handle("/private/", api.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("private")) })))
	mux.HandleFunc("/sw.html", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, "testdata/sw.html") })
	if version != nil {
		mux.HandleFunc("/authlib-sw.mjs", func(w http.ResponseWriter, r *http.Request) {
			b, err := os.ReadFile(filepath.Join(dist, "authlib-sw.mjs"))
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(append(b, version.Load().(string)...))
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	b := launch(t)
	b.run(chromedp.Navigate(srv.URL+"/sw.html"), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
	return srv, b
}
