package main

import (
	"fmt"
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

	p("## Size of the wasm (built with `-trimpath -ldflags=\"-s -w\"`)\n\n")
	p("| binary | raw | gzip -9 | brotli 11 | gzip vs hello | gzip vs net/http |\n|---|---:|---:|---:|---:|---:|\n")
	for _, s := range []sizeRow{a, h, n} {
		p("| %s | %.2f MB | %.2f MB | %.2f MB | %.2f× | %.2f× |\n", label(s.Name), float64(s.Raw)/mb, float64(s.Gzip)/mb,
			float64(s.Brotli)/mb, float64(s.Gzip)/float64(h.Gzip), float64(s.Gzip)/float64(n.Gzip))
	}
	p("\nGoal: authlib.wasm ≤ 0.95 MB gzipped. Now %.3f MB: %s.\n\n", float64(a.Gzip)/mb, verdict(float64(a.Gzip)/mb <= 0.95))
	if o, ok := size["nooauth"]; ok {
		add := float64(a.Gzip-o.Gzip) / 1000
		p("OAuth 2.0 (package oauth2 and its JS API) adds %.1f KB gzipped (%.1f KB brotli): authlib.wasm built with `-tags authlib_nooauth` is %.3f MB gzipped. Goal: ≤ 30 KB: %s. Its JSON is a small reader of its own: encoding/json would add about 170 KB gzipped.\n\n",
			add, float64(a.Brotli-o.Brotli)/1000, float64(o.Gzip)/mb, verdict(add <= 30))
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
	p("Median time per request over %d rounds (the variants' order alternating), and the median of the per-round ratios to raw `fetch` with a hand-built header. Goal: ≤ 1.10×.\n\n", r.node.Rounds)
	p("| runtime | load | raw fetch | authlib.fetch | client().fetch | Go net/http in wasm |\n|---|---|---:|---:|---:|---:|\n")
	row := func(rt, load string, m map[string]variant) {
		cell := func(k string) string {
			v, ok := m[k]
			if !ok {
				return "—"
			}
			if k == "raw" {
				return fmt.Sprintf("%.3f ms", v.MsPerRequest)
			}
			return fmt.Sprintf("%.3f ms (%.2f×)", v.MsPerRequest, v.Ratio)
		}
		p("| %s | %s | %s | %s | %s | %s |\n", rt, load, cell("raw"), cell("authlib"), cell("client"), cell("nethttp"))
	}
	row("Node", fmt.Sprintf("%d sequential", r.node.N), r.node.Sequential)
	row("Node", fmt.Sprintf("%d in flight", r.node.Conc), r.node.Concurrent)
	row("Chromium", fmt.Sprintf("%d sequential", r.node.N), r.chromium.Sequential)
	row("Chromium", fmt.Sprintf("%d in flight", r.node.Conc), r.chromium.Concurrent)

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
	return b.String()
}

func label(name string) string {
	switch name {
	case "hello":
		return "hello world (fmt.Println)"
	case "nethttp":
		return "net/http reference (SetBasicAuth + Client.Do)"
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
