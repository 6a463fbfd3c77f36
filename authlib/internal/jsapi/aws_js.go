//go:build js && wasm && !authlib_lite

package jsapi

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/internal/wire"
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
		// No Go timer: one would keep Node alive until it fired, stopped or
		// not. (Presign sends nothing; a credentials function is the
		// caller's to bound.)
		return a.Presign(context.Background(), method, raw, time.Duration(secs)*time.Second)
	})
	return nil
}

// aws4Signed(msg, sent, body) → the message of what an AWS SigV4 request
// that authlib prepared for JS to send signed (aws4.canonicalRequest,
// aws4.stringToSign), or an AuthError: msg is the call's message, sent the
// header fields JS sent (a wire message of sent fields, X-Amz-Date among
// them), body its body or undefined. aws4.check calls it for a 403, to
// show what was signed beside what the server computed.
//
//go:noinline (a closure maker: inlined, its closure is compiled once per caller)
func jsAWSSigned(s settings) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) any {
		s := s
		m, err := decode(arg(args, 0))
		if err == nil {
			// A credentials function is not called (see awsSigned): any
			// function stands in for it.
			err = s.apply(m, global("Object"), safejs.Undefined())
		}
		var req *authlib.Request
		if err == nil {
			req, err = buildRequest(context.Background(), &s, m, arg(args, 2))
		}
		a, ok := s.auth.(*authlib.AWSV4)
		if err == nil && !ok {
			err = usage("invalid_request", "aws4.check explains a response to an aws4 request")
		}
		if err != nil {
			return toAuthError(err)
		}
		req.Header = authlib.Header{}
		if sent, err := decode(arg(args, 1)); err == nil {
			for _, f := range sent.All("sent") {
				name, value, _ := strings.Cut(f, ":")
				req.Header.Add(name, value)
			}
		}
		out, err := awsSigned(a, req)
		if err != nil {
			return toAuthError(err)
		}
		return out.Encode()
	}
}

// awsSigned is the message of what the AWS SigV4 request req (as sent,
// X-Amz-Date and all) signed: its canonical request and string to sign,
// the session token masked. Neither holds a key, so a credentials function
// is not called: the request is signed again with stand-in keys and the
// session token it carried.
func awsSigned(a *authlib.AWSV4, req *authlib.Request) (*wire.Message, error) {
	again := *a
	if again.Credentials != nil {
		again.Credentials = nil
		again.AccessKeyID, again.SecretAccessKey = "AKIDSTANDIN", "stand-in"
		again.SessionToken = req.Header.Get("X-Amz-Security-Token")
	}
	sig, err := again.Signed(req)
	if err != nil {
		return nil, err
	}
	out := &wire.Message{}
	out.Add("aws4.canonicalRequest", sig.CanonicalRequest)
	out.Add("aws4.stringToSign", sig.StringToSign)
	return out, nil
}

// signedHook is authlib.mjs's record of what a signed request signed,
// for aws4.check: Go calls it for a 403 to an AWS SigV4 request it ran
// itself (a credentials function), with the Response, awsSigned's message
// and the session token the request carried, with which JS masks the
// server's message (the token came from JS, the credentials function; it
// goes in no message and no error).
var signedHook safejs.Value

// recordSigned hands signedHook what the request of res, a 403 to an AWS
// SigV4 request, signed.
func recordSigned(a *authlib.AWSV4, res *authlib.Response, raw safejs.Value) {
	if res.StatusCode != 403 || res.Request == nil || signedHook.Type() != safejs.TypeFunction {
		return
	}
	if m, err := awsSigned(a, res.Request); err == nil {
		signedHook.Invoke(raw, m.Encode(), res.Request.Header.Get("X-Amz-Security-Token"))
	}
}
