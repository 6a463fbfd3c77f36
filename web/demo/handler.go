package main

import (
	"mime"
	"net/http"
	"strings"

	"github.com/authlib-go/authlib/authlib/authtest"
)

func init() {
	mime.AddExtensionType(".wasm", "application/wasm")
	mime.AddExtensionType(".mjs", "text/javascript; charset=utf-8")
}

// newHandler serves the static site in dir at / and the mock API at /api/.
func newHandler(dir string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", authtest.NewHandler()))
	files := http.FileServer(http.Dir(dir))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		// Everything is local: no fonts, scripts or styles from elsewhere.
		// Go's wasm needs wasm-unsafe-eval; connect-src is open so that the
		// page can be pointed at any URL.
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src *; style-src 'self'; img-src 'self' data:")
		if strings.HasSuffix(r.URL.Path, "/") || r.URL.Path == "" {
			h.Set("Content-Type", "text/html; charset=utf-8")
		}
		files.ServeHTTP(w, r)
	}))
	return mux
}
