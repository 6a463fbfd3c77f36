//go:build js && wasm

package fetch_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib/fetch"
)

func TestNewPromiseAndAwait(t *testing.T) {
	ctx := context.Background()
	p, err := fetch.NewPromise(func() (any, error) { return 42, nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := fetch.Await(ctx, p)
	if n, _ := v.Int(); err != nil || n != 42 {
		t.Fatalf("resolved %v, %v", v, err)
	}
	p, _ = fetch.NewPromise(func() (any, error) { return nil, errors.New("authlib: no") }, nil)
	_, err = fetch.Await(ctx, p)
	var rej fetch.Rejection
	if !errors.As(err, &rej) || !strings.Contains(err.Error(), "authlib: no") {
		t.Fatalf("rejected: %v", err)
	}
	// A panic rejects the promise; the program lives on.
	p, _ = fetch.NewPromise(func() (any, error) { panic("boom") }, nil)
	if _, err := fetch.Await(ctx, p); err == nil || !strings.Contains(err.Error(), "internal error") {
		t.Fatalf("panic: %v", err)
	}
	// Await gives up when its context ends; the promise settles later.
	slow, _ := fetch.NewPromise(func() (any, error) { time.Sleep(time.Second); return 1, nil }, nil)
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := fetch.Await(cctx, slow); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("deadline: %v", err)
	}
}
