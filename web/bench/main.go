// Command bench is make bench: it measures authlib side by side with its
// references in one run, prints one table and writes it, with the machine
// and versions, to web/bench/BENCHMARKS.md.
//
//	go run ./web/bench            # the full run (a few minutes)
//	go run ./web/bench -smoke     # a tiny run so that the harness cannot rot
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/chromedp/chromedp"
)

var (
	smoke = flag.Bool("smoke", false, "a tiny run, to check that the harness works")
	out   = flag.String("out", "web/bench/BENCHMARKS.md", "where to write the report")
	dist  = flag.String("dist", "web/dist", "the built JS package (make build)")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type report struct {
	sizes     []sizeRow
	breakdown []pkgSize
	codeTotal int
	schemes   []schemeSize
	node      nodeResult
	chromium  browserResult
	micro     []string
	versions  map[string]string
}

func run() error {
	tmp, err := os.MkdirTemp("", "authlib-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	r := &report{versions: versions()}

	fmt.Fprintln(os.Stderr, "bench: building the wasm binaries")
	// authlib.wasm's variants are built as make builds it (the Makefile
	// passes its flags).
	gcflags, ok := os.LookupEnv("AUTHLIB_WASM_GCFLAGS")
	if !ok {
		return fmt.Errorf("AUTHLIB_WASM_GCFLAGS is not set: run the bench through make bench")
	}
	ship := strings.Fields(gcflags)
	bins := map[string]string{}
	for name, pkg := range map[string]string{"authlib": "./authlib/cmd/authlib-wasm", "hello": "./web/bench/ref/hello", "nethttp": "./web/bench/ref/nethttp"} {
		bins[name] = filepath.Join(tmp, name+".wasm")
		var flags []string
		if name == "authlib" {
			flags = ship
		}
		if err := goBuild(bins[name], pkg, "-s -w", flags...); err != nil {
			return err
		}
	}
	// The same without OAuth, to measure what OAuth adds.
	bins["nooauth"] = filepath.Join(tmp, "nooauth.wasm")
	if err := goBuild(bins["nooauth"], "./authlib/cmd/authlib-wasm", "-s -w", append([]string{"-tags=authlib_nooauth"}, ship...)...); err != nil {
		return err
	}
	// With the OAuth scheme but not the flows of authlib.oauth2: what the
	// scheme alone adds.
	bins["nooauthflows"] = filepath.Join(tmp, "nooauthflows.wasm")
	if err := goBuild(bins["nooauthflows"], "./authlib/cmd/authlib-wasm", "-s -w", append([]string{"-tags=authlib_nooauthflows"}, ship...)...); err != nil {
		return err
	}
	// The lite build, as make builds authlib-lite.wasm.
	bins["lite"] = filepath.Join(tmp, "lite.wasm")
	if err := goBuild(bins["lite"], "./authlib/cmd/authlib-wasm", "-s -w", append([]string{"-tags=authlib_lite,authlib_nooauth"}, ship...)...); err != nil {
		return err
	}
	// The same without inlining: smaller, and slower on the Go path.
	bins["noinline"] = filepath.Join(tmp, "noinline.wasm")
	if err := goBuild(bins["noinline"], "./authlib/cmd/authlib-wasm", "-s -w", "-gcflags=all=-l"); err != nil {
		return err
	}
	full := filepath.Join(tmp, "authlib-names.wasm")
	if err := goBuild(full, "./authlib/cmd/authlib-wasm", "", ship...); err != nil {
		return err
	}
	for _, name := range []string{"authlib", "lite", "hello", "nethttp", "nooauth", "nooauthflows", "noinline"} {
		row, err := measureSize(name, bins[name])
		if err != nil {
			return err
		}
		r.sizes = append(r.sizes, row)
	}
	b, err := os.ReadFile(full)
	if err != nil {
		return err
	}
	if r.breakdown, r.codeTotal, err = codeByPackage(b); err != nil {
		return err
	}
	if r.schemes, err = codeByScheme(b); err != nil {
		return err
	}

	// One loopback server: the mock API at /api/, the built package and the
	// benchmark page at /.
	site := filepath.Join(tmp, "site")
	if err := os.MkdirAll(site, 0o755); err != nil {
		return err
	}
	// The package: authlib.wasm, wasm_exec.js, and authlib.mjs with the
	// modules it imports.
	modules, _ := filepath.Glob(filepath.Join(*dist, "*.mjs"))
	for _, f := range append([]string{"authlib.wasm", "wasm_exec.js"}, modules...) {
		f = filepath.Base(f)
		if err := copyFile(filepath.Join(*dist, f), filepath.Join(site, f)); err != nil {
			return fmt.Errorf("%w (run make build first)", err)
		}
	}
	for _, f := range []string{"bench.html", "bench.mjs", "rounds.mjs"} {
		if err := copyFile(filepath.Join("web/bench/page", f), filepath.Join(site, f)); err != nil {
			return err
		}
	}
	if err := copyFile(bins["nethttp"], filepath.Join(site, "nethttp.wasm")); err != nil {
		return err
	}
	// What a page would use instead, pinned (make bench installs it).
	if err := copyFile("bin/npm/node_modules/aws4fetch/dist/aws4fetch.esm.mjs", filepath.Join(site, "aws4fetch.mjs")); err != nil {
		return err
	}
	if err := bundleSigners(filepath.Join(site, "signers.mjs")); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", authtest.NewHandler()))
	mux.Handle("/", http.FileServer(http.Dir(site)))
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	n, rounds, conc, loads, dn := 200, 7, 256, 7, 100
	if *smoke {
		n, rounds, conc, loads, dn = 5, 1, 8, 1, 10
	}
	fmt.Fprintln(os.Stderr, "bench: Node")
	if r.node, err = runNode(base+"/api", bins["hello"], n, rounds, conc, loads, dn); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "bench: Chromium")
	if r.chromium, err = runChromium(fmt.Sprintf("%s/bench.html?n=%d&rounds=%d&conc=%d&warm=%d", base, n, rounds, conc, warmRounds())); err != nil {
		return err
	}
	r.versions["chromium"] = r.chromium.UserAgent
	fmt.Fprintln(os.Stderr, "bench: micro benchmarks")
	if r.micro, err = micro(); err != nil {
		return err
	}
	text := r.markdown()
	fmt.Print(text)
	return os.WriteFile(*out, []byte(text), 0o644)
}

func goBuild(outFile, pkg, ldflags string, flags ...string) error {
	args := append([]string{"build", "-trimpath", "-o", outFile}, flags...)
	if ldflags != "" {
		args = append(args, "-ldflags="+ldflags)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

type sizeRow struct {
	Name              string
	Raw, Gzip, Brotli int
}

func measureSize(name, file string) (sizeRow, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return sizeRow{}, err
	}
	var gz, br bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	bw.Write(b)
	bw.Close()
	return sizeRow{name, len(b), gz.Len(), br.Len()}, nil
}

type variant struct {
	MsPerRequest float64 `json:"msPerRequest"`
	Ratio        float64 `json:"ratio"`
	RatioMin     float64 `json:"ratioMin"`
	RatioMax     float64 `json:"ratioMax"`
	WarmRounds   int     `json:"warmRounds"`
}

// warmRounds is the most warm-up rounds a variant gets before it is
// measured (it stops earlier once it no longer gets faster).
func warmRounds() int {
	if *smoke {
		return 1
	}
	return 20
}

type nodeResult struct {
	Node           string             `json:"node"`
	N              int                `json:"N"`
	Rounds         int                `json:"ROUNDS"`
	Conc           int                `json:"CONC"`
	Sequential     map[string]variant `json:"sequential"`
	Concurrent     map[string]variant `json:"concurrent"`
	BareSequential map[string]variant `json:"bareSequential"`
	BareConcurrent map[string]variant `json:"bareConcurrent"`
	DigestVsJS     map[string]variant `json:"digestVsJS"`
	AWS4VsJS       map[string]variant `json:"aws4VsJS"`
	OAuth1VsJS     map[string]variant `json:"oauth1VsJS"`
	HTTPSigVsJS    map[string]variant `json:"httpsigVsJS"`
	DPoPVsJS       map[string]variant `json:"dpopVsJS"`
	OAuthVsBearer  map[string]variant `json:"oauthVsBearer"`
	PostHeaders    map[string]variant `json:"postWithHeaders"`
	GoCallUs       float64            `json:"goCallUs"`
	Digest         struct {
		Requests       int `json:"requests"`
		Exchanges      int `json:"exchanges"`
		StaleEvery     int `json:"staleEvery"`
		ExchangesStale int `json:"exchangesStale"`
	} `json:"digest"`
	Load struct {
		AuthlibMs float64 `json:"authlibMs"`
		HelloMs   float64 `json:"helloMs"`
		Ratio     float64 `json:"ratio"`
	} `json:"load"`
}

func runNode(api, hello string, n, rounds, conc, loads, dn int) (nodeResult, error) {
	var res nodeResult
	cmd := exec.Command("node", "web/bench/node.mjs")
	cmd.Env = append(os.Environ(), "BENCH_URL="+api, "BENCH_DIST="+*dist, "HELLO_WASM="+hello,
		fmt.Sprint("N=", n), fmt.Sprint("ROUNDS=", rounds), fmt.Sprint("CONC=", conc), fmt.Sprint("LOADS=", loads), fmt.Sprint("DIGEST_N=", dn),
		fmt.Sprint("WARM=", warmRounds()))
	cmd.Stderr = os.Stderr
	outb, err := cmd.Output()
	if err != nil {
		return res, fmt.Errorf("node benchmark: %w", err)
	}
	return res, json.Unmarshal(lastLine(outb), &res)
}

func lastLine(b []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return lines[len(lines)-1]
}

type browserResult struct {
	OK          bool               `json:"ok"`
	Error       string             `json:"error"`
	UserAgent   string             `json:"userAgent"`
	Sequential  map[string]variant `json:"sequential"`
	Concurrent  map[string]variant `json:"concurrent"`
	AWS4VsJS    map[string]variant `json:"aws4VsJS"`
	OAuth1VsJS  map[string]variant `json:"oauth1VsJS"`
	HTTPSigVsJS map[string]variant `json:"httpsigVsJS"`
	DPoPVsJS    map[string]variant `json:"dpopVsJS"`
}

// bundleSigners bundles the npm signing libraries a page would use
// (web/bench/page/signers.entry.mjs) into out with esbuild, as a page's
// build would: Node's Buffer from the buffer package, and node:crypto,
// which they require at load but the page does not use, stubbed.
func bundleSigners(out string) error {
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	cmd := exec.Command(abs("bin/npm/node_modules/.bin/esbuild"), abs("web/bench/page/signers.entry.mjs"),
		"--bundle", "--format=esm", "--platform=browser", "--log-level=warning", "--outfile="+out,
		"--inject:"+abs("web/bench/page/buffer-shim.mjs"),
		"--alias:crypto="+abs("web/bench/page/node-builtin-stub.mjs"),
		"--alias:constants="+abs("web/bench/page/node-builtin-stub.mjs"))
	cmd.Env = append(os.Environ(), "NODE_PATH="+abs("bin/npm/node_modules"))
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("bundling the npm signers for the page: %w\n%s", err, b)
	}
	return nil
}

func runChromium(url string) (browserResult, error) {
	var res browserResult
	// Chromium's own traffic stays on loopback.
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	ctx, cancelT := context.WithTimeout(ctx, 10*time.Minute)
	defer cancelT()
	var raw string
	err := chromedp.Run(ctx, chromedp.Navigate(url),
		chromedp.Poll(`window.__bench !== undefined`, nil, chromedp.WithPollingTimeout(10*time.Minute)),
		chromedp.Evaluate(`JSON.stringify(window.__bench)`, &raw))
	if err != nil {
		return res, fmt.Errorf("chromium benchmark: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		return res, err
	}
	if !res.OK {
		return res, fmt.Errorf("chromium benchmark: %s", res.Error)
	}
	return res, nil
}

func micro() ([]string, error) {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "./authlib", "./authlib/oauth2/redisstore"}
	if *smoke {
		args = append(args, "-benchtime", "100x")
	}
	outb, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test -bench: %w\n%s", err, outb)
	}
	var rows []string
	for _, l := range strings.Split(string(outb), "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			rows = append(rows, l)
		}
	}
	return rows, nil
}

func versions() map[string]string {
	v := map[string]string{"go": runtime.Version(), "cores": fmt.Sprint(runtime.NumCPU()), "os": runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := exec.Command("node", "--version").Output(); err == nil {
		v["node"] = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				v["cpu"] = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
				break
			}
		}
	}
	return v
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
