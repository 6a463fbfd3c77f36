//go:build js && wasm

package main

import (
	"syscall/js"

	"honnef.co/go/js/dom/v2"
)

// copyCode puts the text of the element id on the clipboard, and says
// whether it could. Where the browser refuses the clipboard, the text is
// selected for the user to copy.
func copyCode(id string) {
	status := byID[dom.HTMLElement]("copied")
	code := byID[dom.HTMLElement](id)
	text := code.TextContent()
	clip := js.Global().Get("navigator").Get("clipboard")
	if clip.IsUndefined() {
		selectText(code)
		status.SetTextContent("The browser has no clipboard for this page: the code is selected; copy it with Ctrl+C.")
		return
	}
	var done, failed js.Func
	release := func() { done.Release(); failed.Release() }
	done = js.FuncOf(func(js.Value, []js.Value) any {
		status.SetTextContent("Copied.")
		release()
		return nil
	})
	failed = js.FuncOf(func(js.Value, []js.Value) any {
		selectText(code)
		status.SetTextContent("The browser refused the clipboard: the code is selected; copy it with Ctrl+C.")
		release()
		return nil
	})
	clip.Call("writeText", text).Call("then", done, failed)
}

func selectText(e dom.Element) {
	sel := js.Global().Call("getSelection")
	sel.Call("selectAllChildren", e.Underlying())
}
