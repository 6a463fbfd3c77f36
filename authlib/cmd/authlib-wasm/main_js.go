//go:build js && wasm

// Command authlib-wasm is authlib.wasm, the Go half of the npm package in
// wasm/: authlib.mjs loads it, and it serves the JS API, whose Go is
// authlib/internal/jsapi. make build builds it with GOOS=js GOARCH=wasm.
//
// It lives here rather than in wasm/ because Go lets only the tree rooted
// at authlib/ import authlib/internal.
package main

import "github.com/authlib-go/authlib/authlib/internal/jsapi"

func main() { jsapi.Serve() }
