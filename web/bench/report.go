package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

const mb = 1_000_000.0

// markdown renders the report: every figure beside its reference, measured
// in the same run.
func (r *report) markdown() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	size := map[string]sizeRow{}
	for _, s := range r.sizes {
		size[s.Name] = s
	}
	a, h, n := size["authlib"], size["hello"], size["nethttp"]
	p("# authlib benchmarks\n\n")
	if *smoke {
		p("**Smoke run**: tiny counts, only to show that the harness works. Figures mean nothing.\n\n")
	}
	p("Measured by `make bench` on %s: %s, %s cores, %s; Go %s, Node %s, %s.\n\n",
		time.Now().UTC().Format("2006-01-02"), r.versions["cpu"], r.versions["cores"], r.versions["os"],
		r.versions["go"], r.versions["node"], chromiumVersion(r.versions["chromium"]))
	p("Every ratio compares figures taken in this same run. Reproduce with `make bench`.\n\n")

	p("## Size of the wasm (built with `-trimpath -ldflags=\"-s -w\"`; authlib.wasm as make builds it, with `%s`)\n\n", os.Getenv("AUTHLIB_WASM_GCFLAGS"))
	p("| binary | raw | gzip -9 | brotli 11 | gzip vs hello | gzip vs net/http |\n|---|---:|---:|---:|---:|---:|\n")
	rows := []sizeRow{a, h, n}
	lite, hasLite := size["lite"]
	if hasLite {
		rows = []sizeRow{a, lite, h, n}
	}
	for _, s := range rows {
		p("| %s | %.2f MB | %.2f MB | %.2f MB | %.2f× | %.2f× |\n", label(s.Name), float64(s.Raw)/mb, float64(s.Gzip)/mb,
			float64(s.Brotli)/mb, float64(s.Gzip)/float64(h.Gzip), float64(s.Gzip)/float64(n.Gzip))
	}
	p("\nGoals: authlib.wasm ≤ 1.22 MB gzipped with every scheme, now %.3f MB: %s", float64(a.Gzip)/mb, verdict(float64(a.Gzip)/mb <= 1.22))
	if hasLite {
		p("; authlib-lite.wasm (Basic, Digest, Bearer, proxy Basic, header tokens, netrc; `-tags authlib_lite,authlib_nooauth`) ≤ 1.08 MB, now %.3f MB: %s, %.1f KB less than the full build", float64(lite.Gzip)/mb, verdict(float64(lite.Gzip)/mb <= 1.08), float64(a.Gzip-lite.Gzip)/1000)
	}
	p(". Both hash with compact implementations of MD5, SHA-1, SHA-256 and SHA-512 of their own (authlib/internal/hashes), not crypto/*, which would bring in Go's FIPS 140 module (about 57 KB gzipped more).\n\n")
	if len(r.schemes) > 0 {
		p("Each signing scheme's share of authlib.wasm: its functions (the core's type and helpers, the codec's reader, the JS API's glue; chosen by name, and a hash that only it uses), their code uncompressed and gzipped by itself (which overstates it a little: in the whole file, gzip finds more to share):\n\n")
		p("| scheme | functions | code | gzip -9 |\n|---|---:|---:|---:|\n")
		for _, sc := range r.schemes {
			p("| %s | %d | %.1f KB | %.1f KB |\n", sc.Scheme, sc.Funcs, float64(sc.Code)/1000, float64(sc.Gzip)/1000)
		}
		p("\n")
	}
	if o, ok := size["nooauth"]; ok {
		add := float64(a.Gzip-o.Gzip) / 1000
		p("OAuth 2.0 (package oauth2 and its JS API: the flows, revocation, DPoP, client assertions, PAR, registration, resource metadata, the login from a 401 and the token stores) adds %.1f KB gzipped (%.1f KB brotli): "+
			"authlib.wasm built with `-tags authlib_nooauth` is %.3f MB gzipped. Goal: OAuth's whole share < 80 KB: %s (set before the token stores were added; the first OAuth issue's 30 KB, for the scheme and the first flows, was not met). "+
			"Its JSON is a small reader of its own: encoding/json would add about 170 KB gzipped; DPoP and assertions sign with WebCrypto keys, so no Go asymmetric crypto is linked.\n\n",
			add, float64(a.Brotli-o.Brotli)/1000, float64(o.Gzip)/mb, verdict(add < 80))
		if f, ok := size["nooauthflows"]; ok {
			scheme, flows := float64(f.Gzip-o.Gzip)/1000, float64(a.Gzip-f.Gzip)/1000
			p("Of that, the scheme (`auth: {type: 'oauth2'}` with everything it does: discovery, client credentials, refresh, the renewal on a 401, DPoP, assertions, the login from a 401, which walks registration and PAR; "+
				"`-tags authlib_nooauthflows` builds authlib.wasm with it and without the rest) adds %.1f KB, and what only the flows of `authlib.oauth2` use (discover, authorize, exchange, device, revoke, register, discoverResource) %.1f KB.\n\n",
				scheme, flows)
		}
	}
	if o, ok := size["noinline"]; ok {
		p("Without inlining anywhere (`-gcflags=all=-l`) authlib.wasm would be %.3f MB gzipped (%.1f KB less) and %.3f MB brotli. It is built without inlining only in this module's packages (the library, the JS glue and its codec; the signing schemes made that worth it) in fmt, reflect and time, which no request's hot path runs, and in strconv and net/url (a microsecond or two on a signed request); in the runtime and the rest of the standard library it would slow the calls into Go (see History below), and a Go wasm app can choose the flags itself.\n\n",
			float64(o.Gzip)/mb, float64(a.Gzip-o.Gzip)/1000, float64(o.Brotli)/mb)
		if n, ok := size["nooauth"]; ok {
			p("The floor, and why the size goals are not met: any Go program in wasm starts at the hello world's %.2f MB gzipped (the runtime, fmt and reflect, which safejs brings in). "+
				"Without OAuth and without inlining both, authlib.wasm would still be about %.2f MB gzipped. What remains is the core's own code and what its API stands on "+
				"(net/url's URL in every Request, time, the hashes of Digest); reaching 0.95 MB would mean a different API, not a smaller build.\n\n",
				float64(h.Gzip)/mb, float64(a.Gzip-(a.Gzip-n.Gzip)-(a.Gzip-o.Gzip))/mb)
		}
	}
	p("What takes the space in authlib.wasm (function bodies by package, and the data section; uncompressed):\n\n")
	p("| package | bytes | share |\n|---|---:|---:|\n")
	for i, s := range r.breakdown {
		if i == 15 {
			break
		}
		p("| %s | %d | %.1f%% |\n", s.Pkg, s.Bytes, 100*float64(s.Bytes)/float64(r.codeTotal))
	}

	p("\n## Request overhead: Basic-auth GETs to a loopback server\n\n")
	p("Each variant is first warmed until it stops getting faster (at most %d rounds), then the variants run %d rounds in alternating order. "+
		"A cell is the median time per request, and the median (least–greatest) of the per-round ratios to raw `fetch` with a hand-built header. "+
		"authtest is the mock API (in the benchmark's Go process); the bare server is a plain Node http server in a child process. Goal: ≤ 1.10×. "+
		"† marks a cell whose median ratio and median times point different ways (a ratio under 1× beside a slower median time, or the reverse): "+
		"the rounds varied more than the two differ, so read it as no difference measured, not as faster or slower.\n\n", warmRounds(), r.node.Rounds)
	p("| runtime | server | load | raw fetch | authlib.fetch | client().fetch | axios (auth) | Go net/http in wasm |\n|---|---|---|---:|---:|---:|---:|---:|\n")
	row := func(rt, server, load string, m map[string]variant) {
		if m == nil {
			return
		}
		cell := func(k string) string {
			v, ok := m[k]
			if !ok {
				return "—"
			}
			if k == "raw" {
				return fmt.Sprintf("%.3f ms", v.MsPerRequest)
			}
			mark := ""
			if raw, ok := m["raw"]; ok && (v.MsPerRequest > raw.MsPerRequest) != (v.Ratio > 1) && v.Ratio != 1 {
				mark = " †"
			}
			return fmt.Sprintf("%.3f ms: %.2f× (%.2f–%.2f)%s", v.MsPerRequest, v.Ratio, v.RatioMin, v.RatioMax, mark)
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", rt, server, load, cell("raw"), cell("authlib"), cell("client"), cell("axios"), cell("nethttp"))
	}
	row("Node", "authtest", fmt.Sprintf("%d sequential", r.node.N), r.node.Sequential)
	row("Node", "authtest", fmt.Sprintf("%d in flight", r.node.Conc), r.node.Concurrent)
	row("Node", "bare", fmt.Sprintf("%d sequential", r.node.N), r.node.BareSequential)
	row("Node", "bare", fmt.Sprintf("%d in flight", r.node.Conc), r.node.BareConcurrent)
	row("Chromium", "authtest", fmt.Sprintf("%d sequential", r.node.N), r.chromium.Sequential)
	row("Chromium", "authtest", fmt.Sprintf("%d in flight", r.node.Conc), r.chromium.Concurrent)
	if d, ok := r.node.DigestVsJS["authlib"]; ok {
		js := r.node.DigestVsJS["raw"]
		p("\nDigest, %d sequential requests through one client (the nonce reused) to authtest, against digest-fetch (pure JS): "+
			"digest-fetch %.3f ms, authlib %.3f ms a request: %.2f× (%.2f–%.2f). Goal: ≤ 1.25×: %s.\n",
			r.node.N, js.MsPerRequest, d.MsPerRequest, d.Ratio, d.RatioMin, d.RatioMax, verdict(d.Ratio <= 1.25))
		if r.node.GoCallUs > 0 {
			p("The floor: a Digest request is one call into Go (to count the nonce and compute the answer, the URL and method in and the Authorization out), which digest-fetch does not make; it is a lean call (an export of the module, no syscall/js event; see the README's boundary), where "+
				"the cheapest call through syscall/js (`basic()`) takes %.1f µs here in a warm loop; what is left is Go's own work (it checks the URL and hashes), slower in wasm than natively. Going below it would mean a second Digest in JS "+
				"(WebCrypto has neither MD5 nor a synchronous hash).\n", r.node.GoCallUs)
		}
	}

	// signed is a signing scheme's row: what was measured (lead), then the
	// time of lib, the JS library a user would pick instead, and
	// authlib.fetch's and a client's, with their ratios to it.
	signed := func(lead, lib string, v map[string]variant) {
		a, ok := v["authlib"]
		if !ok {
			return
		}
		c := v["client"]
		p("\n%s: %s %.3f ms, authlib.fetch %.3f ms (%.2f×, %.2f–%.2f), a client %.3f ms (%.2f×, %.2f–%.2f) a request. Goal: ≤ 1.25×: %s.\n",
			lead, lib, v["raw"].MsPerRequest, a.MsPerRequest, a.Ratio, a.RatioMin, a.RatioMax, c.MsPerRequest, c.Ratio, c.RatioMin, c.RatioMax,
			verdict(a.Ratio <= 1.25 && c.Ratio <= 1.25))
	}
	for _, rt := range []struct {
		name string
		v    map[string]variant
	}{{"Node", r.node.AWS4VsJS}, {"Chromium", r.chromium.AWS4VsJS}} {
		signed(fmt.Sprintf("AWS Signature V4 in %s, %d sequential GETs to authtest (which checks each signature), against aws4fetch (pure JS, WebCrypto's HMAC), each request signed anew", rt.name, r.node.N), "aws4fetch", rt.v)
	}
	for _, rt := range []struct {
		name, with string
		v          map[string]variant
	}{{"Node", "Node's crypto for the HMAC", r.node.OAuth1VsJS}, {"Chromium", "crypto-js for the HMAC (WebCrypto has no synchronous one)", r.chromium.OAuth1VsJS}} {
		signed(fmt.Sprintf("OAuth 1.0a (HMAC-SHA1) in %s, %d sequential GETs to authtest's provider (which checks each signature), against oauth-1.0a with %s", rt.name, r.node.N, rt.with), "oauth-1.0a", rt.v)
	}
	for _, rt := range []struct {
		name, with string
		v          map[string]variant
	}{{"Node", "http-message-signatures with Node's crypto; authlib signs with a non-extractable WebCrypto key (the key never enters Go; in Node node:crypto signs with it at once, through its KeyObject)", r.node.HTTPSigVsJS},
		{"Chromium", "http-message-signatures (bundled with the buffer package, as a page's build would) signing with WebCrypto; both sign with the same non-extractable WebCrypto key, and wait for it", r.chromium.HTTPSigVsJS}} {
		signed(fmt.Sprintf("HTTP Message Signatures (RFC 9421, ed25519) in %s, %d sequential GETs to authtest (which checks each signature), against %s", rt.name, r.node.N, rt.with), "http-message-signatures", rt.v)
	}
	for _, rt := range []struct {
		name string
		v    map[string]variant
	}{{"Node", r.node.DPoPVsJS}, {"Chromium", r.chromium.DPoPVsJS}} {
		signed(fmt.Sprintf("A DPoP-bound token (RFC 9449: a new ES256 proof, with ath and the server's nonce, for each request) in %s, %d sequential GETs to authtest's resource (which checks each proof), "+
			"against oauth4webapi's protectedResourceRequest; both with the same non-extractable WebCrypto key and token", rt.name, r.node.N), "oauth4webapi", rt.v)
	}

	if a, ok := r.node.PostHeaders["authlib"]; ok {
		p("\nA POST with a body and a Headers object of three fields, Basic, %d sequential to authtest: raw fetch %.3f ms, authlib.fetch %.3f ms a request: %.2f× (%.2f–%.2f).\n",
			r.node.N, r.node.PostHeaders["raw"].MsPerRequest, a.MsPerRequest, a.Ratio, a.RatioMin, a.RatioMax)
	}
	if o, ok := r.node.OAuthVsBearer["oauth"]; ok {
		b := r.node.OAuthVsBearer["bearer"]
		p("\nOAuth with a token held, %d sequential requests through one client to authtest's OAuth API, against a Bearer client with the same token: "+
			"raw fetch %.3f ms, Bearer %.3f ms (%.2f×), OAuth %.3f ms (%.2f×, %.2f–%.2f) a request. Goal: OAuth costs what Bearer costs: %s.\n",
			r.node.N, r.node.OAuthVsBearer["raw"].MsPerRequest, b.MsPerRequest, b.Ratio, o.MsPerRequest, o.Ratio, o.RatioMin, o.RatioMax,
			verdict(o.Ratio <= b.Ratio*1.10))
	}

	d := r.node.Digest
	p("\n## Digest round trips (counted by authtest's /stats)\n\n")
	p("| requests through one client | exchanges | goal |\n|---|---:|---|\n")
	p("| %d | %d | %d (N+1): %s |\n", d.Requests, d.Exchanges, d.Requests+1, verdict(d.Exchanges == d.Requests+1))
	want := d.Requests + 1 + (d.Requests-1)/d.StaleEvery
	p("| %d, the nonce stale every %d uses | %d | %d (one more per stale nonce): %s |\n", d.Requests, d.StaleEvery, d.ExchangesStale, want, verdict(d.ExchangesStale == want))

	l := r.node.Load
	p("\n## Load to ready in Node (fresh process each time, median of runs)\n\n")
	p("| `await load()` | hello-world instantiate and run | ratio | goal |\n|---:|---:|---:|---|\n")
	p("| %.1f ms | %.1f ms | %.2f× | ≤ 1.5×: %s |\n", l.AuthlibMs, l.HelloMs, l.Ratio, verdict(l.Ratio <= 1.5))

	p("\n## Micro benchmarks (native, `go test -bench`)\n\n```\n")
	for _, m := range r.micro {
		p("%s\n", m)
	}
	p("```\n")

	p("\n## History (measured by earlier runs, not by this one)\n\n")
	p("- 2026-11-27: without inlining, the one Go call of a Digest request went from 1.53× to 1.78× of digest-fetch (medians of three runs each); the Digest answer took 26 µs in a warm loop, about 70 µs between requests.\n" +
		"- Steps taken for size, each measured when it was taken (gzip -9): OAuth's JSON is a reader of its own, where encoding/json would have added about 170 KB; " +
		"the JS↔Go message boundary (authlib.mjs reads headers, bodies and Requests; Go answers with one string) took 9.4 KB off; " +
		"OAuth went from 54.4 to 42.9 KB (the check of iss, RFC 9207, has since added 0.8): it reads only flat JSON objects, writes tokens with strconv.Quote (tokens are printable ASCII, RFC 6749 Appendix A), " +
		"uses no url.Values, and its JS API sends settings as lines and gets JSON text back, which JS parses; three cold helpers kept out of line (usage, credentialError, nameForMessage) took 5.5 KB off the whole.\n")
	return b.String()
}

func label(name string) string {
	switch name {
	case "hello":
		return "hello world (fmt.Println)"
	case "nethttp":
		return "net/http reference (SetBasicAuth + Client.Do)"
	case "lite":
		return "authlib-lite.wasm"
	}
	return "authlib.wasm"
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

func chromiumVersion(ua string) string {
	if i := strings.Index(ua, "Chrome/"); i >= 0 {
		v := ua[i+len("Chrome/"):]
		if j := strings.IndexByte(v, ' '); j >= 0 {
			v = v[:j]
		}
		return "Chromium " + v
	}
	return "Chromium"
}
