// Command demo serves the demo page (web/dist) and the mock auth API
// (authtest, at /api/) from one server on loopback:
//
//	go run ./web/demo -addr 127.0.0.1:8080 -dir web/dist
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := flag.String("dir", "web/dist", "the built site (make build writes it)")
	flag.Parse()
	if _, err := os.Stat(filepath.Join(*dir, "demo.wasm")); err != nil {
		fmt.Fprintf(os.Stderr, "demo: %s has no demo.wasm: run make demo (or make build) first\n", *dir)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		var oe *net.OpError
		if errors.As(err, &oe) {
			log.Fatalf("demo: cannot listen on %s (%v); choose another port with ADDR=127.0.0.1:PORT make demo", *addr, oe.Err)
		}
		log.Fatalf("demo: %v", err)
	}
	fmt.Printf("authlib demo: open http://%s/ (the mock API is at /api/; Ctrl-C stops)\n", ln.Addr())
	log.Fatal(http.Serve(ln, newHandler(*dir)))
}
