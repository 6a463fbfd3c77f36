//go:build js && wasm

package jsfetch

import (
	"sync"

	"github.com/hack-pad/safejs"
)

var (
	nodeOnce sync.Once
	nodeRT   bool
)

// IsNode reports whether the program runs under Node (where fetch allows
// redirect "manual" and Proxy-Authorization) rather than in a browser.
// (Kept out of line, as js() is.)
//
//go:noinline
func IsNode() bool {
	nodeOnce.Do(func() {
		p, err := safejs.Global().Get("process")
		if err != nil || p.Type() != safejs.TypeObject {
			return
		}
		v, err := p.Get("versions")
		if err != nil || v.Type() != safejs.TypeObject {
			return
		}
		n, err := v.Get("node")
		nodeRT = err == nil && n.Type() == safejs.TypeString
	})
	return nodeRT
}

// forbiddenInBrowsers reports the request headers a browser's fetch drops
// silently, which would make a credential vanish without a word.
func forbiddenInBrowsers(name string) bool {
	switch name {
	case "Proxy-Authorization", "Cookie", "Cookie2", "Host", "Origin", "Referer", "Connection",
		"Content-Length", "Date", "Dnt", "Expect", "Keep-Alive", "Te", "Trailer",
		"Transfer-Encoding", "Upgrade", "Via", "Accept-Charset", "Accept-Encoding",
		"Access-Control-Request-Headers", "Access-Control-Request-Method", "Set-Cookie":
		return true
	}
	return len(name) > 4 && (name[:4] == "Sec-" || (len(name) > 6 && name[:6] == "Proxy-"))
}
