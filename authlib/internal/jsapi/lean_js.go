//go:build js && wasm

package jsapi

import (
	"strings"
	"unsafe"

	"github.com/authlib-go/authlib/authlib/internal/wire"
	"github.com/hack-pad/safejs"
)

// The lean calls. A call into Go through syscall/js costs tens of
// microseconds in Node, and more when the CPU's caches have gone cold
// between two requests: the call is an event object, its arguments an
// array, and each of those and each string argument becomes a JS value Go
// holds, with a finalizer. The two calls a repeat request makes, prepare
// and a Digest answer, mostly carry nothing but a message; for those,
// authlib.mjs writes the message into a buffer in Go's memory (leanIO) and
// calls an export of the module (//go:wasmexport), which writes its answer
// back: a few microseconds, and no JS value made. wire.mjs's leanCalls is
// the JS side.
//
// An export runs outside the event loop Go's scheduler keeps with JS, so
// it must never wait for JS: a goroutine parked until a JS event would
// hand control back to JS in the middle of the export, and the program
// would be lost. What the exports run never waits: prepareOut and
// answerer decline anything that would (a token to fetch, a Digest
// challenge to wait for), take no lock another goroutine holds across a
// wait (none does), and call no JS.

// leanSize is the size of leanIO: a message that does not fit takes the
// syscall/js call instead.
const leanSize = 64 << 10

// leanIO is the buffer of the lean calls: the message JS wrote, then the
// answer Go writes. Go's heap does not move, and the variable keeps it.
var leanIO = make([]byte, leanSize)

// leanClients holds the settings of each client by the id its JS object
// carries, 0 being authlib.fetch's own (no client); close forgets one.
var (
	leanClients = map[int32]*settings{0: {}}
	leanNext    int32
)

// leanRegister keeps s for the lean calls and returns its id.
func leanRegister(s settings) int32 {
	leanNext++
	leanClients[leanNext] = &s
	return leanNext
}

// leanBuffer returns the address of leanIO in the module's memory.
//
//go:wasmexport authlib_io
func leanBuffer() uint32 { return uint32(uintptr(unsafe.Pointer(&leanIO[0]))) }

// leanBufferSize returns the length of leanIO.
//
//go:wasmexport authlib_io_size
func leanBufferSize() int32 { return leanSize }

// leanPrepare is prepare for a call whose message (n bytes in leanIO) is
// all that crosses: no body, no auth function, no onToken. It returns the
// length of the message it wrote to leanIO (the prepared fields, or the
// error's), or -1 when prepare must be called instead: Go declines to
// prepare the request, or the answer does not fit.
//
//go:wasmexport authlib_prepare
func leanPrepare(client, n int32) (written int32) {
	defer func() {
		if recover() != nil {
			written = -1 // prepare runs it again and reports what went wrong
		}
	}()
	m, s, ok := leanRead(client, n)
	if !ok {
		return -1
	}
	if err := s.apply(m, safejs.Undefined(), safejs.Undefined()); err != nil {
		return leanWrite(leanError(err))
	}
	out, err := prepareOut(&s, m, safejs.Undefined())
	switch {
	case err != nil:
		return leanWrite(leanError(err))
	case out == nil:
		return -1
	}
	return leanWrite(out)
}

// leanAnswer is a client's answer() for the message in leanIO (its url
// and method): it writes the message of the Authorization (a header
// field) or of the error, or returns -1 when Go must run the request.
//
//go:wasmexport authlib_answer
func leanAnswer(client, n int32) (written int32) {
	defer func() {
		if recover() != nil {
			written = -1
		}
	}()
	s := leanClients[client]
	if s == nil || s.answer == nil || n < 0 || n > leanSize {
		return -1
	}
	raw, method, ok := answerFields(string(leanIO[:n]))
	if !ok {
		return -1
	}
	h, err := s.answer(raw, method)
	switch {
	case err != nil:
		return leanWrite(leanError(err))
	case h == "":
		return -1
	}
	// Written straight into leanIO: the one field, no message built.
	if out := wire.AppendField(leanIO[:0], "header", "Authorization:", h); len(out) <= leanSize && &out[0] == &leanIO[0] {
		return int32(len(out))
	}
	return -1
}

// answerFields reads answer's message, "url=…\nmethod=…" as wire.mjs
// writes it, without building a wire.Message; one with an escape, or
// another shape, is decoded in full.
func answerFields(text string) (raw, method string, ok bool) {
	if strings.IndexByte(text, '\\') < 0 {
		u, rest, _ := strings.Cut(text, "\n")
		m, more, _ := strings.Cut(rest, "\n")
		if r, ok1 := strings.CutPrefix(u, "url="); ok1 && more == "" {
			if meth, ok2 := strings.CutPrefix(m, "method="); ok2 {
				return r, meth, true
			}
		}
	}
	msg, err := wire.Decode(text)
	if err != nil {
		return "", "", false
	}
	raw, _ = msg.Get("url")
	method, _ = msg.Get("method")
	return raw, method, true
}

// leanRead decodes the message of n bytes in leanIO, and returns it with
// a copy of the client's settings.
func leanRead(client, n int32) (*wire.Message, settings, bool) {
	base := leanClients[client]
	if base == nil || n < 0 || n > leanSize {
		return nil, settings{}, false
	}
	m, err := wire.Decode(string(leanIO[:n]))
	if err != nil {
		return nil, settings{}, false
	}
	return m, *base, true
}

// leanWrite writes m to leanIO and returns its length, or -1 when it does
// not fit.
func leanWrite(m *wire.Message) int32 {
	if m == nil {
		return -1
	}
	// Encoded straight into leanIO; a message that outgrows it lands in
	// a new array, and does not fit.
	out := m.AppendTo(leanIO[:0])
	if len(out) > leanSize || len(out) > 0 && &out[0] != &leanIO[0] {
		return -1
	}
	return int32(len(out))
}

// leanError is the message of err as an AuthError: its code and message.
// An OAuth failure, whose AuthError has more fields, is nil: prepare
// reports it.
func leanError(err error) *wire.Message {
	if _, _, ok := oauthCode(err); ok {
		return nil
	}
	m := &wire.Message{}
	m.Add("error", errorCode(err))
	m.Add("detail", message(err))
	return m
}
