package authlib

import (
	"encoding/base64"
	"fmt"
	"github.com/authlib-go/authlib/authlib/internal/ascii"
	"strings"
)

// Basic is HTTP Basic authentication (RFC 7617): requests' auth=(user,
// password) and HTTPBasicAuth. The user-id and password are sent as UTF-8
// (RFC 7617 §2.1's charset), so "123£" is sent as the bytes of "123£", not
// Latin-1. Apply refuses a user-id with ':' and control characters in
// either part.
//
// Basic sends the password on every request, readable by anyone who sees
// the traffic: use it over https (the Client refuses plain http except to
// loopback unless told otherwise).
type Basic struct {
	Username string // the user-id; no ':' (RFC 7617 §2)
	Password string // any text without control characters
}

// Apply sets Authorization.
func (b Basic) Apply(req *Request) error {
	v, err := b.HeaderValue()
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", v)
	return nil
}

// HeaderValue returns "Basic " and the base64 of user-id ":" password.
func (b Basic) HeaderValue() (string, error) { return basicValue("basic", b.Username, b.Password) }

// Format masks the password.
func (b Basic) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.Basic", "Username", printableUser(b.Username), "Password", "[redacted]")
}

// ProxyBasic is Basic authentication to a proxy (requests' HTTPProxyAuth):
// it sets Proxy-Authorization, which the proxy checks and answers with 407
// when wrong. Browsers do not let scripts set Proxy-Authorization.
type ProxyBasic struct {
	Username string // the user-id at the proxy; no ':'
	Password string // any text without control characters
}

// Apply sets Proxy-Authorization.
func (b ProxyBasic) Apply(req *Request) error {
	v, err := basicValue("proxy basic", b.Username, b.Password)
	if err != nil {
		return err
	}
	req.Header.Set("Proxy-Authorization", v)
	return nil
}

// Format masks the password.
func (b ProxyBasic) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.ProxyBasic", "Username", printableUser(b.Username), "Password", "[redacted]")
}

func basicValue(op, user, password string) (string, error) {
	if strings.Contains(user, ":") {
		return "", credentialError(op, "the user-id contains ':', which Basic cannot carry (RFC 7617 §2)")
	}
	if r := checkCredential("the user-id", user); r != "" {
		return "", credentialError(op, r)
	}
	if r := checkCredential("the password", password); r != "" {
		return "", credentialError(op, r)
	}
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password)), nil
}

// ParseBasic decodes the value of an Authorization or Proxy-Authorization
// field that carries Basic credentials. It is the inverse of
// [Basic.HeaderValue], for servers and tests; its errors never contain the
// decoded text.
func ParseBasic(value string) (user, password string, err error) {
	scheme, rest, _ := strings.Cut(value, " ")
	if !ascii.EqualFold(scheme, "Basic") {
		return "", "", credentialError("basic", "the credentials are not Basic")
	}
	rest = strings.TrimLeft(rest, " ")
	raw, derr := base64.StdEncoding.DecodeString(rest)
	if derr != nil {
		return "", "", credentialError("basic", "the credentials are not valid base64")
	}
	user, password, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", "", credentialError("basic", "the decoded credentials have no ':'")
	}
	if r := checkCredential("the user-id", user); r != "" {
		return "", "", credentialError("basic", r)
	}
	if r := checkCredential("the password", password); r != "" {
		return "", "", credentialError("basic", r)
	}
	return user, password, nil
}
