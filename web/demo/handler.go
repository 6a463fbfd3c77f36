package main

import (
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/authlib-go/authlib/authlib/authtest"
)

func init() {
	mime.AddExtensionType(".wasm", "application/wasm")
	mime.AddExtensionType(".mjs", "text/javascript; charset=utf-8")
}

// newHandler serves the static site in dir at / and the mock API at /api/.
// A file with a precompressed twin (NAME.br, NAME.gz) is sent compressed to
// a browser that accepts it, with its own content type.
func newHandler(dir string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", authtest.NewHandler()))
	files := precompressed(dir, http.FileServer(http.Dir(dir)))
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

// precompressed serves NAME.br or NAME.gz in place of NAME when the client
// accepts that encoding and the file exists.
func precompressed(dir string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean("/" + r.URL.Path)
		accept := r.Header.Get("Accept-Encoding")
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if !acceptsEncoding(accept, enc.token) {
				continue
			}
			f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)+enc.ext))
			if err != nil {
				continue
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil || st.IsDir() {
				continue
			}
			h := w.Header()
			if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
				h.Set("Content-Type", ct)
			}
			h.Set("Content-Encoding", enc.token)
			h.Add("Vary", "Accept-Encoding")
			http.ServeContent(w, r, name, st.ModTime(), f)
			return
		}
		w.Header().Add("Vary", "Accept-Encoding")
		next.ServeHTTP(w, r)
	})
}

// acceptsEncoding reports whether an Accept-Encoding value allows token
// (listed, and not with q=0).
func acceptsEncoding(accept, token string) bool {
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), token) {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
