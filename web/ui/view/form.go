// Package view is the demo page's logic that needs no browser: the form's
// model and presets, the equivalent code, masking of secrets, and plain
// words for statuses, challenges and errors. The page (package ui) only
// wires it to the DOM.
package view

import (
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// Scheme is what the form's scheme choice names.
type Scheme string

// The schemes the page offers.
const (
	None   Scheme = "none"
	Basic  Scheme = "basic"
	Digest Scheme = "digest"
	Bearer Scheme = "bearer"
	Token  Scheme = "token"
)

// Form is the state of the page's form.
type Form struct {
	Scheme    Scheme
	Algorithm string // Digest
	QOP       string // Digest: auth, auth-int or none
	Mock      bool   // target the mock API (else URL)
	MockBase  string // absolute URL of the mock API, such as http://127.0.0.1:8080/api
	URL       string // the user's own URL
	Username  string
	Password  string
	Token     string
}

// The mock API's accounts. They are secrets like any other: masked.
const (
	MockUser     = "alice"
	MockPassword = "open-sesame"
	MockBearer   = "ghp_demo0000000000000000000000000000000"
	MockToken    = "demo-token-12345"
	WrongSecret  = "not-the-secret"
)

// Right fills the credentials that the mock API accepts for the scheme;
// Wrong fills ones it refuses.
func (f *Form) Right() {
	f.Username, f.Password, f.Token = MockUser, MockPassword, ""
	switch f.Scheme {
	case Bearer:
		f.Token = MockBearer
	case Token:
		f.Token = MockToken
	}
}

// Wrong fills credentials the mock API refuses.
func (f *Form) Wrong() {
	f.Right()
	if f.Token != "" {
		f.Token = WrongSecret
	} else {
		f.Password = WrongSecret
	}
}

// Target returns the URL to request.
func (f *Form) Target() string {
	if !f.Mock {
		return strings.TrimSpace(f.URL)
	}
	b := strings.TrimSuffix(f.MockBase, "/")
	switch f.Scheme {
	case Digest:
		return b + "/digest-auth/" + f.qop() + "/" + MockUser + "/" + MockPassword + "/" + f.algorithm()
	case Bearer:
		return b + "/bearer/" + MockBearer
	case Token:
		return b + "/token-auth/" + MockToken
	}
	return b + "/basic-auth/" + MockUser + "/" + MockPassword
}

func (f *Form) qop() string {
	if f.QOP == "" {
		return "auth"
	}
	return f.QOP
}

func (f *Form) algorithm() string {
	if f.Algorithm == "" {
		return "MD5"
	}
	return f.Algorithm
}

// Auth returns the authlib scheme for the form; nil for None.
func (f *Form) Auth() authlib.Auth {
	switch f.Scheme {
	case Basic:
		return authlib.Basic{Username: f.Username, Password: f.Password}
	case Digest:
		return &authlib.Digest{Username: f.Username, Password: f.Password}
	case Bearer:
		return authlib.Bearer{Token: f.Token}
	case Token:
		return authlib.HeaderAuth{Name: "X-TokenAuth", Value: f.Token}
	}
	return nil
}

// Key identifies the client to keep between sends: a changed scheme or
// credential needs a new one.
func (f *Form) Key() string {
	return strings.Join([]string{string(f.Scheme), f.Username, f.Password, f.Token}, "\x00")
}

// Secrets returns every value that must be masked: what the user typed and
// what the mock API expects, with their encodings on the wire.
func (f *Form) Secrets() []string {
	s := []string{f.Password, f.Token, MockPassword, MockBearer, MockToken, WrongSecret}
	for _, pw := range []string{f.Password, MockPassword, WrongSecret} {
		if v, err := (authlib.Basic{Username: f.Username, Password: pw}).HeaderValue(); err == nil {
			s = append(s, strings.TrimPrefix(v, "Basic "))
		}
	}
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}
