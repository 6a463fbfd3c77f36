package oauth2

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A small JSON reader for what OAuth reads: token responses, error
// responses, device authorization responses, server metadata and saved
// tokens. All are objects whose members OAuth uses are strings and numbers,
// so it returns an object's members with a string's value decoded and any
// other value as its JSON text. It checks all of RFC 8259, nested values
// too. It is written out because encoding/json would add about 170 KB
// gzipped to a js/wasm binary, and OAuth has a budget of 30 KB. Tokens are
// written with strconv.Quote, which is JSON for the printable ASCII that
// tokens are made of (RFC 6749 Appendix A).

// maxJSONDepth bounds nesting, so that hostile input cannot exhaust the stack.
const maxJSONDepth = 32

var errJSON = errors.New("not valid JSON")

// field is one member of a JSON object: a string's value (str), or the
// JSON text of any other value: a number as written, true, false, null, or
// an object or array. Numbers stay text so that the binary needs no float
// parser: the numbers OAuth reads are whole seconds.
type field struct {
	text string
	str  bool
}

// fields are the members of a JSON object; a repeated name keeps its last
// value, as encoding/json does.
type fields map[string]field

// str returns the member k if it is a string.
func (m fields) str(k string) string {
	if f := m[k]; f.str {
		return f.text
	}
	return ""
}

// get returns the member k unless it is absent or null.
func (m fields) get(k string) (field, bool) {
	f, ok := m[k]
	return f, ok && (f.str || f.text != "null")
}

// parseObject reads one JSON object, with nothing but white space around it.
func parseObject(s string) (fields, error) {
	p := &jsonParser{s: s}
	m := fields{}
	if !p.next('{') {
		return nil, errJSON
	}
	if err := p.members('}', 0, m); err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, errJSON
	}
	return m, nil
}

type jsonParser struct {
	s string
	i int
}

func (p *jsonParser) ws() {
	for p.i < len(p.s) && strings.IndexByte(" \t\n\r", p.s[p.i]) >= 0 {
		p.i++
	}
}

// next skips white space and then c, if c is there.
func (p *jsonParser) next(c byte) bool {
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// members reads what follows the { or [ of an object or array, up to its
// end, which is end; an object's members go into m when m is not nil.
func (p *jsonParser) members(end byte, depth int, m fields) error {
	if depth > maxJSONDepth {
		return errJSON
	}
	if p.next(end) {
		return nil
	}
	for {
		var name string
		if end == '}' {
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != '"' {
				return errJSON
			}
			var err error
			if name, err = p.str(); err != nil || !p.next(':') {
				return errJSON
			}
		}
		v, err := p.value(depth)
		if err != nil {
			return err
		}
		if m != nil {
			m[name] = v
		}
		if p.next(end) {
			return nil
		}
		if !p.next(',') {
			return errJSON
		}
	}
}

// value reads one value.
func (p *jsonParser) value(depth int) (field, error) {
	p.ws()
	if p.i >= len(p.s) {
		return field{}, errJSON
	}
	start, c := p.i, p.s[p.i]
	var err error
	switch c {
	case '"':
		s, err := p.str()
		return field{s, true}, err
	case '{', '[':
		p.i++
		err = p.members(c+2, depth+1, nil) // '{'+2 is '}', '['+2 is ']'
	case 't', 'f', 'n':
		err = errJSON
		for _, w := range []string{"true", "false", "null"} {
			if strings.HasPrefix(p.s[p.i:], w) {
				p.i, err = p.i+len(w), nil
				break
			}
		}
	default:
		err = p.number()
	}
	return field{text: p.s[start:p.i]}, err
}

// number reads -?int frac? exp?.
func (p *jsonParser) number() error {
	if p.s[p.i] == '-' {
		p.i++
	}
	digits := func() bool {
		n := p.i
		for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
			p.i++
		}
		return p.i > n
	}
	start := p.i
	if !digits() || p.s[start] == '0' && p.i-start > 1 {
		return errJSON
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if !digits() {
			return errJSON
		}
	}
	if p.i < len(p.s) && (p.s[p.i]|0x20) == 'e' {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if !digits() {
			return errJSON
		}
	}
	return nil
}

// str reads a string. Invalid UTF-8 and lone surrogates become U+FFFD,
// as encoding/json has them.
func (p *jsonParser) str() (string, error) {
	p.i++ // "
	var b []byte
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '"':
			return string(b), nil
		case c < 0x20:
			return "", errJSON
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(p.s[p.i-1:])
			b = utf8.AppendRune(b, r)
			p.i += n - 1
		case c != '\\':
			b = append(b, c)
		case p.i < len(p.s) && p.s[p.i] == 'u':
			r, ok := p.hex4(p.i + 1)
			if !ok {
				return "", errJSON
			}
			p.i += 5
			// A high surrogate and a low one are one character.
			if lo, ok := p.hex4(p.i + 2); 0xd800 <= r && r < 0xdc00 && ok && 0xdc00 <= lo && lo < 0xe000 && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
				r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
				p.i += 6
			}
			b = utf8.AppendRune(b, r)
		default:
			k := -1
			if p.i < len(p.s) {
				k = strings.IndexByte(`"\/bfnrt`, p.s[p.i])
			}
			if k < 0 {
				return "", errJSON
			}
			b = append(b, "\"\\/\b\f\n\r\t"[k])
			p.i++
		}
	}
	return "", errJSON
}

// hex4 reads the four hex digits at i.
func (p *jsonParser) hex4(i int) (rune, bool) {
	if i+4 > len(p.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[i:i+4], 16, 32)
	return rune(n), err == nil
}

// quote writes s as a JSON string (RFC 8259 §7): '"', '\\' and the
// control characters escaped, the rest as it is. s is valid UTF-8.
func quote(s string) string {
	const hex = "0123456789abcdef"
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '"'))
}
