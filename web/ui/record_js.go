//go:build js && wasm

package main

import (
	"io"
	"sync"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// exchange is one request and its response as they went over the wire.
type exchange struct {
	Method     string
	URL        string
	Header     authlib.Header
	Creds      map[string]bool
	ReqBody    []byte
	Status     int
	RespHdr    authlib.Header
	FollowedTo string // where the browser followed a redirect to by itself
	Body       []byte
	Duration   time.Duration
	Err        error
}

// recorder is a Transport that keeps every exchange its base makes,
// bodies included as they are read.
type recorder struct {
	base authlib.Transport
	mu   sync.Mutex
	log  []*exchange
}

func (r *recorder) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	x := &exchange{Method: req.Method, URL: req.URL.String(), Header: req.Header.Clone(), Creds: map[string]bool{}, ReqBody: req.Body}
	for _, c := range req.CredentialHeaders() {
		x.Creds[c] = true
	}
	r.mu.Lock()
	r.log = append(r.log, x)
	r.mu.Unlock()
	start := time.Now()
	res, err := r.base.RoundTrip(req)
	x.Duration = time.Since(start)
	if err != nil {
		x.Err = err
		return nil, err
	}
	x.Status = res.StatusCode
	x.RespHdr = res.Header.Clone()
	if res.Redirected && res.URL != nil {
		x.FollowedTo = res.URL.String()
	}
	res.Body = &teeBody{rc: res.Body, x: x, r: r}
	return res, nil
}

func (r *recorder) take() []*exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.log
	r.log = nil
	return l
}

// teeBody copies what is read (up to 256 KiB) into the exchange.
type teeBody struct {
	rc io.ReadCloser
	x  *exchange
	r  *recorder
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	if n > 0 {
		t.r.mu.Lock()
		if len(t.x.Body) < 256<<10 {
			t.x.Body = append(t.x.Body, p[:n]...)
		}
		t.r.mu.Unlock()
	}
	return n, err
}

func (t *teeBody) Close() error { return t.rc.Close() }
