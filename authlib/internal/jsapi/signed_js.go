//go:build js && wasm && !authlib_lite

package jsapi

import (
	"github.com/authlib-go/authlib/authlib"
	"github.com/hack-pad/safejs"
)

// The signing schemes (AWS SigV4, OAuth 1.0a, RFC 9421), which the lite
// build (-tags authlib_lite, lite_js.go) leaves out: every place the JS
// API's Go names their types is in this file, aws_js.go or oauth1_js.go,
// so that the lite binary links none of them.

// beside attaches to a scheme read from the message (wire.Options.Auth)
// the JS function that crossed beside it (wire.Options.SchemeFunc): aws4's
// credentials function, the WebCrypto signer of oauth1's rsaKey and of
// httpsig's key (alg its algorithm). need is the refusal when what crossed
// is not a function.
var beside = map[string]besider{
	"aws4": {"auth.credentials must be a function", func(a authlib.Auth, fn safejs.Value, _ string) authlib.Auth {
		a.(*authlib.AWSV4).Credentials = jsAWSCredentials(fn)
		return a
	}},
	"oauth1": {"auth.rsaKey must be a CryptoKey, a JWK or a PEM string", func(a authlib.Auth, fn safejs.Value, alg string) authlib.Auth {
		o := a.(authlib.OAuth1)
		o.Signer = jsSigner{fn: fn, alg: alg}
		return o
	}},
	"httpsig": {"auth.key must be a CryptoKey, a JWK, a PEM string, or bytes (a shared secret)", func(a authlib.Auth, fn safejs.Value, alg string) authlib.Auth {
		h := a.(authlib.HTTPSig)
		h.Key = jsSigner{fn: fn, alg: alg}
		return h
	}},
}

// signingKind is what a signing scheme is to the way a call goes (see
// schemeKind); ok is false for the other schemes.
func signingKind(a authlib.Auth) (k kind, ok bool) {
	switch a := a.(type) {
	case *authlib.AWSV4:
		if a.Credentials == nil {
			return signsEach, true
		}
		return goOnly, true
	case authlib.OAuth1:
		if a.SignatureType != "body" {
			return signsEach, true
		}
		return goOnly, true
	case authlib.HTTPSig:
		return signsEach, true
	}
	return 0, false
}

// isAWS reports an AWS SigV4 scheme.
func isAWS(a authlib.Auth) bool {
	_, ok := a.(*authlib.AWSV4)
	return ok
}

// recordIfSigned records, for aws4.check, what an AWS SigV4 request that
// Go ran signed.
func recordIfSigned(a authlib.Auth, res *authlib.Response, raw safejs.Value) {
	if a, ok := a.(*authlib.AWSV4); ok {
		recordSigned(a, res, raw)
	}
}
