//go:build !js || !wasm

package authlib

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// The netrc file is read natively only: in wasm the JS API reads it (in
// Node) and hands over its text as a NetrcFile, so that the binary links
// no file system.

// NetrcPath returns the file requests and curl read: $NETRC, or ~/.netrc
// (_netrc on Windows).
func NetrcPath() (string, error) {
	if p := os.Getenv("NETRC"); p != "" {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", &Error{Kind: ErrUnsupported, Op: "netrc", Detail: "there is no home directory to find .netrc in (set NETRC)"}
	}
	name := ".netrc"
	if runtime.GOOS == "windows" {
		name = "_netrc"
	}
	return filepath.Join(home, name), nil
}

// LoadNetrc reads and parses the file at path (empty: [NetrcPath]). A
// missing file is an empty one; a file others may read or write is
// refused.
func LoadNetrc(path string) (*NetrcFile, error) {
	if path == "" {
		var err error
		if path, err = NetrcPath(); err != nil {
			return nil, err
		}
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &NetrcFile{}, nil
	case err != nil:
		return nil, &Error{Kind: ErrInvalidCredentials, Op: "netrc", Detail: "the netrc file cannot be read", Err: err}
	}
	if err := CheckNetrcMode(uint32(fi.Mode().Perm())); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Kind: ErrInvalidCredentials, Op: "netrc", Detail: "the netrc file cannot be read", Err: err}
	}
	return ParseNetrc(string(b))
}
