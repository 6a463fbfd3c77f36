//go:build demo

package main

import (
	"math"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

func awaitPromise(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams {
	return p.WithAwaitPromise(true)
}

var axeSource string

// axe runs axe-core (installed by make test into bin/npm) on the page and
// reports every violation, named by when it was found.
func (b *browser) axe(when string) {
	b.t.Helper()
	for _, v := range b.axeViolations() {
		b.t.Errorf("axe, %s: %s", when, v)
	}
}

// axeViolations runs axe-core on the page: "id (help) at [nodes]" each.
func (b *browser) axeViolations() []string {
	b.t.Helper()
	if axeSource == "" {
		src, err := os.ReadFile("../../bin/npm/node_modules/axe-core/axe.min.js")
		if err != nil {
			b.t.Fatalf("axe-core is missing (make test installs it into bin/npm): %v", err)
		}
		axeSource = string(src)
	}
	var loaded bool
	b.run(chromedp.Evaluate(`typeof axe !== 'undefined'`, &loaded))
	if !loaded {
		b.run(chromedp.Evaluate(axeSource, nil))
	}
	var found []struct {
		ID    string   `json:"id"`
		Help  string   `json:"help"`
		Nodes []string `json:"nodes"`
	}
	b.run(chromedp.Evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
		r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`, &found, awaitPromise))
	var out []string
	for _, v := range found {
		out = append(out, v.ID+" ("+v.Help+") at "+strings.Join(v.Nodes, ", "))
	}
	return out
}

// The page's choices travel in its URL (never a secret), Send sits beside
// the URL, each exchange has its raw HTTP, each sample a working Copy
// button, and axe-core finds nothing at 1280 px, at 375 px and in dark mode,
// after every action, on both pages.
func TestDemoSharedAccessibleAndCopyable(t *testing.T) {
	srv := httptest.NewServer(newHandler(distDir(t)))
	defer srv.Close()
	for _, mode := range []struct {
		name          string
		width, height int64
		dark          bool
	}{{"1280 px", 1280, 1000, false}, {"375 px", 375, 800, false}, {"dark, 1280 px", 1280, 1000, true}} {
		t.Run(mode.name, func(t *testing.T) {
			b := launch(t)
			scheme := "light"
			if mode.dark {
				scheme = "dark"
			}
			b.run(chromedp.EmulateViewport(mode.width, mode.height, chromedp.EmulateScale(1)),
				emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}),
				cdpbrowser.SetPermission(&cdpbrowser.PermissionDescriptor{Name: "clipboard-read"}, cdpbrowser.PermissionSettingGranted).WithOrigin(srv.URL),
				cdpbrowser.SetPermission(&cdpbrowser.PermissionDescriptor{Name: "clipboard-write"}, cdpbrowser.PermissionSettingGranted).WithOrigin(srv.URL),
				chromedp.Navigate(srv.URL+"/?scheme=digest&algorithm=SHA-512-256&qop=auth"),
				chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
			// The shared state is restored.
			var digest bool
			var algorithm, bg string
			b.run(chromedp.Evaluate(`document.querySelector('input[name=scheme][value=digest]').checked`, &digest),
				chromedp.Value("#algorithm", &algorithm, chromedp.ByQuery),
				chromedp.Evaluate(`getComputedStyle(document.body).backgroundColor`, &bg))
			if !digest || algorithm != "SHA-512-256" {
				t.Errorf("the page's URL asked for Digest SHA-512-256; the form has digest=%v, %q", digest, algorithm)
			}
			if want := map[bool]string{true: "rgb(13, 17, 23)", false: "rgba(0, 0, 0, 0)"}[mode.dark]; bg != want {
				t.Errorf("the page's background is %s; want %s", bg, want)
			}
			// axe finds what it should: an image without a text alternative.
			b.run(chromedp.Evaluate(`document.body.insertAdjacentHTML('beforeend', '<img id="axe-probe" src="data:,">')`, nil))
			if v := b.axeViolations(); len(v) == 0 || !strings.HasPrefix(v[0], "image-alt ") {
				t.Errorf("axe on an image without alt found %q", v)
			}
			b.run(chromedp.Evaluate(`document.getElementById('axe-probe').remove()`, nil))
			b.axe("loaded")

			// Send is beside the URL field.
			var send, url struct{ Top, Bottom, Left float64 }
			b.run(chromedp.Evaluate(`(({top, bottom, left}) => ({Top: top, Bottom: bottom, Left: left}))(document.getElementById('send').getBoundingClientRect())`, &send),
				chromedp.Evaluate(`(({top, bottom, left}) => ({Top: top, Bottom: bottom, Left: left}))(document.getElementById('url').getBoundingClientRect())`, &url))
			if math.Abs(send.Top-url.Top) > 12 || send.Left <= url.Left {
				t.Errorf("Send is not beside the URL field: Send %+v, URL %+v", send, url)
			}

			if st, n := b.send(); st != 200 || n != 2 {
				t.Fatalf("Digest SHA-512-256: status %d after %d exchanges", st, n)
			}
			b.axe("after a Digest send")
			// The raw exchange, unfolded.
			var raw []string
			b.run(chromedp.Evaluate(`document.querySelectorAll('details.raw').forEach((d) => d.open = true)`, nil),
				chromedp.Evaluate(`[...document.querySelectorAll('details.raw pre')].map((p) => p.textContent)`, &raw))
			if len(raw) != 2 || !strings.Contains(raw[0], "GET /api/digest-auth/auth/alice/••••••••/SHA-512-256 HTTP/1.1\nHost: ") ||
				!strings.Contains(raw[0], "HTTP/1.1 401 Unauthorized\n") || !strings.Contains(raw[0], "WWW-Authenticate: Digest ") ||
				!strings.Contains(raw[1], "Authorization: Digest ") || !strings.Contains(raw[1], "nc=00000001") ||
				!strings.Contains(raw[1], "HTTP/1.1 200 OK\n") || !strings.Contains(raw[1], "scripts cannot see") {
				t.Errorf("the raw exchanges are %q", raw)
			}
			b.axe("raw HTTP open")
			if st, n := b.send(); st != 200 || n != 1 {
				t.Errorf("second Digest send: status %d after %d exchanges", st, n)
			}
			b.axe("with a history of sends")

			// Copy puts exactly the sample on the clipboard.
			var sample, clip string
			b.run(chromedp.Text("#code-curl", &sample, chromedp.ByQuery),
				chromedp.Click(`button.copy[data-for=code-curl]`, chromedp.ByQuery),
				chromedp.Poll(`document.getElementById('copied').textContent !== ''`, nil, chromedp.WithPollingTimeout(10*time.Second)),
				chromedp.Evaluate(`navigator.clipboard.readText()`, &clip, awaitPromise))
			if c := b.text("#copied"); c != "Copied." || clip != sample || !strings.Contains(sample, "curl -i --digest") {
				t.Errorf("Copy: the page says %q; the clipboard holds %q; the sample is %q", c, clip, sample)
			}

			// Another scheme: the page's URL says so, and holds no secret.
			b.pick("bearer", "right")
			var href string
			b.run(chromedp.Evaluate(`location.href`, &href))
			if !strings.Contains(href, "scheme=bearer") || strings.Contains(href, "ghp_demo") || strings.Contains(href, "open-sesame") || strings.Contains(href, "alice") {
				t.Errorf("the page's URL is %s", href)
			}
			b.run(chromedp.Click("#target-custom", chromedp.ByQuery), chromedp.SetValue("#url", "https://api.example.com/user?token=x", chromedp.ByQuery),
				chromedp.Evaluate(`document.getElementById('url').dispatchEvent(new Event('input'))`, nil),
				chromedp.Evaluate(`location.href`, &href))
			if !strings.Contains(href, "target=custom") || !strings.Contains(href, "url=https%3A%2F%2Fapi.example.com%2Fuser") || strings.Contains(href, "token") {
				t.Errorf("a URL of one's own is shared as %s; want its origin and path, not its query", href)
			}
			b.axe("a URL of one's own")

			// The plain JavaScript page, after a send.
			b.run(chromedp.Navigate(srv.URL+"/js.html"),
				chromedp.Poll(`document.getElementById('jsstatus').textContent.includes('is loaded')`, nil, chromedp.WithPollingTimeout(20*time.Second)),
				chromedp.Click("#jssend", chromedp.ByQuery),
				chromedp.Poll(`/^\d/.test(document.getElementById('jsstatus').textContent)`, nil, chromedp.WithPollingTimeout(20*time.Second)))
			b.axe("js.html after a send")
		})
	}
}
