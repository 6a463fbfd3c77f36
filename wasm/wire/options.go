package wire

import (
	"strconv"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// Options are the options of a call as Go uses them: a client's, then a
// call's on top ([Options.Apply] each message in turn).
type Options struct {
	// Auth is the scheme for basic, digest, proxy, bearer and header; for
	// function and oauth2 it is nil, and Scheme says which: the caller
	// builds those from what crosses beside the message.
	Auth          authlib.Auth
	Scheme        string // "" when no auth option was given; "none"; or the type
	OAuth         OAuth
	Timeout       time.Duration
	Retry         *authlib.Retry
	AllowInsecure bool
	BaseURL       string
	Origins       []string
	MaxRedirects  int
}

// OAuth are the OAuth settings of a message (the oauth2 scheme's, or a
// flow's), checked by the oauth2 package when it uses them.
type OAuth struct {
	Issuer, TokenURL, DeviceURL, AuthURL, ClientID, ClientSecret, ClientAuth, RedirectURI, Scope string
	Callback, State, CodeVerifier                                                                string
	Params                                                                                       []string // authorize: name, value, name, value, …
	Token                                                                                        string   // the saved token's JSON text
	OnToken                                                                                      bool
}

// refuse is the error for an option given wrong, naming it.
func refuse(kind error, detail string) error { return &authlib.Error{Kind: kind, Detail: detail} }

// Apply sets the options m holds onto o; those it does not hold stay.
func (o *Options) Apply(m *Message) error {
	if _, ok := m.Get("auth"); ok {
		if err := o.auth(m); err != nil {
			return err
		}
	}
	if v, ok := m.Get("timeout"); ok {
		ms, err := strconv.ParseFloat(v, 64)
		if err != nil || ms < 0 {
			return refuse(authlib.ErrInvalidRequest, "timeout is a number of milliseconds")
		}
		o.Timeout = time.Duration(ms * float64(time.Millisecond))
	}
	if err := o.retry(m); err != nil {
		return err
	}
	if v, ok := m.Get("allowInsecure"); ok {
		if v != "true" && v != "false" {
			return refuse(authlib.ErrInvalidRequest, "allowInsecure is true or false")
		}
		o.AllowInsecure = v == "true"
	}
	if v, ok := m.Get("baseURL"); ok {
		if v == Bad {
			return refuse(authlib.ErrInvalidURL, "baseURL is a string")
		}
		if _, err := authlib.ParseURL(v); err != nil {
			return err
		}
		o.BaseURL = v
	}
	if vs := m.All("origins"); vs != nil {
		o.Origins = nil
		for _, v := range vs {
			if v == Bad {
				return refuse(authlib.ErrInvalidURL, "origins is an array of origins such as \"https://api.example.com\"")
			}
			o.Origins = append(o.Origins, v)
		}
	}
	if v, ok := m.Get("redirect"); ok {
		switch v {
		case "follow":
			o.MaxRedirects = 0
		case "manual":
			o.MaxRedirects = -1
		default:
			return refuse(authlib.ErrInvalidRequest, "redirect is \"follow\" or \"manual\"")
		}
	}
	return nil
}

func (o *Options) retry(m *Message) error {
	if v, ok := m.Get("retry"); ok {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 || n > 100 {
			return refuse(authlib.ErrInvalidRequest, "retry is a count from 0 to 100, or {max, base, cap, maxRetryAfter, nonIdempotent}")
		}
		o.Retry = &authlib.Retry{Max: int(n)}
		return nil
	}
	var r *authlib.Retry
	get := func(name string) (string, bool) {
		v, ok := m.Get("retry." + name)
		if ok && r == nil {
			r = &authlib.Retry{}
		}
		return v, ok
	}
	if v, ok := get("max"); ok {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 || n > 100 {
			return refuse(authlib.ErrInvalidRequest, "retry.max is a count from 0 to 100")
		}
		r.Max = int(n)
	}
	for _, d := range []struct {
		name string
		dst  func(*authlib.Retry) *time.Duration
	}{
		{"base", func(r *authlib.Retry) *time.Duration { return &r.Base }},
		{"cap", func(r *authlib.Retry) *time.Duration { return &r.Cap }},
		{"maxRetryAfter", func(r *authlib.Retry) *time.Duration { return &r.MaxRetryAfter }},
	} {
		if v, ok := get(d.name); ok {
			ms, err := strconv.ParseFloat(v, 64)
			if err != nil || ms < 0 {
				return refuse(authlib.ErrInvalidRequest, "retry."+d.name+" is a number of milliseconds")
			}
			*d.dst(r) = time.Duration(ms * float64(time.Millisecond))
		}
	}
	if v, ok := get("nonIdempotent"); ok {
		r.NonIdempotent = v == "true"
	}
	if r != nil {
		o.Retry = r
	}
	return nil
}

// auth reads the auth option: its type, and the fields the type uses.
func (o *Options) auth(m *Message) error {
	typ, _ := m.Get("auth")
	o.Auth, o.Scheme, o.OAuth = nil, typ, OAuth{}
	field := func(name string) (string, error) {
		v, ok := m.Get("auth." + name)
		if !ok || v == Bad {
			if typ == "array" {
				return "", refuse(authlib.ErrInvalidCredentials, "auth as an array is [user, password], two strings")
			}
			return "", refuse(authlib.ErrInvalidCredentials, "auth."+name+" must be a string for type \""+typ+"\"")
		}
		return v, nil
	}
	userPass := func() (string, string, error) {
		u, err := field("username")
		if err != nil {
			return "", "", err
		}
		p, err := field("password")
		return u, p, err
	}
	var err error
	switch strings.ToLower(typ) {
	case "none", "function":
	case "basic", "", "array":
		var u, p string
		u, p, err = userPass()
		o.Auth = authlib.Basic{Username: u, Password: p}
	case "digest":
		var u, p string
		u, p, err = userPass()
		o.Auth = &authlib.Digest{Username: u, Password: p}
	case "proxy":
		var u, p string
		u, p, err = userPass()
		o.Auth = authlib.ProxyBasic{Username: u, Password: p}
	case "bearer":
		var t string
		t, err = field("token")
		o.Auth = authlib.Bearer{Token: t}
	case "header":
		var n, v string
		if n, err = field("name"); err == nil {
			v, err = field("value")
		}
		o.Auth = authlib.HeaderAuth{Name: n, Value: v}
	case "oauth2":
		o.Scheme = "oauth2"
		o.OAuth = ReadOAuth(m)
		o.OAuth.Token, _ = m.Get("auth.token")
		_, o.OAuth.OnToken = m.Get("auth.onToken")
	case "\x00":
		err = refuse(authlib.ErrInvalidCredentials, "auth must be [user, password], an object with a type, or a function")
	default:
		err = refuse(authlib.ErrInvalidCredentials, "auth.type must be basic, digest, proxy, bearer, header or oauth2")
	}
	if err != nil {
		o.Auth = nil
	}
	if strings.EqualFold(typ, "array") || typ == "" {
		o.Scheme = "basic"
	}
	return err
}

// ReadOAuth returns the OAuth settings of m.
func ReadOAuth(m *Message) OAuth {
	get := func(name string) string { v, _ := m.Get("oauth." + name); return v }
	o := OAuth{Issuer: get("issuer"), TokenURL: get("tokenURL"), DeviceURL: get("deviceURL"), AuthURL: get("authorizationURL"),
		ClientID: get("clientId"), ClientSecret: get("clientSecret"), ClientAuth: get("clientAuth"), RedirectURI: get("redirectURI"),
		Scope: get("scope"), Callback: get("callback"), State: get("state"), CodeVerifier: get("codeVerifier")}
	for _, p := range m.All("oauth.param") {
		name, value, _ := strings.Cut(p, "=")
		o.Params = append(o.Params, name, value)
	}
	return o
}

// Request returns the request of a call message: its url, method and
// header fields (the body crosses beside the message).
func Request(m *Message) (raw, method string, h authlib.Header, err error) {
	raw, _ = m.Get("url")
	if raw == Bad {
		return "", "", nil, refuse(authlib.ErrInvalidURL, "fetch takes a URL string, a URL or a Request")
	}
	method = "GET"
	if v, ok := m.Get("method"); ok {
		if v == Bad {
			return "", "", nil, refuse(authlib.ErrInvalidRequest, "method is a string")
		}
		method = strings.ToUpper(v)
	}
	h = authlib.Header{}
	for _, f := range m.All("header") {
		name, value, _ := strings.Cut(f, ":")
		if !authlib.ValidHeaderName(name) {
			return "", "", nil, refuse(authlib.ErrInvalidRequest, "a header name is not a valid token")
		}
		h.Add(name, value)
	}
	return raw, method, h, nil
}
