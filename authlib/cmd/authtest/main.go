// Command authtest serves the authtest mock API on loopback:
//
//	go run ./authlib/cmd/authtest -addr 127.0.0.1:8080
//
// It prints the URL it serves on; with -urlfile it also writes it to a file
// (for scripts that start it on port 0), and -pidfile records its PID.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"

	"github.com/authlib-go/authlib/authlib/authtest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks one)")
	urlFile := flag.String("urlfile", "", "write the served URL to this file")
	pidFile := flag.String("pidfile", "", "write the process ID to this file")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("authtest: %v", err)
	}
	url := "http://" + ln.Addr().String()
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(url+"\n"), 0o644); err != nil {
			log.Fatalf("authtest: %v", err)
		}
	}
	if *pidFile != "" {
		if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			log.Fatalf("authtest: %v", err)
		}
	}
	fmt.Printf("authtest: serving the mock auth API on %s\n", url)
	log.Fatal(http.Serve(ln, authtest.NewHandler()))
}
