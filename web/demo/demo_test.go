//go:build demo

// The demo driven in headless Chromium (make test runs it with -tags demo,
// after make build): every scheme's presets, Digest's exchanges, masking,
// and a plain-words error. With DEMO_SCREENSHOT set (make screenshot) it
// saves the README's screenshot there.
package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

func distDir(t *testing.T) string {
	dir := os.Getenv("DEMO_DIST")
	if dir == "" {
		dir = "../dist"
	}
	if _, err := os.Stat(dir + "/demo.wasm"); err != nil {
		t.Fatalf("%s/demo.wasm is missing: run make build first (make test does)", dir)
	}
	return dir
}

type browser struct {
	t     *testing.T
	ctx   context.Context
	sends int
}

func (b *browser) run(actions ...chromedp.Action) {
	b.t.Helper()
	if err := chromedp.Run(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	var v string
	var ok bool
	b.run(chromedp.AttributeValue(sel, name, &v, &ok))
	return v
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	var s string
	b.run(chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

// send presses Send and waits for the page to finish; it returns the final
// status and the number of exchanges shown.
func (b *browser) send() (status, exchanges int) {
	b.t.Helper()
	b.sends++
	b.run(chromedp.Click("#send", chromedp.ByQuery),
		chromedp.Poll(`document.getElementById('summary').dataset.sends === "`+strconv.Itoa(b.sends)+`"`, nil, chromedp.WithPollingTimeout(20*time.Second)))
	status, _ = strconv.Atoi(b.attr("#summary", "data-status"))
	exchanges, _ = strconv.Atoi(b.attr("#summary", "data-exchanges"))
	return status, exchanges
}

// set gives the form field id a value, as typing or choosing would: with
// a change event, which the page listens to.
func (b *browser) set(id, value string) {
	b.t.Helper()
	b.run(chromedp.SetValue("#"+id, value, chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById(`+strconv.Quote(id)+`).dispatchEvent(new Event('change'))`, nil))
}

func (b *browser) pick(scheme, preset string) {
	b.t.Helper()
	b.run(chromedp.Click(`input[name=scheme][value=`+scheme+`]`, chromedp.ByQuery))
	if preset != "" {
		b.run(chromedp.Click("#preset-"+preset, chromedp.ByQuery))
	}
}

// chromeOptions launch headless Chromium with its own traffic kept on
// loopback: it calls Google services by itself otherwise.
func chromeOptions(extra ...chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	return append(append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")), extra...)
}

// launch starts Chromium (extra options added) and returns a browser on a
// blank page; what the page prints (a Go panic, for one) shows in the log
// when a test fails.
//
// Chromium is started at once, and once more if it exits before it is up:
// on this machine it now and then does (chromedp: "chrome failed to
// start"), which says nothing of the page under test; the log says so.
func launch(t *testing.T, extra ...chromedp.ExecAllocatorOption) *browser {
	var ctx context.Context
	for try := 1; ; try++ {
		actx, cancelA := chromedp.NewExecAllocator(context.Background(), chromeOptions(extra...)...)
		c, cancelC := chromedp.NewContext(actx)
		c, cancelT := context.WithTimeout(c, 3*time.Minute)
		t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
		err := chromedp.Run(c)
		if err == nil {
			ctx = c
			break
		}
		if try == 2 || !strings.Contains(err.Error(), "failed to start") {
			t.Fatalf("Chromium: %v", err)
		}
		t.Logf("Chromium failed to start (%v); starting it once more", err)
	}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *cdpruntime.EventConsoleAPICalled:
			for _, a := range e.Args {
				t.Logf("console: %s", a.Value)
			}
		case *cdpruntime.EventExceptionThrown:
			t.Logf("exception: %s", e.ExceptionDetails.Error())
		}
	})
	return &browser{t: t, ctx: ctx}
}

// open starts Chromium on url and waits for the page to be wired.
func open(t *testing.T, url string) *browser {
	b := launch(t, chromedp.WindowSize(1280, 1000))
	b.run(chromedp.Navigate(url), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
	return b
}

// Served by any static file server, without the mock API, the page says so
// and turns to a URL of the user's.
func TestDemoAsPlainStaticSite(t *testing.T) {
	srv := httptest.NewServer(http.FileServer(http.Dir(distDir(t))))
	defer srv.Close()
	b := open(t, srv.URL+"/")
	b.run(chromedp.Poll(`document.getElementById('mock-note').textContent.includes('not available')`, nil, chromedp.WithPollingTimeout(15*time.Second)))
	var custom bool
	b.run(chromedp.Evaluate(`document.getElementById('target-custom').checked && document.getElementById('target-mock').disabled`, &custom))
	if !custom {
		t.Fatal("without the mock API the page still targets it")
	}
}

func TestDemoInChromium(t *testing.T) {
	srv := httptest.NewServer(newHandler(distDir(t)))
	defer srv.Close()
	b := open(t, srv.URL+"/")
	if note := b.text("#mock-note"); !strings.Contains(note, "mock API is served") {
		// The probe is asynchronous; give it a moment.
		b.run(chromedp.Poll(`document.getElementById('mock-note').textContent.includes('served')`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	}

	for _, scheme := range []string{"basic", "digest", "bearer", "token"} {
		b.pick(scheme, "right")
		if st, _ := b.send(); st != 200 {
			t.Errorf("%s with the right credentials: status %d; the page says %q", scheme, st, b.text("#summary"))
		}
		b.axe(scheme + ", right credentials")
		// The samples never carry masked dots in a URL: a copy would send them.
		for _, id := range []string{"#code-curl", "#code-python", "#code-js", "#code-go"} {
			if c := b.text(id); strings.Contains(c, "/••••") {
				t.Errorf("%s: the %s sample has masked dots in its URL: %q", scheme, id, c)
			}
		}
		b.pick(scheme, "wrong")
		if st, _ := b.send(); st != 401 {
			t.Errorf("%s with wrong credentials: status %d", scheme, st)
		}
		b.axe(scheme + ", wrong credentials")
		if scheme == "digest" {
			// The first 401 is a challenge, not a refusal; the last one is
			// the wrong password, and says so.
			var classes []string
			b.run(chromedp.Evaluate(`[...document.querySelectorAll('.exchange .status')].map((e) => e.className)`, &classes))
			if len(classes) != 2 || classes[0] != "status challenge" || classes[1] != "status bad" {
				t.Errorf("Digest, wrong password: the statuses are styled %v; want a challenge, then a refusal", classes)
			}
			if s := b.text("#exchanges"); !strings.Contains(s, "authlib answers it") || !strings.Contains(s, "refused the credentials") {
				t.Errorf("Digest, wrong password: %q", s)
			}
		}
	}
	b.pick("none", "")
	if st, n := b.send(); st != 401 || n != 1 {
		t.Errorf("no auth: status %d after %d exchanges", st, n)
	}
	if s := b.text("#exchanges"); !strings.Contains(s, "401 Unauthorized") || !strings.Contains(s, `It asks for Basic (realm "authtest"`) {
		t.Errorf("the 401 and its challenge are not explained: %q", s)
	}
	// Header names as they are written, not Go's canonical form.
	if s := b.text("#exchanges"); !strings.Contains(s, "WWW-Authenticate") || strings.Contains(s, "Www-Authenticate") {
		t.Errorf("the challenge's header name is not written WWW-Authenticate: %q", s)
	}
	// The presets are for the mock API's schemes: none under No auth.
	var display, focused string
	b.run(chromedp.Evaluate(`getComputedStyle(document.getElementById('presets')).display`, &display))
	if display != "none" {
		t.Errorf("the presets show under No auth (display %q)", display)
	}
	// After Send the keyboard focus stays on Send (Digest's second send is
	// one key away), not on the page.
	b.run(chromedp.Evaluate(`document.activeElement && document.activeElement.id`, &focused))
	if focused != "send" {
		t.Errorf("after Send the focus is on %q, not on Send", focused)
	}

	// Digest: the challenge, then the answer; the kept client answers at once.
	b.pick("digest", "right")
	if st, n := b.send(); st != 200 || n != 2 {
		t.Errorf("Digest first send: status %d, %d exchanges; want 200 after 2", st, n)
	}
	if st, n := b.send(); st != 200 || n != 1 {
		t.Errorf("Digest second send: status %d, %d exchanges; want 200 after 1", st, n)
	}
	// The history shows the nonce reused: a challenge once, then a growing
	// count; the Digest answer keeps all but its response readable.
	var hist []string
	b.run(chromedp.Evaluate(`[...document.querySelectorAll('#history li')].map((e) => e.textContent)`, &hist))
	if len(hist) != 2 || !strings.Contains(hist[0], "a challenge") || !strings.Contains(hist[0], "nc=00000001") ||
		strings.Contains(hist[1], "challenge") || !strings.Contains(hist[1], "nc=00000002") || !strings.Contains(hist[1], "same client") {
		t.Errorf("the history of the two Digest sends is %q", hist)
	}
	if s := b.text("#exchanges"); !strings.Contains(s, "nc=00000002") || !strings.Contains(s, `response="••••••••"`) || !strings.Contains(s, "cnonce=") {
		t.Errorf("the Digest answer is not shown with its nonce count and a masked response: %q", s)
	}
	// The README's screenshot is taken when asked (make screenshot sets
	// DEMO_SCREENSHOT): make test leaves the tree as it found it.
	if shot := os.Getenv("DEMO_SCREENSHOT"); shot != "" {
		var png []byte
		b.run(chromedp.FullScreenshot(&png, 100))
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Error(err)
		}
	}

	// Masked: no password or token anywhere in the page.
	secrets := []string{"open-sesame", "not-the-secret", "ghp_demo0000000000000000000000000000000", "demo-token-12345",
		base64.StdEncoding.EncodeToString([]byte("alice:open-sesame"))}
	var html, text, url string
	b.run(chromedp.OuterHTML("html", &html, chromedp.ByQuery), chromedp.Text("body", &text, chromedp.ByQuery),
		chromedp.Value("#url", &url, chromedp.ByQuery))
	for _, s := range secrets {
		for where, v := range map[string]string{"HTML": html, "text": text, "URL field": url} {
			if strings.Contains(v, s) {
				t.Errorf("the %s shows the secret %q while masked", where, s)
			}
		}
	}
	// Revealed, they are there: the check above can fail.
	b.run(chromedp.Click("#reveal", chromedp.ByQuery), chromedp.Text("body", &text, chromedp.ByQuery))
	if !strings.Contains(text, "open-sesame") {
		t.Error("Reveal secrets does not reveal them")
	}
	b.run(chromedp.Click("#reveal", chromedp.ByQuery))

	// Another method with a body: Digest auth-int signs it, and the mock
	// checks the signature.
	b.pick("digest", "right")
	b.set("qop", "auth-int")
	b.set("method", "POST")
	b.set("body", "name=signed body")
	if st, n := b.send(); st != 200 || n != 2 {
		t.Errorf("Digest auth-int POST: status %d after %d exchanges; the page says %q", st, n, b.text("#error"))
	}
	var raw []string
	b.run(chromedp.Evaluate(`[...document.querySelectorAll('details.raw pre')].map((p) => p.textContent)`, &raw))
	if len(raw) != 2 || !strings.HasPrefix(raw[1], "POST /api/digest-auth/auth-int/") || !strings.Contains(raw[1], "qop=auth-int") ||
		!strings.Contains(raw[1], "\nname=signed body\n") {
		t.Errorf("the raw auth-int POST is %q", raw)
	}
	if c := b.text("#code-python"); !strings.Contains(c, `requests.post(`) || !strings.Contains(c, `data="name=signed body"`) {
		t.Errorf("the Python does not POST the body: %q", c)
	}
	// A POST through a 307 that the browser follows by itself: the page
	// says so, and the body went again.
	b.pick("basic", "right")
	b.run(chromedp.Click("#target-custom", chromedp.ByQuery))
	b.set("url", srv.URL+"/api/redirect-to?url=%2Fapi%2Fanything&status_code=307")
	b.set("method", "POST")
	b.set("body", "sent twice")
	if st, n := b.send(); st != 200 || n != 1 {
		t.Errorf("POST through a 307: status %d after %d exchanges; the page says %q", st, n, b.text("#error"))
	}
	if s := b.text("#exchanges"); !strings.Contains(s, "The browser followed a redirect to "+srv.URL+"/api/anything by itself") ||
		!strings.Contains(s, `"data": "sent twice"`) || !strings.Contains(s, `"method": "POST"`) {
		t.Errorf("the followed redirect is not told: %q", s)
	}
	b.axe("a POST through a followed redirect")
	b.run(chromedp.Click("#target-mock", chromedp.ByQuery))
	b.set("method", "GET")

	// A URL of one's own never starts from the masked mock URL.
	b.pick("basic", "right")
	var own string
	b.run(chromedp.Click("#target-custom", chromedp.ByQuery), chromedp.Value("#url", &own, chromedp.ByQuery))
	if strings.Contains(own, "•") {
		t.Errorf("the editable URL holds masked text: %q", own)
	}
	// A typo in the scheme gets plain words, and nothing is sent.
	b.run(chromedp.SetValue("#url", "hppts://api.github.com/user", chromedp.ByQuery))
	if _, n := b.send(); n != 0 {
		t.Errorf("%d exchanges for a bad URL", n)
	}
	if e := b.text("#error"); !strings.Contains(e, `did you mean "https://"?`) {
		t.Errorf("bad URL: the page says %q", e)
	}
	b.axe("a refused URL")
}

// Before the wasm has loaded, Send does nothing (it used to submit the form
// natively, reloading the page and the download); the page says it is
// loading. On a narrow screen, header names stand above their values.
func TestDemoFirstMinute(t *testing.T) {
	release := make(chan struct{})
	h := newHandler(distDir(t))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/demo.wasm") {
			<-release
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	b := launch(t)
	var summary string
	var stopped bool
	b.run(chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#send", chromedp.ByQuery),
		// A submit (Enter in a field does one) is stopped, and Send is off.
		chromedp.Evaluate(`(() => { const e = new Event('submit', { cancelable: true });
			document.getElementById('form').dispatchEvent(e);
			return e.defaultPrevented && document.getElementById('send').disabled; })()`, &stopped),
		chromedp.Text("#summary", &summary, chromedp.ByQuery))
	if !stopped {
		t.Error("before the wasm loaded, the form would submit itself (reloading the page)")
	}
	if !strings.Contains(summary, "Loading") {
		t.Errorf("while the wasm loads the page says %q", summary)
	}
	close(release)
	b.run(chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
	// On a phone (375 × 667) the URL and Send are on the first screen,
	// wherever the page is scrolled (they were below the fold), and they
	// hide none of the page's end.
	var onScreen bool
	b.run(chromedp.EmulateViewport(375, 667, chromedp.EmulateMobile), chromedp.Evaluate(`(() => {
		const seen = () => { const r = document.getElementById('send').getBoundingClientRect();
			return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; };
		const top = seen();
		scrollTo(0, document.body.scrollHeight);
		const end = seen();
		const pad = parseFloat(getComputedStyle(document.body).paddingBottom) >= document.querySelector('.urlrow').getBoundingClientRect().height;
		scrollTo(0, 0);
		return top && end && pad;
	})()`, &onScreen), chromedp.EmulateViewport(375, 800, chromedp.EmulateMobile))
	if !onScreen {
		t.Error("at 375 × 667 Send is not on screen at the top and at the end of the page (or it covers the page's end)")
	}
	b.pick("none", "")
	b.send()
	var display string
	var width float64
	b.run(chromedp.Evaluate(`getComputedStyle(document.querySelector('table.headers td')).display`, &display),
		chromedp.Evaluate(`document.querySelector('table.headers td').getBoundingClientRect().width`, &width))
	if display != "block" || width < 250 {
		t.Errorf("at 375 px a header value is %q and %.0f px wide; want a block of the table's width", display, width)
	}
	var icon bool
	b.run(chromedp.Evaluate(`!!document.querySelector('link[rel=icon]')`, &icon))
	if !icon {
		t.Error("no icon: the browser asks for /favicon.ico and gets a 404")
	}
}

// OAuth on the page: client credentials, the device flow, and a browser
// login with PKCE that really leaves for the authorization endpoint and
// comes back; each shows the token request and the API call, masked.
func TestDemoOAuth(t *testing.T) {
	srv := httptest.NewServer(newHandler(distDir(t)))
	defer srv.Close()
	b := open(t, srv.URL+"/")
	flow := func(f string) { b.set("oauth-flow", f) }
	b.pick("oauth2", "")
	flow("client")
	if st, n := b.send(); st != 200 || n != 2 {
		t.Errorf("client credentials: status %d after %d exchanges; want 200 after 2 (token, API)", st, n)
	}
	b.axe("OAuth, client credentials")
	if s := b.text("#exchanges"); !strings.Contains(s, "/oauth/token") {
		t.Errorf("the token request is not shown: %q", s)
	}
	if st, n := b.send(); st != 200 || n != 1 {
		t.Errorf("client credentials again: status %d after %d exchanges; want the kept token: 200 after 1", st, n)
	}
	token := regexp.MustCompile(`"access_token":\s*"[A-Za-z0-9_-]{16,}`)
	masked := func(what string) {
		t.Helper()
		var html string
		b.run(chromedp.OuterHTML("html", &html, chromedp.ByQuery))
		if strings.Contains(html, "p@ss: 100% +sure") || strings.Contains(html, "p%40ss") || token.MatchString(html) {
			t.Errorf("%s: a secret or token shows while masked", what)
		}
	}
	// The first send again, to see its token response masked, then revealed.
	b.run(chromedp.Click("#keep", chromedp.ByQuery))
	if st, n := b.send(); st != 200 || n != 2 {
		t.Errorf("client credentials, client not kept: status %d after %d exchanges", st, n)
	}
	b.run(chromedp.Click("#keep", chromedp.ByQuery))
	masked("client credentials")
	var html string
	b.run(chromedp.Click("#reveal", chromedp.ByQuery), chromedp.OuterHTML("html", &html, chromedp.ByQuery), chromedp.Click("#reveal", chromedp.ByQuery))
	if !token.MatchString(html) {
		t.Error("Reveal secrets does not show the access token: the masking check could not fail")
	}

	// The device flow: the page shows the code and a link; opening the
	// link approves (the mock's way), and the page carries on.
	flow("device")
	b.sends++
	b.run(chromedp.Click("#send", chromedp.ByQuery),
		chromedp.WaitVisible("#oauth-verify", chromedp.ByQuery),
		chromedp.Evaluate(`fetch(document.getElementById('oauth-verify').href)`, nil),
		chromedp.Poll(`document.getElementById('summary').dataset.sends === "`+strconv.Itoa(b.sends)+`"`, nil, chromedp.WithPollingTimeout(30*time.Second)))
	if st, _ := strconv.Atoi(b.attr("#summary", "data-status")); st != 200 {
		t.Errorf("device flow: status %d; the page says %q %q", st, b.text("#summary"), b.text("#error"))
	}
	b.axe("OAuth, device flow")
	masked("device flow")

	// The browser login: to /authorize and back, then the code exchanged.
	flow("pkce")
	b.run(chromedp.Click("#send", chromedp.ByQuery))
	// The page unloads and loads again: ask until the new one has answered.
	deadline := time.Now().Add(30 * time.Second)
	for back := false; !back; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			var where, said string
			chromedp.Run(b.ctx, chromedp.Location(&where), chromedp.Evaluate(`document.body ? document.body.innerText.slice(0, 600) : ''`, &said))
			t.Fatalf("the browser login did not come back to the page: at %s: %q", where, said)
		}
		chromedp.Run(b.ctx, chromedp.Evaluate(`document.body && document.body.dataset.ready === "true" && document.getElementById('summary').dataset.sends === "1"`, &back))
	}
	if st, _ := strconv.Atoi(b.attr("#summary", "data-status")); st != 200 {
		t.Errorf("browser login: status %d; the page says %q %q", st, b.text("#summary"), b.text("#error"))
	}
	b.axe("OAuth, browser login")
	var here string
	b.run(chromedp.Location(&here))
	if strings.Contains(here, "code=") || strings.Contains(here, "state=") {
		t.Errorf("the code stays in the address bar: %s", here)
	}
	if s := b.text("#exchanges"); !strings.Contains(s, "/oauth/token") || !strings.Contains(s, "/oauth/api/user") {
		t.Errorf("browser login: the exchanges shown are %q", s)
	}
	masked("browser login")

	// The browser login with DPoP and PAR: the request pushed, the key
	// kept in IndexedDB across the trip, the code exchanged with a proof,
	// and the API called with a DPoP token; the page shows the proof.
	flow("dpop")
	// A mark on this page: the page that comes back has none.
	b.run(chromedp.Evaluate(`window.leftForLogin = true`, nil), chromedp.Click("#send", chromedp.ByQuery))
	deadline = time.Now().Add(30 * time.Second)
	for back := false; !back; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			var where, said string
			chromedp.Run(b.ctx, chromedp.Location(&where), chromedp.Evaluate(`document.body ? document.body.innerText.slice(0, 600) : ''`, &said))
			t.Fatalf("the DPoP login did not come back to the page: at %s: %q", where, said)
		}
		chromedp.Run(b.ctx, chromedp.Evaluate(`!window.leftForLogin && document.body && document.body.dataset.ready === "true" && document.getElementById('oauth-flow').value === "dpop" && document.getElementById('summary').dataset.sends === "1"`, &back))
	}
	if st, _ := strconv.Atoi(b.attr("#summary", "data-status")); st != 200 {
		t.Errorf("DPoP login: status %d; the page says %q %q", st, b.text("#summary"), b.text("#error"))
	}
	b.axe("OAuth, DPoP and PAR")
	proof := b.text("#exchanges")
	for _, want := range []string{`"typ": "dpop+jwt"`, `"alg": "ES256"`, `"kty": "EC"`, `"htm": "POST"`, `"htm": "GET"`, `"ath":`, `"nonce":`, "/oauth/api/user"} {
		if !strings.Contains(proof, want) {
			t.Errorf("the DPoP proof shown lacks %s: %q", want, proof)
		}
	}
	if strings.Contains(proof, `"d":`) {
		t.Error("a private key member shows in the proof view")
	}
	masked("DPoP login")
	// The key cannot be exported, and it is the one the page kept.
	var exported string
	b.run(chromedp.Evaluate(`demoDPoP.load().then((k) => crypto.subtle.exportKey('jwk', k.pair.privateKey)).then(() => 'exported', (e) => 'refused: ' + e.name)`, &exported, func(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if !strings.HasPrefix(exported, "refused") {
		t.Errorf("the DPoP private key: %s", exported)
	}
}

// The plain-JS page loads authlib.mjs and authenticates with it.
func TestJSPage(t *testing.T) {
	srv := httptest.NewServer(newHandler(distDir(t)))
	defer srv.Close()
	b := launch(t)
	b.run(chromedp.Navigate(srv.URL+"/js.html"),
		chromedp.Poll(`document.getElementById('jsstatus').textContent.includes('is loaded')`, nil, chromedp.WithPollingTimeout(20*time.Second)))
	// The right secret is filled in, masked: the first Send works, and no
	// secret shows in the page or its code.
	var html string
	b.run(chromedp.Click("#jssend", chromedp.ByQuery),
		chromedp.Poll(`/^\d/.test(document.getElementById('jsstatus').textContent)`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.OuterHTML("html", &html, chromedp.ByQuery))
	if s := b.text("#jsstatus"); !strings.HasPrefix(s, "200") {
		t.Errorf("first Send with the filled-in password: %q", s)
	}
	if strings.Contains(html, "open-sesame") {
		t.Error("js.html shows the password")
	}
	if c := b.text("#jscode"); !strings.Contains(c, "${password}") {
		t.Errorf("the code does not use the password variable: %q", c)
	}
	// The JS API in a browser: a body, a Headers object and a Request are
	// read by authlib.mjs and reach the server as fetch would send them.
	var echoed string
	b.run(chromedp.Evaluate(`(async () => {
		const j = await (await authlib.fetch('api/anything', { method: 'POST', body: new URLSearchParams({ a: '1' }),
			headers: new Headers({ 'X-A': 'h' }), auth: ['u', 'p'] })).json();
		const k = await (await authlib.fetch(new Request('api/anything', { method: 'PUT', body: 'from a Request' }), { auth: ['u', 'p'] })).json();
		return [j.method, j.data, j.headers['X-A'], j.headers['Content-Type'], j.headers.Authorization, k.method, k.data].join('|');
	})()`, &echoed, awaitPromise))
	if want := "POST|a=1|h|application/x-www-form-urlencoded;charset=UTF-8|Basic dTpw|PUT|from a Request"; echoed != want {
		t.Errorf("the JS API in Chromium sent %q; want %q", echoed, want)
	}
	// A header named __proto__ is a header like any other, as Chromium's
	// fetch sends it, cold and reused (a record of the prepared headers
	// dropped it).
	var protos string
	b.run(chromedp.Evaluate(`(async () => {
		const headers = JSON.parse('{"__proto__": "p", "X-A": "a"}');
		const seen = async (p) => { const h = (await (await p).json()).headers; return Object.hasOwn(h, '__proto__') ? h['__proto__'] : 'none'; };
		const out = [await seen(fetch('api/headers', { headers }))];
		for (let i = 0; i < 2; i++) out.push(await seen(authlib.fetch('api/headers', { headers, auth: ['u', 'p'] })));
		return out.join('|');
	})()`, &protos, awaitPromise))
	if protos != "p|p|p" {
		t.Errorf("a header named __proto__: raw fetch|authlib cold|reused = %q; want p|p|p", protos)
	}
	// close() while calls are in flight settles them as aborted: a slow
	// answer, and a fetch that fails (which used to call a Go function
	// close() had freed, and never settle).
	var closed string
	b.run(chromedp.Evaluate(`(async () => {
		const out = [];
		for (const url of ['api/delay/1', 'http://127.0.0.1:9/refused']) {
			const c = authlib.client({ auth: ['u', 'p'] });
			const p = c.fetch(url).then(() => 'resolved', (e) => e.code);
			c.close();
			out.push(await Promise.race([p, new Promise((r) => setTimeout(() => r('never settled'), 5000))]));
		}
		return out.join('|');
	})()`, &closed, awaitPromise))
	if closed != "aborted|aborted" {
		t.Errorf("calls in flight when their client closed, in Chromium: %q; want aborted|aborted", closed)
	}
	// A browser forbids scripts to send proxy credentials, and chooses its
	// proxy itself: both are AuthError unsupported, and nothing is sent.
	var codes string
	b.run(chromedp.Evaluate(`(async () => {
		const code = (p) => p.then(() => 'resolved', (e) => (e instanceof authlib.AuthError ? e.code : String(e)));
		return [
			await code(authlib.fetch('api/proxy-auth/u/p', { auth: { type: 'proxy', username: 'u', password: 'p' } })),
			await code(authlib.client({ proxy: { url: 'http://127.0.0.1:9', auth: ['u', 'p'] } }).fetch('api/anything')),
		].join('|');
	})()`, &codes, awaitPromise))
	if codes != "unsupported|unsupported" {
		t.Errorf("proxy auth and the proxy option in Chromium: %q; want unsupported for both", codes)
	}
	for _, tc := range []struct{ scheme, secret, want string }{
		{"basic", "open-sesame", "200"}, {"basic", "wrong", "401"},
		{"digest", "open-sesame", "200"}, {"token", "demo-token-12345", "200"},
	} {
		b.set("scheme", tc.scheme)
		b.run(chromedp.SetValue("#secret", tc.secret, chromedp.ByQuery),
			chromedp.Evaluate(`document.getElementById('jsstatus').textContent = 'Sending (test)'`, nil),
			chromedp.Click("#jssend", chromedp.ByQuery),
			chromedp.Poll(`!document.getElementById('jsstatus').textContent.startsWith('Sending')`, nil, chromedp.WithPollingTimeout(20*time.Second)))
		if s := b.text("#jsstatus"); !strings.HasPrefix(s, tc.want) {
			t.Errorf("%s: the page says %q; want %s", tc.scheme, s, tc.want)
		}
	}
}

// PKCE with DPoP and PAR in Chromium, through the JS API, against
// oidc-provider (web/tools/oidc-provider.mjs: DPoP nonces required at the
// provider and at its API, which checks each proof with jose): the page
// pushes the request with a new non-extractable key, Chromium goes through
// the provider's login and consent pages, and back on the page the code is
// exchanged and the API called three times with the DPoP token.
func TestOIDCProviderDPoPInChromium(t *testing.T) {
	if _, err := os.Stat("../../bin/npm/node_modules/oidc-provider"); err != nil {
		t.Fatal("oidc-provider is not installed in bin/npm: run through make test, which installs it")
	}
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(distDir(t))))
	mux.HandleFunc("/oidc-dpop.html", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, "testdata/oidc-dpop.html") })
	page := httptest.NewServer(mux)
	defer page.Close()
	cmd := exec.Command("node", "../tools/oidc-provider.mjs")
	cmd.Env = append(os.Environ(), "REDIRECT="+page.URL+"/oidc-dpop.html")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	var srv struct{ Issuer, API string }
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || json.Unmarshal([]byte(line), &srv) != nil {
		t.Fatalf("the provider did not start: %q %v", line, err)
	}
	b := launch(t, chromedp.WindowSize(1000, 800))
	b.run(chromedp.Navigate(page.URL + "/oidc-dpop.html?" + url.Values{"issuer": {srv.Issuer}, "api": {srv.API}}.Encode()))
	// The provider's development login, then its consent: fill and submit
	// each form until the browser is back on the page.
	deadline := time.Now().Add(60 * time.Second)
	var result string
	for result == "" || strings.Contains(result, `"leaving"`) {
		if time.Now().After(deadline) {
			var where, said string
			chromedp.Run(b.ctx, chromedp.Location(&where), chromedp.Evaluate(`document.body ? document.body.innerText.slice(0, 400) : ''`, &said))
			t.Fatalf("the login did not come back: at %s: %q (result %s)", where, said, result)
		}
		time.Sleep(200 * time.Millisecond)
		var where string
		chromedp.Run(b.ctx, chromedp.Location(&where))
		if strings.HasPrefix(where, srv.Issuer) {
			var forms int
			chromedp.Run(b.ctx, chromedp.Evaluate(`document.forms.length`, &forms))
			if forms > 0 {
				chromedp.Run(b.ctx, chromedp.Evaluate(`(() => {
					const f = document.forms[0];
					if (f.dataset.sent) return;
					f.dataset.sent = '1';
					if (f.login) f.login.value = 'jason';
					if (f.password) f.password.value = 'secret';
					f.submit();
				})()`, nil))
			}
			result = ""
			continue
		}
		chromedp.Run(b.ctx, chromedp.Evaluate(`document.body && document.body.dataset.result || ''`, &result))
	}
	var got struct {
		TokenType, Exported, Error, Code, OAuthError string
		Statuses                                     []int
		Body                                         struct {
			Client string
			Bound  bool
		}
	}
	if err := json.Unmarshal([]byte(result), &got); err != nil || got.Error != "" {
		t.Fatalf("the page: %s", result)
	}
	if got.TokenType != "DPoP" || fmt.Sprint(got.Statuses) != "[200 200 200]" || got.Body.Client != "spa" || !got.Body.Bound || !strings.HasPrefix(got.Exported, "refused") {
		t.Fatalf("the page: %s", result)
	}
	// Two tabs of the app share the login (the exchange saved it in an
	// IndexedDB store, the key pair is in IndexedDB too): 50 requests
	// each after the token expired, one refresh at oidc-provider, which
	// rotates refresh tokens and revokes the grant when one is used twice.
	tabs := page.URL + "/oidc-dpop.html?tabs=1"
	first, closeFirst := b.tab(tabs)
	defer closeFirst()
	second, closeSecond := b.tab(tabs)
	defer closeSecond()
	for _, tab := range []*browser{first, second} {
		if r := tab.attr("body", "data-result"); r != `{"tab":true}` {
			t.Fatalf("a tab: %s", r)
		}
	}
	first.eval(`t.expire()`, nil)
	oneRefresh(t, first, second)
}
