//go:build js && wasm

// Command nethttp is the reference for the way Go programs fetch today:
// net/http's client with SetBasicAuth. It exports nethttpGet(url, user,
// password) → Promise<status>, reading the whole body, for the Chromium
// benchmark, and its size is compared with authlib.wasm's.
package main

import (
	"io"
	"net/http"
	"syscall/js"
)

func main() {
	js.Global().Set("nethttpGet", js.FuncOf(func(_ js.Value, args []js.Value) any {
		url, user, pass := args[0].String(), args[1].String(), args[2].String()
		return js.Global().Get("Promise").New(js.FuncOf(func(_ js.Value, pr []js.Value) any {
			resolve, reject := pr[0], pr[1]
			go func() {
				req, err := http.NewRequest("GET", url, nil)
				if err != nil {
					reject.Invoke(err.Error())
					return
				}
				req.SetBasicAuth(user, pass)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					reject.Invoke(err.Error())
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				resolve.Invoke(res.StatusCode)
			}()
			return nil
		}))
	}))
	if ready := js.Global().Get("__nethttpReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}
