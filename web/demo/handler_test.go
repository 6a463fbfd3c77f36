package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
)

// The precompressed twins go to browsers that accept them, as application/wasm.
func TestPrecompressedWasm(t *testing.T) {
	dir := t.TempDir()
	wasm := bytes.Repeat([]byte("\x00asm fake module "), 1000)
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var gz, br bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(wasm)
	zw.Close()
	bw := brotli.NewWriter(&br)
	bw.Write(wasm)
	bw.Close()
	write("authlib.wasm", wasm)
	write("authlib.wasm.gz", gz.Bytes())
	write("authlib.wasm.br", br.Bytes())
	srv := httptest.NewServer(newHandler(dir))
	defer srv.Close()

	for _, tc := range []struct{ accept, encoding string }{
		{"gzip, deflate, br", "br"}, {"gzip", "gzip"}, {"br;q=0, gzip", "gzip"}, {"", ""}, {"identity", ""},
	} {
		req, _ := http.NewRequest("GET", srv.URL+"/authlib.wasm", nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		res, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.Header.Get("Content-Encoding") != tc.encoding || res.Header.Get("Content-Type") != "application/wasm" {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, Content-Type %q", tc.accept, res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
			continue
		}
		var plain []byte
		switch tc.encoding {
		case "br":
			plain, _ = io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
		case "gzip":
			zr, _ := gzip.NewReader(bytes.NewReader(body))
			plain, _ = io.ReadAll(zr)
		default:
			plain = body
		}
		if !bytes.Equal(plain, wasm) {
			t.Errorf("Accept-Encoding %q: the body is not the module", tc.accept)
		}
	}
}
