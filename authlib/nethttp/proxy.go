package nethttp

import (
	"context"
	"net/http"
	"net/url"
	"runtime"
	"sync"
	"weak"

	"github.com/authlib-go/authlib/authlib"
)

// Proxy credentials go to the proxy and nowhere else. A Proxy-Authorization
// in the request's header (authlib.ProxyBasic, a Digest for a proxy) would
// reach the origin in two cases: when no proxy carries the request, and
// through the tunnel to an https origin, which the proxy cannot see into.
// So, when Base is an *http.Transport, whose Proxy says which proxy a
// request goes to:
//   - to an http origin through a proxy, the header goes in the request,
//     which the proxy reads and takes off;
//   - to an https origin through a proxy, it goes in the CONNECT that opens
//     the tunnel, and not in the request;
//   - with no proxy, the request is refused before it is sent.
// Another Base gets the request as it is: authlib cannot tell where it goes.

// proxyRoute returns base, or what sends hr through a tunnel with pa in its
// CONNECT, and hr to send; or an error when pa would reach the origin.
func proxyRoute(base http.RoundTripper, hr *http.Request, req *authlib.Request) (http.RoundTripper, *http.Request, error) {
	pa := hr.Header.Get("Proxy-Authorization")
	t, ok := base.(*http.Transport)
	if pa == "" || !ok {
		return base, hr, nil
	}
	var proxy *url.URL
	if t.Proxy != nil {
		var err error
		if proxy, err = t.Proxy(hr); err != nil {
			return nil, nil, &authlib.Error{Kind: authlib.ErrNetwork, Op: req.Method, URL: authlib.RedactURL(req.URL), Detail: "choosing the proxy failed"}
		}
	}
	if proxy == nil {
		return nil, nil, &authlib.Error{Kind: authlib.ErrInvalidRequest, Op: req.Method, URL: authlib.RedactURL(req.URL),
			Detail: "the request carries proxy credentials (Proxy-Authorization) but goes to no proxy (Base's Proxy chose none): they would reach the origin"}
	}
	if hr.URL.Scheme != "https" {
		return base, hr, nil
	}
	hr = hr.WithContext(context.WithValue(hr.Context(), connectAuthKey{}, pa))
	hr.Header = hr.Header.Clone()
	hr.Header.Del("Proxy-Authorization")
	return tunneling(t), hr, nil
}

// connectAuthKey holds, in a request's context, the Proxy-Authorization
// for the CONNECT of its tunnel.
type connectAuthKey struct{}

var (
	tunnelsMu sync.Mutex
	tunnels   = map[weak.Pointer[http.Transport]]*http.Transport{}
)

// tunneling returns a clone of t, one per t for as long as t lives (so that
// its tunnels are pooled), whose CONNECT carries the Proxy-Authorization
// of the request's context. A pooled tunnel is reused without a new
// CONNECT: the credentials of the request that opened it are the ones the
// proxy saw.
func tunneling(t *http.Transport) *http.Transport {
	key := weak.Make(t)
	tunnelsMu.Lock()
	defer tunnelsMu.Unlock()
	if c, ok := tunnels[key]; ok {
		return c
	}
	c := t.Clone()
	static, dynamic := t.ProxyConnectHeader, t.GetProxyConnectHeader
	c.ProxyConnectHeader = nil
	c.GetProxyConnectHeader = func(ctx context.Context, proxyURL *url.URL, target string) (http.Header, error) {
		h := static.Clone()
		if dynamic != nil {
			var err error
			if h, err = dynamic(ctx, proxyURL, target); err != nil {
				return nil, err
			}
			h = h.Clone()
		}
		if h == nil {
			h = http.Header{}
		}
		if pa, ok := ctx.Value(connectAuthKey{}).(string); ok {
			h.Set("Proxy-Authorization", pa)
		}
		return h, nil
	}
	tunnels[key] = c
	runtime.AddCleanup(t, func(k weak.Pointer[http.Transport]) {
		tunnelsMu.Lock()
		c := tunnels[k]
		delete(tunnels, k)
		tunnelsMu.Unlock()
		if c != nil {
			c.CloseIdleConnections()
		}
	}, key)
	return c
}
