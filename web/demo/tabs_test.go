//go:build demo

package main

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The demo's page of tabs (tabs.html), as a user would use it: in the
// service-worker mode a login in one tab serves two, their 20 requests
// after the token expired cost one refresh, and the page's own scan finds
// the token nowhere; in the IndexedDB mode the scan finds it (what the
// worker is for), and two tabs still refresh once.
func TestDemoTabs(t *testing.T) {
	srv := httptest.NewServer(newHandler(distDir(t)))
	defer srv.Close()
	b := launch(t, chromedp.WindowSize(1100, 900))
	for _, mode := range []string{"worker", "store"} {
		page := srv.URL + "/tabs.html?lifetime=4&mode=" + mode
		b.run(chromedp.Navigate(page), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
		b.run(chromedp.Evaluate(`window.beforeLogin = true`, nil), chromedp.Click("#login", chromedp.ByQuery))
		b.until(`window.beforeLogin === undefined && !location.search.includes('code=') && document.body.dataset.ready === 'true' && document.getElementById('tabstatus').textContent.startsWith('Logged in')`, 20*time.Second)
		if mode == "worker" {
			b.axe("tabs.html, logged in")
		}
		second, closeSecond := b.tab(srv.URL + "/tabs.html?lifetime=4")
		if st := second.text("#tabstatus"); !strings.HasPrefix(st, "Logged in") {
			t.Fatalf("%s: the second tab says %q", mode, st)
		}
		time.Sleep(4 * time.Second) // the token expires
		var before int
		b.eval(`fetch('api/stats').then((r) => r.json()).then((s) => s.exchanges['grant:refresh_token'] ?? 0)`, &before)
		for _, tab := range []*browser{b, second} {
			tab.run(chromedp.Evaluate(`delete document.body.dataset.burst; document.getElementById("send").click()`, nil))
		}
		for i, tab := range []*browser{b, second} {
			tab.until(`document.body.dataset.burst !== undefined`, 20*time.Second)
			if got := tab.attr("body", "data-burst"); got != "["+strings.Repeat("200,", 9)+"200]" {
				var kept string
				tab.eval(`new Promise((ok) => { const r = indexedDB.open('authlib-demo-tabs', 1); r.onsuccess = () => { const g = r.result.transaction('token').objectStore('token').get('token'); g.onsuccess = () => ok(String(g.result).replace(/"(access|refresh)_token":"[^"]*"/g, '')); }; })`, &kept)
				t.Fatalf("%s: tab %d answered %s: %s; kept %s; at %s", mode, i, got, tab.attr("body", "data-failed"), kept, tab.text("#tabscode"))
			}
		}
		var after int
		b.eval(`fetch('api/stats').then((r) => r.json()).then((s) => s.exchanges['grant:refresh_token'] ?? 0)`, &after)
		if after-before != 1 {
			t.Fatalf("%s: %d refreshes for two tabs; want 1", mode, after-before)
		}
		b.run(chromedp.Evaluate(`document.getElementById("scan").click()`, nil))
		b.until(`document.body.dataset.scan !== undefined`, 20*time.Second)
		var found []string
		json.Unmarshal([]byte(b.attr("body", "data-scan")), &found)
		if mode == "worker" && len(found) != 0 || mode == "store" && len(found) == 0 {
			t.Fatalf("%s: the page's scan found the token at %v", mode, found)
		}
		closeSecond()
	}
}

// until waits for js to be true in b's page, through the navigations on
// the way (a login's).
func (b *browser) until(js string, d time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(d)
	for {
		var ok bool
		if err := chromedp.Run(b.ctx, chromedp.Evaluate(js, &ok)); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var where, said string
			chromedp.Run(b.ctx, chromedp.Location(&where), chromedp.Evaluate(`document.body ? document.body.innerText.slice(0, 300) : ''`, &said))
			var st string
			chromedp.Run(b.ctx, chromedp.Evaluate(`document.getElementById('tabstatus')?.textContent + ' ' + document.body.dataset.ready`, &st))
			b.t.Fatalf("waited %v for %s at %s: %q (%s)", d, js, where, said, st)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
