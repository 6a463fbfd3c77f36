//go:build js && wasm

package authlib

// In wasm the JS API reads the netrc file (in Node) and hands over its
// text: Netrc needs File here.

// NetrcPath is not available in wasm.
func NetrcPath() (string, error) { return "", netrcInWasm() }

// LoadNetrc is not available in wasm: parse the text with [ParseNetrc].
func LoadNetrc(string) (*NetrcFile, error) { return nil, netrcInWasm() }

func netrcInWasm() error {
	return &Error{Kind: ErrUnsupported, Op: "netrc", Detail: "a wasm program reads no files: give Netrc.File (ParseNetrc of the file's text)"}
}
