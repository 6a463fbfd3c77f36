// Package wire is the codec of the boundary between authlib.mjs and
// authlib.wasm: every message that crosses it is encoded and decoded here
// on the Go side, and by wasm/wire.mjs on the JS side; nothing else builds
// or parses a crossing string. It is pure Go, tested natively.
//
// A message is named fields in one string: a line a field, "name=value",
// the value escaped (a backslash as \\, a line break as \n, a carriage
// return as \r), so that any string crosses whole. A field may repeat (a
// list: header, origin). The order of fields does not matter, but for
// repeats, which keep theirs.
//
// A field JS was given in the wrong type (a number for a string, an
// object for a boolean, a BigInt anywhere) crosses as [Bad]; Go refuses it
// naming the option, so that the words of every refusal are Go's.
//
// The fields, their types and what they mean are [Fields]; wire.mjs has
// the same table, and a test fails when the two disagree.
package wire

import (
	"errors"
	"strings"
)

// Bad is the value of a field JS could not give in the field's type.
const Bad = "\x00"

// ErrMalformed is a message that cannot be decoded.
var ErrMalformed = errors.New("wire: malformed message")

// A Message is the fields of one crossing, in order.
type Message struct {
	names, values []string
}

// Add appends the field name with value.
//
//go:noinline
func (m *Message) Add(name, value string) {
	m.names = append(m.names, name)
	m.values = append(m.values, value)
}

// Get returns the first value of name, and whether it is there. (Kept out
// of line: inlined at each of its many calls it made authlib.wasm larger.)
//
//go:noinline
func (m *Message) Get(name string) (string, bool) {
	for i, n := range m.names {
		if n == name {
			return m.values[i], true
		}
	}
	return "", false
}

// All returns every value of name, in order.
func (m *Message) All(name string) []string {
	var out []string
	for i, n := range m.names {
		if n == name {
			out = append(out, m.values[i])
		}
	}
	return out
}

// Len is the number of fields.
func (m *Message) Len() int { return len(m.names) }

// Field returns the i-th field.
func (m *Message) Field(i int) (name, value string) { return m.names[i], m.values[i] }

// Encode returns the message as its one string.
func (m *Message) Encode() string {
	n := 0
	for i, name := range m.names {
		n += len(name) + len(m.values[i]) + 2
	}
	return string(m.AppendTo(make([]byte, 0, n)))
}

// AppendTo appends the message's string to dst.
func (m *Message) AppendTo(dst []byte) []byte {
	for i, n := range m.names {
		if i > 0 {
			dst = append(dst, '\n')
		}
		dst = AppendField(dst, n, m.values[i])
	}
	return dst
}

// AppendField appends one field, name=value, value the parts joined, to
// dst (a message of one field; a line break before it makes it the next
// field of a message).
func AppendField(dst []byte, name string, parts ...string) []byte {
	dst = append(dst, name...)
	dst = append(dst, '=')
	for _, v := range parts {
		for j := 0; j < len(v); j++ {
			switch c := v[j]; c {
			case '\\':
				dst = append(dst, '\\', '\\')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			default:
				dst = append(dst, c)
			}
		}
	}
	return dst
}

// Decode reads a message. It never panics; a line without "=", a name
// that is not one of [Fields], or an escape it does not know is
// [ErrMalformed].
func Decode(s string) (*Message, error) {
	m := &Message{}
	if s == "" {
		return m, nil
	}
	n := strings.Count(s, "\n") + 1
	m.names, m.values = make([]string, 0, n), make([]string, 0, n)
	for more := true; more; {
		var line string
		line, s, more = strings.Cut(s, "\n")
		name, value, ok := strings.Cut(line, "=")
		if !ok || !Known(name) {
			return nil, ErrMalformed
		}
		if strings.IndexByte(value, '\\') >= 0 {
			if value, ok = unescape(value); !ok {
				return nil, ErrMalformed
			}
		}
		m.Add(name, value)
	}
	return m, nil
}

func unescape(v string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i++; i == len(v) {
			return "", false
		}
		switch v[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", false
		}
	}
	return b.String(), true
}
