package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// ttyFile is the controlling terminal, as prompt uses it.
type ttyFile interface {
	io.ReadWriteCloser
	Fd() uintptr
}

// prompt asks for a secret at the controlling terminal (/dev/tty, not
// standard input, which may be the body), with echo off, as getpass does:
// what is typed shows nowhere and goes into no history.
func prompt(t *terminal, question string) (string, error) {
	open := t.tty
	if open == nil {
		open = func() (ttyFile, error) { return os.OpenFile("/dev/tty", os.O_RDWR, 0) }
	}
	tty, err := open()
	if err != nil {
		return "", usageError{"a password or token is needed and there is no terminal to ask at: give it with -u user:password, --token, or --password-stdin"}
	}
	defer tty.Close()
	io.WriteString(tty, question)
	b, err := term.ReadPassword(int(tty.Fd()))
	io.WriteString(tty, "\n")
	if err != nil {
		return "", usageError{"the password or token could not be read from the terminal"}
	}
	return string(b), nil
}

// isTerminal reports standard output on a terminal: JSON is then
// pretty-printed, and piped it is left as it came.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
