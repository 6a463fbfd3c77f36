//go:build demo

package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// storePage serves the demo's files and mock API, and testdata/X.html;
// its token endpoint takes 300 ms, as a busy server's would, so that a tab
// that did not wait for another's refresh would meet it.
func storePage(t *testing.T, name string) *httptest.Server {
	mux := http.NewServeMux()
	h := newHandler(distDir(t))
	mux.Handle("/", h)
	mux.HandleFunc("/api/oauth/token", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		h.ServeHTTP(w, r)
	})
	mux.HandleFunc("/"+name, func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, "testdata/"+name) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// tab opens url in a new tab of b's browser (sharing its IndexedDB and
// Web Locks) and waits for the page to be ready.
func (b *browser) tab(url string) (*browser, context.CancelFunc) {
	ctx, cancel := chromedp.NewContext(b.ctx)
	nb := &browser{t: b.t, ctx: ctx}
	nb.run(chromedp.Navigate(url), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
	return nb, cancel
}

func (b *browser) eval(js string, out any) {
	b.t.Helper()
	b.run(chromedp.Evaluate(js, out, awaitPromise))
}

// Two tabs sharing one IndexedDB store, 50 requests each after the token
// expired, against authtest (which rotates refresh tokens and refuses a
// used one): one token request, 100 responses 200. A tab opened later
// starts logged in; a tab closed while it holds the lock (mid-refresh)
// leaves it to the other, which refreshes once.
func TestStoreTabsInChromium(t *testing.T) {
	srv := storePage(t, "store-tabs.html")
	b := launch(t)
	b.run(chromedp.Navigate(srv.URL+"/store-tabs.html"), chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery))
	second, closeSecond := b.tab(srv.URL + "/store-tabs.html")
	defer closeSecond()
	var tok string
	b.eval(`t.login()`, &tok)
	b.eval(`t.expire()`, nil)
	after := oneRefresh(t, b, second)
	// A tab opened later starts logged in: no token request.
	third, closeThird := b.tab(srv.URL + "/store-tabs.html")
	defer closeThird()
	var later []any
	var before int
	third.eval(`t.burst(3)`, &later)
	b.eval(`t.refreshes()`, &before)
	if len(later) != 3 || later[0] != float64(200) || before != after {
		t.Fatalf("a tab opened later: %v, %d token requests", later, before-after)
	}
	// The second tab holds the lock, as in the middle of a refresh, and
	// closes; the first, waiting for it, then refreshes once.
	b.eval(`t.expire()`, nil)
	var held string
	second.eval(`t.hold()`, &held)
	done := make(chan []any, 1)
	go func() {
		var s []any
		chromedp.Run(b.ctx, chromedp.Evaluate(`t.burst(10)`, &s, awaitPromise))
		done <- s
	}()
	select {
	case s := <-done:
		t.Fatalf("the lock was free while another tab held it: %v", s)
	case <-time.After(500 * time.Millisecond):
	}
	closeSecond()
	select {
	case s := <-done:
		if len(s) != 10 || s[0] != float64(200) || s[9] != float64(200) {
			t.Fatalf("after the holder closed: %v", s)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the lock stayed held after its tab closed")
	}
	b.eval(`t.refreshes()`, &after)
	var saved string
	b.eval(`t.saved()`, &saved)
	if after-before != 1 || !strings.Contains(saved, `"client_id":"public-app"`) {
		t.Fatalf("%d token requests after the close; the store holds %.40q", after-before, saved)
	}
}

// oneRefresh has the tabs (pages with window.t: burst, go, refreshes) send
// 50 requests each, all at once, after their token expired: every one must
// be answered 200, and the server must have seen one refresh. It returns
// the server's count after.
func oneRefresh(t *testing.T, tabs ...*browser) (after int) {
	t.Helper()
	var before int
	tabs[0].eval(`t.refreshes()`, &before)
	statuses := make([][]any, len(tabs))
	var wg sync.WaitGroup
	for i, tab := range tabs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			chromedp.Run(tab.ctx, chromedp.Evaluate(`t.burst(50, true)`, &statuses[i], awaitPromise))
		}()
	}
	time.Sleep(300 * time.Millisecond) // every tab waits for the word
	tabs[0].eval(`t.go()`, nil)
	wg.Wait()
	for i, s := range statuses {
		if len(s) != 50 || slices.ContainsFunc(s, func(v any) bool { return v != float64(200) }) {
			t.Fatalf("tab %d: %v", i, s)
		}
	}
	tabs[0].eval(`t.refreshes()`, &after)
	if after-before != 1 {
		t.Fatalf("%d refreshes for %d tabs; want 1", after-before, len(tabs))
	}
	return after
}
