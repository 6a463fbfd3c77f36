//go:build demo

package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The npm package as a user meets it: packed, installed into an app, built
// for the browser by esbuild, Vite and webpack with no special flags, and
// run in Chromium against the mock API; and loaded in a module Worker.

// The app: load(), then a Basic request to the mock API beside the page.
const appMain = `import { load } from 'authlib-wasm';
(async () => {
  const out = document.getElementById('out');
  try {
    const authlib = await load();
    const res = await authlib.fetch(new URL('api/basic-auth/user/pass', location.href).href, { auth: ['user', 'pass'] });
    out.textContent = 'status ' + res.status;
  } catch (e) {
    out.textContent = 'error ' + e;
  }
})();
`

func appPage(script string) string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body><p id="out"></p>` + script + `</body></html>`
}

func sh(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func write(t *testing.T, file, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyTo(t *testing.T, dst string, files ...string) {
	t.Helper()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dst, filepath.Base(f)), string(b))
	}
}

// expectPage opens dir's index.html beside the mock API and waits for #out.
func expectPage(t *testing.T, name, dir, want string) {
	t.Helper()
	srv := httptest.NewServer(newHandler(dir))
	defer srv.Close()
	b := launch(t)
	var got string
	err := chromedp.Run(b.ctx, chromedp.Navigate(srv.URL+"/"),
		chromedp.Poll(`document.getElementById('out').textContent !== ''`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		chromedp.Text("#out", &got, chromedp.ByQuery))
	if err != nil || got != want {
		t.Errorf("%s: the page says %q (%v); want %q", name, got, err, want)
	}
}

func TestBundlers(t *testing.T) {
	dist, err := filepath.Abs(distDir(t))
	if err != nil {
		t.Fatal(err)
	}
	tools, err := filepath.Abs("../../bin/npm/node_modules")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(tools, "vite")); err != nil {
		t.Fatal("the bundlers are not installed in bin/npm: run make test, which installs them")
	}
	dir := t.TempDir()
	sh(t, dir, "npm", "pack", dist, "--pack-destination", dir, "--silent")
	tgz, _ := filepath.Glob(filepath.Join(dir, "authlib-wasm-*.tgz"))
	if len(tgz) != 1 {
		t.Fatalf("npm pack made %v", tgz)
	}
	app := filepath.Join(dir, "app")
	write(t, filepath.Join(app, "package.json"), `{"name": "app", "private": true, "type": "module"}`)
	write(t, filepath.Join(app, "main.js"), appMain)
	sh(t, app, "npm", "install", "--offline", "--no-audit", "--no-fund", "--silent", tgz[0])
	pkg := filepath.Join(app, "node_modules", "authlib-wasm")

	// esbuild leaves new URL('./authlib.wasm', import.meta.url) to the
	// page: the two files go beside the bundle, as the README says.
	out := filepath.Join(dir, "esbuild")
	sh(t, app, filepath.Join(tools, ".bin", "esbuild"), "main.js", "--bundle", "--format=esm",
		"--platform=browser", "--outfile="+filepath.Join(out, "main.js"))
	copyTo(t, out, filepath.Join(pkg, "authlib.wasm"), filepath.Join(pkg, "wasm_exec.js"))
	write(t, filepath.Join(out, "index.html"), appPage(`<script type="module" src="main.js"></script>`))
	expectPage(t, "esbuild", out, "status 200")

	// Vite finds the assets itself; base './' serves from any path.
	write(t, filepath.Join(app, "index.html"), appPage(`<script type="module" src="./main.js"></script>`))
	out = filepath.Join(dir, "vite")
	sh(t, app, "node", filepath.Join(tools, "vite", "bin", "vite.js"), "build", "--base", "./", "--outDir", out, "--logLevel", "warn")
	expectPage(t, "vite", out, "status 200")

	// webpack too.
	out = filepath.Join(dir, "webpack")
	sh(t, app, "node", filepath.Join(tools, "webpack-cli", "bin", "cli.js"), "--mode", "production", "--entry", "./main.js",
		"--output-path", out, "--output-filename", "main.js")
	write(t, filepath.Join(out, "index.html"), appPage(`<script src="main.js"></script>`))
	expectPage(t, "webpack", out, "status 200")
}

// load() in a module Worker: no window, no document.
func TestWorker(t *testing.T) {
	dist, err := filepath.Abs(distDir(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	modules, _ := filepath.Glob(filepath.Join(dist, "*.mjs"))
	copyTo(t, dir, append(modules, filepath.Join(dist, "authlib.wasm"), filepath.Join(dist, "wasm_exec.js"))...)
	write(t, filepath.Join(dir, "worker.mjs"), `import { load } from './authlib.mjs';
const authlib = await load();
const res = await authlib.fetch(new URL('api/basic-auth/user/pass', location.href).href, { auth: ['user', 'pass'] });
postMessage('status ' + res.status + (typeof document === 'undefined' ? ' in a worker' : ''));
`)
	write(t, filepath.Join(dir, "main.js"), `const w = new Worker('worker.mjs', { type: 'module' });
w.onmessage = (e) => { document.getElementById('out').textContent = e.data; };
w.onerror = (e) => { document.getElementById('out').textContent = 'error ' + e.message; };
`)
	write(t, filepath.Join(dir, "index.html"), appPage(`<script src="main.js"></script>`))
	expectPage(t, "worker", dir, "status 200 in a worker")
}
