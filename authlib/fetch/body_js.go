//go:build js && wasm

package fetch

import (
	"context"
	"io"

	"github.com/hack-pad/safejs"
)

// body reads a JS Response's body on first Read, as one ArrayBuffer.
type body struct {
	res    safejs.Value
	stop   func() bool
	buf    []byte
	loaded bool
	closed bool
	err    error
}

func (b *body) Read(p []byte) (int, error) {
	if b.closed {
		return 0, io.ErrClosedPipe
	}
	if !b.loaded {
		b.loaded = true
		b.buf, b.err = readAll(b.res)
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

func readAll(res safejs.Value) ([]byte, error) {
	p, err := res.Call("arrayBuffer")
	if err != nil {
		return nil, err
	}
	ab, err := Await(context.Background(), p)
	if err != nil {
		return nil, err
	}
	u8, err := js().uint8Array.New(ab)
	if err != nil {
		return nil, err
	}
	n, err := u8.Length()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	_, err = safejs.CopyBytesToGo(buf, u8)
	return buf, err
}

// Close cancels a body that was never read, so that the connection is
// freed (Node keeps it until the body is consumed or cancelled).
func (b *body) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	if !b.loaded {
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
