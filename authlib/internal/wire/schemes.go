package wire

import (
	"encoding/base64"
	"github.com/authlib-go/authlib/authlib/internal/ascii"
	"strconv"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// A SchemeField is a field of one scheme's auth option that JS copies
// into the message as auth.Name, written as Type; an Optional one may be
// left out.
type SchemeField struct {
	Scheme, Name string
	Type         Type
	Optional     bool
}

// SchemeFields are the plain fields of each type of the auth option, a row
// each: what JS copies (wire.mjs's SCHEMES is the same table, and a test
// checks that they agree and that each scheme's reader below needs what
// the table says), and so what it accepts as the object's keys beside
// those a scheme reads itself (aws4's credentials function, httpsig's key,
// oauth1's rsaKey). A scheme with plain fields only is its rows here, a
// reader in [schemes], and its Go type.
var SchemeFields = []SchemeField{
	{"basic", "username", String, false},
	{"basic", "password", String, false},
	{"digest", "username", String, false},
	{"digest", "password", String, false},
	{"proxy", "username", String, false},
	{"proxy", "password", String, false},
	{"bearer", "token", String, false},
	{"header", "name", String, false},  // the header's name
	{"header", "value", String, false}, // the header's value
	{"aws4", "accessKeyId", String, false},
	{"aws4", "secretAccessKey", String, false},
	{"aws4", "sessionToken", String, true},
	{"aws4", "region", String, true},
	{"aws4", "service", String, true},
	{"aws4", "unsignedPayload", Bool, true}, // sign UNSIGNED-PAYLOAD
	{"netrc", "text", String, false},        // the file's text, which netrc.mjs read (Node)
	{"netrc", "mode", Number, false},        // the file's permission bits
	{"oauth1", "clientKey", String, false},  // oauth_consumer_key
	{"oauth1", "clientSecret", String, true},
	{"oauth1", "resourceOwnerKey", String, true},    // oauth_token
	{"oauth1", "resourceOwnerSecret", String, true}, // the token's secret
	{"oauth1", "signatureMethod", String, true},     // HMAC-SHA1, HMAC-SHA256, PLAINTEXT, RSA-SHA1, RSA-SHA256
	{"oauth1", "signatureType", String, true},       // header, query or body
	{"oauth1", "realm", String, true},
	{"oauth1", "bodyHash", Bool, true}, // sign other bodies with oauth_body_hash
	{"oauth1", "callback", String, true},
	{"oauth1", "verifier", String, true},
	{"httpsig", "keyId", String, false}, // the keyid parameter
	{"httpsig", "label", String, true},
	{"httpsig", "tag", String, true},
	{"httpsig", "contentDigest", String, true}, // sha-256 or sha-512
	{"httpsig", "expires", Number, true},       // seconds
	{"httpsig", "nonce", Bool, true},
}

// schemes reads each type of the auth option from the message (typ as the
// caller wrote it, for refusals): the Auth, and whether a function of the
// scheme's crosses beside the message, for the caller to set on it.
// oauth2 is read into [Options.OAuth], and none and function have no Auth.
var schemes = map[string]func(m *Message, typ string) (authlib.Auth, bool, error){
	"basic": func(m *Message, typ string) (authlib.Auth, bool, error) {
		u, p, err := userPass(m, typ)
		return authlib.Basic{Username: u, Password: p}, false, err
	},
	"digest": func(m *Message, typ string) (authlib.Auth, bool, error) {
		u, p, err := userPass(m, typ)
		return &authlib.Digest{Username: u, Password: p}, false, err
	},
	"proxy": func(m *Message, typ string) (authlib.Auth, bool, error) {
		u, p, err := userPass(m, typ)
		return authlib.ProxyBasic{Username: u, Password: p}, false, err
	},
	"bearer": func(m *Message, typ string) (authlib.Auth, bool, error) {
		t, err := authField(m, typ, "token")
		return authlib.Bearer{Token: t}, false, err
	},
	"header": func(m *Message, typ string) (authlib.Auth, bool, error) {
		n, err := authField(m, typ, "name")
		if err != nil {
			return nil, false, err
		}
		v, err := authField(m, typ, "value")
		return authlib.HeaderAuth{Name: n, Value: v}, false, err
	},
	"netrc": func(m *Message, _ string) (authlib.Auth, bool, error) {
		a, err := readNetrc(m)
		return a, false, err
	},
	// aws4, oauth1 and httpsig: schemes_signed.go, which the lite build
	// leaves out.
}

// inFullBuild reports a scheme of SchemeFields this build has no reader
// for: the lite build's signing schemes.
func inFullBuild(scheme string) bool {
	for _, f := range SchemeFields {
		if f.Scheme == scheme {
			return schemes[scheme] == nil
		}
	}
	return false
}

// schemeName is the scheme a type names: its lower case ("" and "array",
// [user, password], are basic).
func schemeName(typ string) string {
	switch typ = ascii.Lower(typ); typ {
	case "", "array":
		return "basic"
	}
	return typ
}

// readAWS reads auth {type: 'aws4', …}: the scheme, and whether its
// credentials come from a function (then the keys are not read).
func readAWS(m *Message) (*authlib.AWSV4, bool, error) {
	a := &authlib.AWSV4{}
	_, fn := m.Get("auth.credentials")
	var err error
	if !fn {
		if a.AccessKeyID, err = authField(m, "aws4", "accessKeyId"); err != nil {
			return nil, false, err
		}
		if a.SecretAccessKey, err = authField(m, "aws4", "secretAccessKey"); err != nil {
			return nil, false, err
		}
		if a.SessionToken, err = optionalField(m, "sessionToken"); err != nil {
			return nil, false, err
		}
	}
	if a.Region, err = optionalField(m, "region"); err != nil {
		return nil, false, err
	}
	if a.Service, err = optionalField(m, "service"); err != nil {
		return nil, false, err
	}
	if v, ok := m.Get("auth.unsignedPayload"); ok {
		if v != "true" && v != "false" {
			return nil, false, refuse(authlib.ErrInvalidCredentials, "auth.unsignedPayload must be a boolean")
		}
		a.UnsignedPayload = v == "true"
	}
	return a, fn, nil
}

// optionalField reads auth.name, absent as "", refusing it, named, when
// it is not a string.
func optionalField(m *Message, name string) (string, error) {
	v, ok := m.Get("auth." + name)
	if ok && v == Bad {
		typ, _ := m.Get("auth")
		return "", refuse(authlib.ErrInvalidCredentials, "auth."+name+" must be a string for type \""+typ+"\"")
	}
	return v, nil
}

// ReadAWSCredentials reads a credentials function's answer: the keys, and
// when they expire (ms since the epoch; absent, they do not).
func ReadAWSCredentials(m *Message) (authlib.AWSCredentials, error) {
	var c authlib.AWSCredentials
	const what = "the credentials function must return {accessKeyId, secretAccessKey, sessionToken?, expiration?}: "
	for _, f := range [...]struct {
		name string
		to   *string
	}{{"accessKeyId", &c.AccessKeyID}, {"secretAccessKey", &c.SecretAccessKey}, {"sessionToken", &c.SessionToken}} {
		v, ok := m.Get("auth." + f.name)
		if v == Bad || (!ok && f.name != "sessionToken") {
			return c, refuse(authlib.ErrInvalidCredentials, what+f.name+" is not a string")
		}
		*f.to = v
	}
	if v, ok := m.Get("auth.expiration"); ok {
		ms, perr := strconv.ParseInt(v, 10, 64) // JS sends whole ms
		if v == Bad || perr != nil || ms < 0 || ms > 8.64e15 {
			return c, refuse(authlib.ErrInvalidCredentials, what+"expiration is not a Date or a time in ms")
		}
		c.Expires = time.UnixMilli(ms)
	}
	return c, nil
}

// readNetrc reads auth {type: 'netrc'}: the file's text and mode, as
// authlib.mjs read them in Node.
func readNetrc(m *Message) (authlib.Auth, error) {
	text, ok := m.Get("auth.text")
	mode, ok2 := m.Get("auth.mode")
	perm, err := strconv.ParseUint(mode, 10, 32)
	if !ok || !ok2 || text == Bad || err != nil {
		return nil, refuse(authlib.ErrInvalidCredentials, "netrc: the file was not read")
	}
	if err := authlib.CheckNetrcMode(uint32(perm)); err != nil {
		return nil, err
	}
	f, err := authlib.ParseNetrc(text)
	if err != nil {
		return nil, err
	}
	return authlib.Netrc{File: f}, nil
}

// readOAuth1 reads auth {type: 'oauth1', …}, and whether an RSA signer
// function crosses beside (auth.signer: rsaKey, a WebCrypto key).
func readOAuth1(m *Message) (authlib.Auth, bool, error) {
	var o authlib.OAuth1
	var err error
	if o.ClientKey, err = authField(m, "oauth1", "clientKey"); err != nil {
		return nil, false, err
	}
	for _, f := range [...]struct {
		name string
		to   *string
	}{{"clientSecret", &o.ClientSecret}, {"resourceOwnerKey", &o.ResourceOwnerKey}, {"resourceOwnerSecret", &o.ResourceOwnerSecret},
		{"signatureMethod", &o.SignatureMethod}, {"signatureType", &o.SignatureType}, {"realm", &o.Realm}, {"callback", &o.Callback}, {"verifier", &o.Verifier}} {
		if *f.to, err = optionalField(m, f.name); err != nil {
			return nil, false, err
		}
	}
	if v, ok := m.Get("auth.bodyHash"); ok {
		if v != "true" && v != "false" {
			return nil, false, refuse(authlib.ErrInvalidCredentials, "auth.bodyHash must be a boolean")
		}
		o.BodyHash = v == "true"
	}
	_, fn := m.Get("auth.signer")
	return o, fn, nil
}

// readHTTPSig reads auth {type: 'httpsig', …}: the scheme, and whether a
// signer function crosses beside (a WebCrypto key; else auth.secret is a
// shared secret, which Go signs with).
func readHTTPSig(m *Message) (authlib.Auth, bool, error) {
	var h authlib.HTTPSig
	var err error
	if h.KeyID, err = authField(m, "httpsig", "keyId"); err != nil {
		return nil, false, err
	}
	for _, f := range [...]struct {
		name string
		to   *string
	}{{"label", &h.Label}, {"tag", &h.Tag}, {"contentDigest", &h.ContentDigest}} {
		if *f.to, err = optionalField(m, f.name); err != nil {
			return nil, false, err
		}
	}
	for _, c := range m.All("auth.component") {
		if c == Bad {
			return nil, false, refuse(authlib.ErrInvalidRequest, "auth.components must be an array of strings")
		}
		h.Components = append(h.Components, c)
	}
	if v, ok := m.Get("auth.expires"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 || n > 1e9 {
			return nil, false, refuse(authlib.ErrInvalidRequest, "auth.expires is a whole number of seconds")
		}
		h.Expires = time.Duration(n) * time.Second
	}
	if v, ok := m.Get("auth.nonce"); ok {
		if v != "true" && v != "false" {
			return nil, false, refuse(authlib.ErrInvalidRequest, "auth.nonce must be a boolean")
		}
		if v == "true" {
			h.Nonce = randomNonce
		}
	}
	_, fn := m.Get("auth.signer")
	if !fn {
		v, ok := m.Get("auth.secret")
		k, err := base64.StdEncoding.DecodeString(v)
		if !ok || v == Bad || err != nil || len(k) == 0 {
			return nil, false, refuse(authlib.ErrInvalidCredentials, "auth.key must be a CryptoKey, a JWK, a PEM string, or bytes (a shared secret)")
		}
		h.Key = authlib.HMACSHA256(k)
	}
	return h, fn, nil
}

// randomNonce is 16 random bytes, base64url.
func randomNonce() string {
	var b [16]byte
	authlib.Random(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
