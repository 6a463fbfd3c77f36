package authlib_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// sleeps records the waits a Retry asked for, without waiting.
type sleeps []time.Duration

func (s *sleeps) sleep(_ context.Context, d time.Duration) error { *s = append(*s, d); return nil }

func retryClient(s *sleeps, r authlib.Retry) *authlib.Client {
	r.Sleep = s.sleep
	r.Rand = func() float64 { return 0.5 }
	return &authlib.Client{Transport: &nethttp.Transport{}, Retry: &r}
}

func TestRetryIdempotentUntilSuccess(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	var s sleeps
	c := retryClient(&s, authlib.Retry{Max: 3, Base: 100 * time.Millisecond})
	if code, _ := do(t, c, "GET", srv.URL+"/flaky/2/503/a", nil); code != 200 {
		t.Fatalf("status %d", code)
	}
	if n := exchanges(t, srv, "/flaky/2/503/a"); n != 3 {
		t.Fatalf("%d exchanges; want 3", n)
	}
	// Exponential with half jitter: 100ms → 75ms, 200ms → 150ms.
	if len(s) != 2 || s[0] != 75*time.Millisecond || s[1] != 150*time.Millisecond {
		t.Fatalf("waits %v", s)
	}
}

func TestRetryPolicy(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	var s sleeps
	c := retryClient(&s, authlib.Retry{Max: 3})
	// POST is not retried unless told.
	if code, _ := do(t, c, "POST", srv.URL+"/flaky/1/503/post", []byte("x")); code != 503 {
		t.Fatalf("POST: %d", code)
	}
	c.Retry.NonIdempotent = true
	if code, _ := do(t, c, "POST", srv.URL+"/flaky/1/503/post2", []byte("x")); code != 200 {
		t.Fatalf("POST with NonIdempotent: %d", code)
	}
	// Retry-After in seconds is honoured exactly.
	s = nil
	if code, _ := do(t, c, "GET", srv.URL+"/flaky/1/429/ra?retry_after=2", nil); code != 200 || len(s) != 1 || s[0] != 2*time.Second {
		t.Fatalf("Retry-After 2: %d %v", code, s)
	}
	// A Retry-After longer than MaxRetryAfter ends the retries with the response.
	s = nil
	c.Retry.MaxRetryAfter = time.Second
	if code, _ := do(t, c, "GET", srv.URL+"/flaky/1/503/long?retry_after=3600", nil); code != 503 || len(s) != 0 {
		t.Fatalf("long Retry-After: %d %v", code, s)
	}
	// An HTTP date, against an injected clock.
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	c.Retry.Now = func() time.Time { return now }
	c.Retry.MaxRetryAfter = time.Minute
	s = nil
	date := now.Add(30 * time.Second).Format("Mon, 02 Jan 2006 15:04:05 GMT")
	if code, _ := do(t, c, "GET", srv.URL+"/flaky/1/503/date?retry_after="+urlEscape(date), nil); code != 200 || len(s) != 1 || s[0] != 30*time.Second {
		t.Fatalf("HTTP-date Retry-After: %d %v", code, s)
	}
	// Statuses that are not transient are not retried.
	s = nil
	if code, _ := do(t, c, "GET", srv.URL+"/flaky/1/500/five", nil); code != 500 || len(s) != 0 {
		t.Fatalf("500: %d %v", code, s)
	}
}

func TestRetryNetworkErrorsExhausted(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	var s sleeps
	c := retryClient(&s, authlib.Retry{Max: 2})
	req, _ := authlib.NewRequest(context.Background(), "GET", "http://"+addr+"/", nil)
	_, err := c.Do(req)
	if !errors.Is(err, authlib.ErrRetriesExhausted) || !errors.Is(err, authlib.ErrNetwork) || len(s) != 2 {
		t.Fatalf("err %v after %d waits", err, len(s))
	}
	// Without Retry, the same failure is a plain network error.
	c.Retry = nil
	if _, err := c.Do(req); !errors.Is(err, authlib.ErrNetwork) || errors.Is(err, authlib.ErrRetriesExhausted) {
		t.Fatalf("no retry: %v", err)
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := &authlib.Client{Transport: &nethttp.Transport{}, Timeout: 50 * time.Millisecond}
	req, _ := authlib.NewRequest(context.Background(), "GET", srv.URL+"/delay/5", nil)
	_, err := c.Do(req)
	if !errors.Is(err, authlib.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("timeout: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	req, _ = authlib.NewRequest(ctx, "GET", srv.URL+"/delay/5", nil)
	c.Timeout = 0
	if _, err := c.Do(req); !errors.Is(err, authlib.ErrCanceled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: %v", err)
	}
	// A deadline shorter than the next wait stops the retries at once.
	c.Retry = &authlib.Retry{Max: 5, Base: time.Hour, Cap: 2 * time.Hour, Sleep: func(context.Context, time.Duration) error {
		t.Error("slept past the deadline")
		return nil
	}}
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ = authlib.NewRequest(ctx, "GET", srv.URL+"/status/503", nil)
	res, err := c.Do(req)
	if err != nil || res.StatusCode != 503 {
		t.Fatalf("%v %v", res, err)
	}
	res.Body.Close()
}

func urlEscape(s string) string { return (&url.URL{Path: s}).EscapedPath() }

func TestSleepEndsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := authlib.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled context: %v", err)
	}
	if err := authlib.Sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("a short sleep: %v", err)
	}
}

// A Retry-After of 2³² seconds or more asks for longer than any limit: the
// response is returned, not retried at once (it was read as no
// Retry-After, and retried after the backoff).
func TestRetryAfterTooLargeToCount(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := &authlib.Client{Transport: &nethttp.Transport{}, Retry: &authlib.Retry{Max: 3, Sleep: func(context.Context, time.Duration) error { return nil }}}
	for _, ra := range []string{"4294967296", "99999999999999999999999"} {
		code, _ := do(t, c, "GET", srv.URL+"/status/503?retry_after="+ra, nil)
		if code != 503 {
			t.Fatalf("status %d", code)
		}
		if n := exchanges(t, srv, "/status/503"); n != 1 {
			t.Errorf("Retry-After %s: %d requests; want 1", ra, n)
		}
		srv.Handler.ResetStats()
	}
}
