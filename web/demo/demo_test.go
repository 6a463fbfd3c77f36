//go:build demo

// The demo driven in headless Chromium (make test runs it with -tags demo,
// after make build): every scheme's presets, Digest's exchanges, masking,
// and a plain-words error. It saves a screenshot for the README.
package main

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

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

func (b *browser) pick(scheme, preset string) {
	b.t.Helper()
	b.run(chromedp.Click(`input[name=scheme][value=`+scheme+`]`, chromedp.ByQuery))
	if preset != "" {
		b.run(chromedp.Click("#preset-"+preset, chromedp.ByQuery))
	}
}

// open starts Chromium on url and waits for the page to be wired.
func open(t *testing.T, url string) *browser {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Flag("disable-gpu", true), chromedp.WindowSize(1280, 1000))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	b := &browser{t: t, ctx: ctx}
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
		b.pick(scheme, "wrong")
		if st, _ := b.send(); st != 401 {
			t.Errorf("%s with wrong credentials: status %d", scheme, st)
		}
	}
	b.pick("none", "")
	if st, n := b.send(); st != 401 || n != 1 {
		t.Errorf("no auth: status %d after %d exchanges", st, n)
	}
	if s := b.text("#exchanges"); !strings.Contains(s, "401 Unauthorized") || !strings.Contains(s, `It asks for Basic (realm "authtest"`) {
		t.Errorf("the 401 and its challenge are not explained: %q", s)
	}

	// Digest: the challenge, then the answer; the kept client answers at once.
	b.pick("digest", "right")
	if st, n := b.send(); st != 200 || n != 2 {
		t.Errorf("Digest first send: status %d, %d exchanges; want 200 after 2", st, n)
	}
	shot := os.Getenv("DEMO_SCREENSHOT")
	if shot == "" {
		shot = "../screenshot.png"
	}
	var png []byte
	b.run(chromedp.FullScreenshot(&png, 100))
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Error(err)
	}
	if st, n := b.send(); st != 200 || n != 1 {
		t.Errorf("Digest second send: status %d, %d exchanges; want 200 after 1", st, n)
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

	// A typo in the scheme gets plain words, and nothing is sent.
	b.pick("basic", "right")
	b.run(chromedp.Click("#target-custom", chromedp.ByQuery),
		chromedp.SetValue("#url", "hppts://api.github.com/user", chromedp.ByQuery))
	if _, n := b.send(); n != 0 {
		t.Errorf("%d exchanges for a bad URL", n)
	}
	if e := b.text("#error"); !strings.Contains(e, `did you mean "https://"?`) {
		t.Errorf("bad URL: the page says %q", e)
	}
}

// The plain-JS page loads authlib.mjs and authenticates with it.
func TestJSPage(t *testing.T) {
	srv := httptest.NewServer(newHandler(distDir(t)))
	defer srv.Close()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.Flag("disable-gpu", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	ctx, cancelT := context.WithTimeout(ctx, time.Minute)
	defer cancelT()
	b := &browser{t: t, ctx: ctx}
	b.run(chromedp.Navigate(srv.URL+"/js.html"),
		chromedp.Poll(`document.getElementById('jsstatus').textContent.includes('is loaded')`, nil, chromedp.WithPollingTimeout(20*time.Second)))
	for _, tc := range []struct{ scheme, secret, want string }{
		{"basic", "open-sesame", "200"}, {"basic", "wrong", "401"},
		{"digest", "open-sesame", "200"}, {"token", "demo-token-12345", "200"},
	} {
		b.run(chromedp.SetValue("#scheme", tc.scheme, chromedp.ByQuery),
			chromedp.Evaluate(`document.getElementById('scheme').dispatchEvent(new Event('change'))`, nil),
			chromedp.SetValue("#secret", tc.secret, chromedp.ByQuery),
			chromedp.Evaluate(`document.getElementById('jsstatus').textContent = 'Sending (test)'`, nil),
			chromedp.Click("#jssend", chromedp.ByQuery),
			chromedp.Poll(`!document.getElementById('jsstatus').textContent.startsWith('Sending')`, nil, chromedp.WithPollingTimeout(20*time.Second)))
		if s := b.text("#jsstatus"); !strings.HasPrefix(s, tc.want) {
			t.Errorf("%s: the page says %q; want %s", tc.scheme, s, tc.want)
		}
	}
}
