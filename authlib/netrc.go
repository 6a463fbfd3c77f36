package authlib

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
)

// Netrc sends Basic credentials from a .netrc file, as requests does when
// no auth= is given and curl does with --netrc: the entry of the
// request's host (its "machine"), or the "default" entry, supplies login
// and password. A host with neither gets no credentials.
//
// It is used only when asked for. The file is read at each request, so an
// edited file takes effect at once. Like every credential, what it adds
// goes only to the request's origin: a redirect to another host carries
// none (requests would look that host up too; authlib does not follow
// credentials across origins).
//
// A file that others may read or write (mode bits 077) is refused with an
// error, as ssh refuses such keys (curl warns). A missing file means no
// credentials, as for requests.
type Netrc struct {
	// Path is the file; empty means $NETRC, or else ~/.netrc (_netrc on
	// Windows).
	Path string

	// File, if set, is the parsed file and Path is not read (the JS API
	// reads the file in Node and hands its text over).
	File *NetrcFile
}

// NetrcFile is a parsed .netrc file.
type NetrcFile struct {
	machines []netrcEntry
	def      *netrcEntry
}

type netrcEntry struct {
	machine, login, password string
}

// Apply sets Basic credentials for req's host, if the file has them.
func (n Netrc) Apply(req *Request) error {
	f := n.File
	if f == nil {
		var err error
		if f, err = LoadNetrc(n.Path); err != nil {
			return err
		}
	}
	login, password, ok := f.Lookup(req.URL.Hostname())
	if !ok {
		return nil
	}
	v, err := Basic{Username: login, Password: password}.HeaderValue()
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Op, e.Detail = "netrc", "the entry for this host: "+e.Detail
		}
		return err
	}
	req.Header.Set("Authorization", v)
	return nil
}

// Format prints the path only.
func (n Netrc) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.Netrc", "Path", n.Path)
}

// Format prints nothing of the file.
func (f NetrcFile) Format(s fmt.State, verb rune) {
	redacted(s, "authlib.NetrcFile")
}

// CheckNetrcMode refuses a netrc file whose permission bits let others
// read or write it. On Windows, which has no such bits, it passes.
func CheckNetrcMode(perm uint32) error {
	if runtime.GOOS != "windows" && perm&0o077 != 0 {
		return &Error{Kind: ErrInvalidCredentials, Op: "netrc",
			Detail: fmt.Sprintf("the netrc file may be read by others (mode %04o): chmod 600 it", perm)}
	}
	return nil
}

// ParseNetrc parses the text of a .netrc file: "machine", "default",
// "login", "password" and "account" tokens, separated by any white space;
// a value in double quotes may hold spaces, with \" and \\ inside; a
// "macdef" (a macro) runs to the next empty line and is skipped, and so
// is a line that starts with #. Errors name the line, never a value.
func ParseNetrc(text string) (*NetrcFile, error) {
	f := &NetrcFile{}
	p := netrcLexer{s: text, line: 1}
	var cur *netrcEntry
	flush := func() {
		if cur == nil {
			return
		}
		if cur.machine == "" {
			if f.def == nil {
				f.def = cur
			}
		} else {
			f.machines = append(f.machines, *cur)
		}
		cur = nil
	}
	for {
		tok, ok, err := p.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		switch tok {
		case "machine", "default":
			flush()
			cur = &netrcEntry{}
			if tok == "machine" {
				name, ok, err := p.next()
				if err != nil {
					return nil, err
				}
				if !ok || name == "" {
					return nil, p.fail("machine has no name")
				}
				cur.machine = asciiLower(name)
			}
		case "login", "password", "account":
			v, ok, err := p.next()
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, p.fail(tok + " has no value")
			}
			if cur == nil {
				return nil, p.fail(tok + " comes before any machine or default")
			}
			switch tok {
			case "login":
				cur.login = v
			case "password":
				cur.password = v
			}
		case "macdef":
			flush()
			p.skipMacro()
		default:
			return nil, p.fail("a token netrc does not have (machine, default, login, password, account, macdef)")
		}
	}
	flush()
	return f, nil
}

// Lookup returns the login and password for host (ASCII letters in any
// case): its machine's entry, the first if several, or the default's.
func (f *NetrcFile) Lookup(host string) (login, password string, ok bool) {
	h := asciiLower(strings.TrimSuffix(host, "."))
	for _, e := range f.machines {
		if e.machine == h {
			return e.login, e.password, true
		}
	}
	if f.def != nil {
		return f.def.login, f.def.password, true
	}
	return "", "", false
}

// netrcLexer splits a netrc file into tokens.
type netrcLexer struct {
	s    string
	i    int
	line int
}

func (p *netrcLexer) fail(why string) error {
	return &Error{Kind: ErrInvalidCredentials, Op: "netrc", Detail: fmt.Sprintf("line %d: %s", p.line, why)}
}

// next returns the next token; ok is false at the end.
func (p *netrcLexer) next() (tok string, ok bool, err error) {
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '\n':
			p.line++
			p.i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			p.i++
		case c == '#' && (p.i == 0 || p.s[p.i-1] == '\n' || p.s[p.i-1] == ' ' || p.s[p.i-1] == '\t'):
			// A comment, to the end of the line.
			for p.i < len(p.s) && p.s[p.i] != '\n' {
				p.i++
			}
		case c == '"':
			p.i++
			var b strings.Builder
			for {
				if p.i >= len(p.s) || p.s[p.i] == '\n' {
					return "", false, p.fail("a quoted value has no closing quote")
				}
				c := p.s[p.i]
				p.i++
				if c == '"' {
					return b.String(), true, nil
				}
				if c == '\\' && p.i < len(p.s) && p.s[p.i] != '\n' {
					c = p.s[p.i]
					p.i++
				}
				b.WriteByte(c)
			}
		default:
			start := p.i
			for p.i < len(p.s) && !strings.ContainsRune(" \t\r\n\f\v", rune(p.s[p.i])) {
				p.i++
			}
			return p.s[start:p.i], true, nil
		}
	}
	return "", false, nil
}

// skipMacro skips a macdef: the rest of its line (the macro's name), then
// its lines up to an empty one.
func (p *netrcLexer) skipMacro() {
	for first := true; p.i < len(p.s); first = false {
		end := strings.IndexByte(p.s[p.i:], '\n')
		if end < 0 {
			p.i = len(p.s)
			return
		}
		line := p.s[p.i : p.i+end]
		p.i += end + 1
		p.line++
		if !first && strings.TrimRight(line, "\r") == "" {
			return
		}
	}
}
