//go:build js && wasm

package main

import (
	"context"
	"strconv"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/wasm/wire"
	"github.com/hack-pad/safejs"
)

// aws4Presign(msg, credentials, resolve, reject): msg holds url, method,
// expires (seconds) and the aws4 auth fields; credentials is the wrapped
// credentials function or undefined. Resolves to the presigned URL.
func jsAWSPresign(_ safejs.Value, args []safejs.Value) any {
	msg, fn := arg(args, 0), arg(args, 1)
	settle(arg(args, 2), arg(args, 3), func() (any, error) {
		m, err := decode(msg)
		if err != nil {
			return nil, err
		}
		var s settings
		if err := s.apply(m, fn, safejs.Undefined()); err != nil {
			return nil, err
		}
		a, ok := s.auth.(*authlib.AWSV4)
		if !ok {
			return nil, usage("invalid_credentials", "aws4.presign needs the aws4 credentials")
		}
		raw, _ := m.Get("url")
		method, _ := m.Get("method")
		v, _ := m.Get("expires")
		secs, err := strconv.ParseInt(v, 10, 64)
		if v == wire.Bad || err != nil || secs < 1 || secs > 7*24*3600 {
			return nil, usage("invalid_request", "expires is a whole number of seconds, from 1 to 604800 (7 days)")
		}
		if method == wire.Bad || raw == wire.Bad {
			return nil, usage("invalid_request", "url and method must be strings")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return a.Presign(ctx, method, raw, time.Duration(secs)*time.Second)
	})
	return nil
}
