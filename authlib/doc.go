// Package authlib sends authenticated HTTP requests: Basic, Digest, Bearer,
// header tokens, proxy Basic, AWS Signature Version 4 ([AWSV4]), .netrc
// files ([Netrc]) and schemes of your own, the way Python's requests does with auth=, but checked to the
// RFCs and careful with secrets.
//
// The package is pure Go. It has no dependency on net/http or syscall/js, so
// the same code runs natively and in Go programs compiled to WebAssembly; a
// [Transport] carries the bytes (package nethttp for native programs, the
// fetch transport under js/wasm).
//
// A [Client] applies an [Auth] to each request, answers 401 and 407
// challenges through a [Challenger], follows redirects without leaking
// credentials to other origins, and retries idempotent requests. Errors are
// [*Error] values that match the Err* sentinels with [errors.Is]; none of them
// ever contains a password or token.
package authlib
