//go:build js && wasm

package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"syscall/js"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/fetch"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/authlib-go/authlib/web/ui/view"
	"github.com/hack-pad/safejs"
	"honnef.co/go/js/dom/v2"
)

// The demo's DPoP key (RFC 9449): a WebCrypto key pair that demo.js makes
// and keeps in IndexedDB (window.demoDPoP), so that the login's code,
// bound to it when the browser left, can be exchanged with it when the
// browser comes back. The private key never leaves WebCrypto: webKey signs
// through it.

// webKey is an authlib.Signer over the page's WebCrypto key pair.
type webKey struct{ pair js.Value }

func (webKey) Algorithm() string { return "ecdsa-p256-sha256" }

func (k webKey) Sign(ctx context.Context, base []byte) ([]byte, error) {
	data := js.Global().Get("Uint8Array").New(len(base))
	js.CopyBytesToJS(data, base)
	v, err := await(ctx, js.Global().Get("demoDPoP").Call("sign", k.pair, data))
	if err != nil {
		return nil, err
	}
	sig := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(sig, v)
	return sig, nil
}

// dpopKey makes a new key (fresh), or loads the one kept, as the
// Config's DPoP.
func dpopKey(ctx context.Context, fresh bool) (*oauth2.DPoP, error) {
	op := "load"
	if fresh {
		op = "create"
	}
	v, err := await(ctx, js.Global().Get("demoDPoP").Call(op))
	if err != nil {
		return nil, err
	}
	if v.IsNull() || v.IsUndefined() {
		return nil, errors.New("the DPoP key of this login is gone (IndexedDB was cleared): log in again")
	}
	jwk, err := oauth2.ParseJWK(v.Get("jwk").String())
	if err != nil {
		return nil, err
	}
	return &oauth2.DPoP{Key: webKey{v.Get("pair")}, JWK: jwk}, nil
}

func await(ctx context.Context, p js.Value) (js.Value, error) {
	v, err := fetch.Await(ctx, safejs.Safe(p))
	if err != nil {
		return js.Value{}, &authlib.Error{Kind: authlib.ErrInvalidCredentials, Op: "dpop", Detail: "WebCrypto or IndexedDB failed", Err: err}
	}
	return safejs.Unsafe(v), nil
}

// dpopView shows the DPoP proof a request carried: its header (typ, alg,
// the public key as jwk) and its claims (htm, htu, iat, jti; ath, the
// access token's hash, and the server's nonce when there are), decoded
// from the compact JWS; or nil for a request without one.
func dpopView(x *exchange, m *view.Masker) dom.Element {
	proof := x.Header.Get("DPoP")
	parts := strings.Split(proof, ".")
	if len(parts) != 3 {
		return nil
	}
	d := el("div", "signed dpop", "")
	d.SetAttribute("id", "dpop-proof")
	d.AppendChild(el("h4", "", "The DPoP proof (RFC 9449): a JWT signed for this one request by the key this browser holds, which cannot leave WebCrypto"))
	for i, what := range []string{"Its header: the key's public half (jwk), whose thumbprint the token is bound to", "Its claims: the method and URL (htm, htu), when (iat), a unique id (jti); ath, the access token's hash, and the server's nonce when it asked for one"} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			return nil
		}
		var v any
		if json.Unmarshal(b, &v) != nil {
			return nil
		}
		pretty, _ := json.MarshalIndent(v, "", "  ")
		d.AppendChild(el("p", "note", what))
		d.AppendChild(el("pre", "proof-part", m.Text(string(pretty))))
	}
	return d
}
