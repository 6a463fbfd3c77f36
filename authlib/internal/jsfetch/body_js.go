//go:build js && wasm

package jsfetch

import (
	"context"
	"io"

	"github.com/hack-pad/safejs"
)

// body reads a JS Response's body as it arrives, a chunk at a time from
// its stream's reader, so that a reader that stops early (oauth2 caps a
// token response at 1 MiB) has the rest cancelled rather than copied into
// JS and then Go whole.
type body struct {
	res    safejs.Value
	stop   func() bool
	reader safejs.Value // res.body.getReader(), made on the first Read
	buf    []byte
	loaded bool // the reader is made (or there is no body)
	done   bool
	closed bool
	err    error
}

func (b *body) Read(p []byte) (int, error) {
	if b.closed {
		return 0, io.ErrClosedPipe
	}
	for len(b.buf) == 0 && !b.done && b.err == nil {
		b.buf, b.done, b.err = b.next()
	}
	if len(b.buf) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		return 0, io.EOF
	}
	n := copy(p, b.buf)
	b.buf = b.buf[n:]
	return n, nil
}

// next reads the next chunk of the stream.
func (b *body) next() (chunk []byte, done bool, err error) {
	if !b.loaded {
		b.loaded = true
		s, err := b.res.Get("body")
		if err != nil {
			return nil, false, err
		}
		if s.Type() != safejs.TypeObject { // no body (a 204, a HEAD)
			return nil, true, nil
		}
		if b.reader, err = s.Call("getReader"); err != nil {
			return nil, false, err
		}
	}
	p, err := b.reader.Call("read")
	if err != nil {
		return nil, false, err
	}
	r, err := Await(context.Background(), p)
	if err != nil {
		return nil, false, err
	}
	if d, err := r.Get("done"); err == nil {
		if done, _ = d.Bool(); done {
			return nil, true, nil
		}
	}
	u8, err := r.Get("value")
	if err != nil {
		return nil, false, err
	}
	n, err := u8.Length()
	if err != nil {
		return nil, false, err
	}
	chunk = make([]byte, n)
	_, err = safejs.CopyBytesToGo(chunk, u8)
	return chunk, false, err
}

// Close cancels a body that was never read, so that the connection is
// freed (Node keeps it until the body is consumed or cancelled).
func (b *body) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	if b.reader.Type() == safejs.TypeObject && !b.done {
		// Stopped early: the rest is not wanted.
		if p, err := b.reader.Call("cancel"); err == nil {
			ignoreRejection(p)
		}
	} else if !b.loaded {
		if s, err := b.res.Get("body"); err == nil && s.Type() == safejs.TypeObject {
			if locked, err := s.Get("locked"); err == nil {
				if l, _ := locked.Bool(); !l {
					if p, err := s.Call("cancel"); err == nil {
						ignoreRejection(p)
					}
				}
			}
		}
	}
	b.stop()
	return nil
}

// ignoreRejection attaches a handler so that a rejected promise we do not
// care about is not reported as unhandled.
func ignoreRejection(p safejs.Value) {
	var f safejs.Func
	f, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		f.Release()
		return nil
	})
	if err == nil {
		p.Call("then", f, f)
	}
}
