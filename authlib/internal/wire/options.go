package wire

import (
	"slices"
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
	Auth   authlib.Auth
	Scheme string // "" when no auth option was given; "none"; or the type
	OAuth  OAuth
	// SchemeFunc: a function of the scheme's crosses beside the message
	// (aws4's credentials, httpsig's signer); the caller sets it on Auth.
	SchemeFunc    bool
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
	RevocationURL, TokenTypeHint, RevokeToken                                                    string
	RegistrationURL, PARURL, ClientKeyID, ClientKeyAlg, DPoP, PAR, Metadata, InitialAccessToken  string
	Resources                                                                                    []string
	OnAuthorize                                                                                  bool
	Store                                                                                        bool
	Callback, State, CodeVerifier                                                                string
	Params                                                                                       []string // authorize: name, value, name, value, …
	Token                                                                                        string   // the saved token's JSON text
	OnToken                                                                                      bool
}

// refuse is the error for an option given wrong, naming it.
//
//go:noinline
func refuse(kind error, detail string) error { return &authlib.Error{Kind: kind, Detail: detail} }

// Apply sets the options m holds onto o; those it does not hold stay.
func (o *Options) Apply(m *Message) error {
	if _, ok := m.Get("auth"); ok {
		if err := o.auth(m); err != nil {
			return err
		}
	}
	if v, ok := m.Get("timeout"); ok {
		ms, ok := millis(v)
		if !ok {
			return refuse(authlib.ErrInvalidRequest, "timeout is a number of milliseconds")
		}
		o.Timeout = ms
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
			if v == "" { // the empty list
				continue
			}
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
		n, ok := millis(v)
		if !ok || n > 100*time.Millisecond {
			return refuse(authlib.ErrInvalidRequest, "retry is a count from 0 to 100, or {max, base, cap, maxRetryAfter, nonIdempotent}")
		}
		o.Retry = &authlib.Retry{Max: int(n / time.Millisecond)}
		return nil
	}
	var r authlib.Retry
	has := false
	if v, ok := m.Get("retry.max"); ok {
		n, ok := millis(v)
		if !ok || n > 100*time.Millisecond {
			return refuse(authlib.ErrInvalidRequest, "retry.max is a count from 0 to 100")
		}
		r.Max, has = int(n/time.Millisecond), true
	}
	waits := [...]*time.Duration{&r.Base, &r.Cap, &r.MaxRetryAfter}
	for i, name := range [...]string{"base", "cap", "maxRetryAfter"} {
		if v, ok := m.Get("retry." + name); ok {
			ms, ok := millis(v)
			if !ok {
				return refuse(authlib.ErrInvalidRequest, "retry."+name+" is a number of milliseconds")
			}
			*waits[i], has = ms, true
		}
	}
	if v, ok := m.Get("retry.nonIdempotent"); ok {
		r.NonIdempotent, has = v == "true", true
	}
	if has {
		o.Retry = &r
	}
	return nil
}

// auth reads the auth option: its type, and the fields the type uses.
func (o *Options) auth(m *Message) error {
	typ, _ := m.Get("auth")
	o.Auth, o.Scheme, o.OAuth, o.SchemeFunc = nil, schemeName(typ), OAuth{}, false
	var err error
	switch read, ok := schemes[o.Scheme]; {
	case ok:
		o.Auth, o.SchemeFunc, err = read(m, typ)
	case o.Scheme == "none" || o.Scheme == "function":
	case o.Scheme == "oauth2":
		o.OAuth = ReadOAuth(m)
		o.OAuth.Token, _ = m.Get("auth.token")
		_, o.OAuth.OnToken = m.Get("auth.onToken")
	case inFullBuild(o.Scheme):
		err = refuse(authlib.ErrUnsupported, "auth type "+o.Scheme+" is not in authlib-lite.wasm: load the full build (load() of authlib-wasm, not authlib-wasm/lite)")
	case typ == Bad:
		err = refuse(authlib.ErrInvalidCredentials, "auth must be [user, password], an object with a type, or a function")
	default:
		err = refuse(authlib.ErrInvalidCredentials, "auth.type must be "+typeNames())
	}
	if err != nil {
		o.Auth = nil
	}
	return err
}

// typeNames lists the types a caller may give the auth option: those of
// SchemeFields (but netrc, which the netrc option makes) and oauth2.
func typeNames() string {
	var names []string
	for _, f := range SchemeFields {
		if f.Scheme != "netrc" && !slices.Contains(names, f.Scheme) {
			names = append(names, f.Scheme)
		}
	}
	return strings.Join(names, ", ") + " or oauth2"
}

// userPass reads auth.username and auth.password.
//
//go:noinline
func userPass(m *Message, typ string) (string, string, error) {
	u, err := authField(m, typ, "username")
	if err != nil {
		return "", "", err
	}
	p, err := authField(m, typ, "password")
	return u, p, err
}

// authField reads auth.name, refusing it, named, when it is not a string.
//
//go:noinline
func authField(m *Message, typ, name string) (string, error) {
	v, ok := m.Get("auth." + name)
	if !ok || v == Bad {
		if typ == "array" {
			return "", refuse(authlib.ErrInvalidCredentials, "auth as an array is [user, password], two strings")
		}
		return "", refuse(authlib.ErrInvalidCredentials, "auth."+name+" must be a string for type \""+typ+"\"")
	}
	return v, nil
}

// millis reads a number of milliseconds as JS writes it: digits, and a
// fraction that is dropped below a microsecond. (strconv.ParseFloat would
// add some 10 KB to the wasm.)
//
//go:noinline
func millis(v string) (time.Duration, bool) {
	whole, frac, _ := strings.Cut(v, ".")
	n, err := strconv.ParseUint(whole, 10, 32)
	if err != nil || strings.Trim(frac, "0123456789") != "" {
		return 0, false
	}
	d := time.Duration(n) * time.Millisecond
	for i, unit := 0, 100*time.Microsecond; i < len(frac) && unit > 0; i, unit = i+1, unit/10 {
		d += time.Duration(frac[i]-'0') * unit
	}
	return d, true
}

// ReadOAuth returns the OAuth settings of m.
func ReadOAuth(m *Message) OAuth {
	var o OAuth
	for _, f := range [...]struct {
		name string
		dst  *string
	}{{"issuer", &o.Issuer}, {"tokenURL", &o.TokenURL}, {"deviceURL", &o.DeviceURL}, {"authorizationURL", &o.AuthURL},
		{"clientId", &o.ClientID}, {"clientSecret", &o.ClientSecret}, {"clientAuth", &o.ClientAuth}, {"redirectURI", &o.RedirectURI},
		{"scope", &o.Scope}, {"callback", &o.Callback}, {"state", &o.State}, {"codeVerifier", &o.CodeVerifier},
		{"revocationURL", &o.RevocationURL}, {"tokenTypeHint", &o.TokenTypeHint}, {"token", &o.RevokeToken}, {"registrationURL", &o.RegistrationURL},
		{"parURL", &o.PARURL}, {"clientKeyId", &o.ClientKeyID}, {"clientKeyAlg", &o.ClientKeyAlg}, {"dpop", &o.DPoP}, {"par", &o.PAR},
		{"metadata", &o.Metadata}, {"initialAccessToken", &o.InitialAccessToken}} {
		*f.dst, _ = m.Get("oauth." + f.name)
	}
	o.Resources = m.All("oauth.resource")
	_, o.OnAuthorize = m.Get("oauth.onAuthorize")
	_, o.Store = m.Get("oauth.store")
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
