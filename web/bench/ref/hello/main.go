// Command hello is the size and load-time floor: the smallest Go program
// that prints, built for js/wasm with the same flags as authlib.wasm.
package main

import "fmt"

func main() { fmt.Println("hello, world") }
