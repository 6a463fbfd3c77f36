// Package view is the demo page's logic that needs no browser: the form's
// model and presets, the equivalent code, masking of secrets, and plain
// words for statuses, challenges and errors. The page (package ui) only
// wires it to the DOM.
package view

import (
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// Scheme is what the form's scheme choice names.
type Scheme string

// The schemes the page offers.
const (
	None    Scheme = "none"
	Basic   Scheme = "basic"
	Digest  Scheme = "digest"
	Bearer  Scheme = "bearer"
	Token   Scheme = "token"
	OAuth   Scheme = "oauth2"
	AWS     Scheme = "aws4"
	OAuth1  Scheme = "oauth1"
	HTTPSig Scheme = "httpsig"
)

// The OAuth flows the page offers.
const (
	FlowClient = "client" // client credentials
	FlowDevice = "device" // device authorization, as gh auth login
	FlowPKCE   = "pkce"   // the browser goes to the authorization endpoint and back
	// FlowDPoP is FlowPKCE with the request pushed first (PAR, RFC 9126)
	// and the tokens bound to a key this browser holds (DPoP, RFC 9449).
	FlowDPoP = "dpop"
)

// Form is the state of the page's form.
type Form struct {
	Scheme    Scheme
	Algorithm string // Digest
	QOP       string // Digest: auth, auth-int or none
	Mock      bool   // target the mock API (else URL)
	MockBase  string // absolute URL of the mock API, such as http://127.0.0.1:8080/api
	URL       string // the user's own URL
	Username  string // for OAuth, the client id
	Password  string // for OAuth, the client secret
	Token     string
	Flow      string // OAuth: FlowClient, FlowDevice, FlowPKCE or FlowDPoP
	Keep      bool   // the page keeps its client between sends
	Method    string // GET when empty
	Body      string // sent with any method but GET and HEAD
}

// RequestMethod is the form's method, GET when it names none.
func (f *Form) RequestMethod() string {
	if m := strings.ToUpper(strings.TrimSpace(f.Method)); m != "" {
		return m
	}
	return "GET"
}

// RequestBody is the body to send: none with GET or HEAD.
func (f *Form) RequestBody() string {
	if m := f.RequestMethod(); m == "GET" || m == "HEAD" {
		return ""
	}
	return f.Body
}

// The mock API's accounts. They are secrets like any other: masked.
const (
	MockUser     = "alice"
	MockPassword = "open-sesame"
	MockBearer   = "ghp_demo0000000000000000000000000000000"
	MockToken    = "demo-token-12345"
	WrongSecret  = "not-the-secret"

	// The mock API's AWS key (authtest's: AWS's documentation example), in
	// the region and for the service its /aws4/ path names.
	MockAWSKeyID   = "AKIDEXAMPLE"
	MockAWSSecret  = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	MockAWSRegion  = "us-east-1"
	MockAWSService = "execute-api"

	// The mock OAuth 1.0a provider's client and access token (authtest's).
	MockOAuth1Key         = "oauth1-client"
	MockOAuth1Secret      = "oauth1 secret: kept & safe"
	MockOAuth1Token       = "oauth1-token"
	MockOAuth1TokenSecret = "oauth1 token/secret+="

	// The mock API's RFC 9421 shared secret (authtest's: RFC 9421 B.1.5's).
	MockHTTPSigKeyID  = "test-shared-secret"
	MockHTTPSigSecret = "uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ=="

	// The mock authorization server's clients (authtest's).
	MockClientID       = "my-app"
	MockClientSecret   = "p@ss: 100% +sure"
	MockPublicClientID = "public-app"
)

// Right fills the credentials that the mock API accepts for the scheme;
// Wrong fills ones it refuses.
func (f *Form) Right() {
	f.Username, f.Password, f.Token = MockUser, MockPassword, ""
	switch f.Scheme {
	case OAuth:
		f.Username, f.Password = MockPublicClientID, ""
		if f.Flow == FlowClient || f.Flow == "" {
			f.Username, f.Password = MockClientID, MockClientSecret
		}
	case AWS:
		f.Username, f.Password = MockAWSKeyID, MockAWSSecret
	case OAuth1:
		f.Username, f.Password, f.Token = MockOAuth1Key, MockOAuth1Secret, MockOAuth1TokenSecret
	case HTTPSig:
		f.Username, f.Password = MockHTTPSigKeyID, MockHTTPSigSecret
	case Bearer:
		f.Token = MockBearer
	case Token:
		f.Token = MockToken
	}
}

// Wrong fills credentials the mock API refuses.
func (f *Form) Wrong() {
	f.Right()
	if f.Scheme == OAuth && f.Password == "" {
		f.Username = "unknown-app" // a public client has no secret to get wrong
		return
	}
	if f.Token != "" {
		f.Token = WrongSecret
	} else {
		f.Password = WrongSecret
	}
}

// Fit refills the right credentials when those in the form belong to
// another scheme or flow (an OAuth client id as a Basic username, or the
// public client for client credentials), and reports whether it did.
func (f *Form) Fit() bool {
	client := f.Username == MockClientID || f.Username == MockPublicClientID || f.Username == "unknown-app"
	public := f.Username == MockPublicClientID || f.Username == "unknown-app"
	aws := f.Username == MockAWSKeyID
	oauth1 := f.Username == MockOAuth1Key
	sig := f.Username == MockHTTPSigKeyID
	switch {
	case f.Scheme == OAuth && (!client || public != (f.Flow != FlowClient)):
	case f.Scheme == AWS && !aws, f.Scheme == OAuth1 && !oauth1, f.Scheme == HTTPSig && !sig:
	case f.Scheme != OAuth && client, f.Scheme != AWS && aws, f.Scheme != OAuth1 && oauth1, f.Scheme != HTTPSig && sig:
	default:
		return false
	}
	f.Right()
	return true
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
	case OAuth:
		return b + "/oauth/api/user"
	case AWS:
		return b + "/aws4/" + MockAWSService + "/prod/items?limit=10"
	case OAuth1:
		return b + "/oauth1/api/user"
	case HTTPSig:
		return b + "/httpsig/items"
	}
	return b + "/basic-auth/" + MockUser + "/" + MockPassword
}

// OAuthConfig returns the OAuth client of the form, against the mock
// authorization server (or the issuer at the user's URL's origin), with
// its token requests sent through tr.
func (f *Form) OAuthConfig(tr authlib.Transport, redirect string) *oauth2.Config {
	c := &oauth2.Config{ClientID: f.Username, ClientSecret: f.Password, Scopes: []string{"read:user"},
		RedirectURL: redirect, Transport: tr}
	if f.Mock {
		b := strings.TrimSuffix(f.MockBase, "/")
		c.TokenURL, c.DeviceURL, c.AuthURL, c.PARURL = b+"/oauth/token", b+"/oauth/device", b+"/oauth/authorize", b+"/oauth/par"
	} else if u, err := authlib.ParseURL(f.Target()); err == nil {
		c.Issuer = u.Scheme + "://" + u.Host
	}
	return c
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
	case AWS:
		region, service := f.AWSScope()
		return &authlib.AWSV4{AccessKeyID: f.Username, SecretAccessKey: f.Password, Region: region, Service: service}
	case OAuth1:
		return authlib.OAuth1{ClientKey: f.Username, ClientSecret: f.Password, ResourceOwnerKey: f.OAuth1Token(), ResourceOwnerSecret: f.Token}
	case HTTPSig:
		return authlib.HTTPSig{KeyID: f.Username, Key: authlib.HMACSHA256(f.SharedSecret())}
	}
	return nil
}

// SharedSecret is the RFC 9421 shared secret the form holds: its base64,
// decoded, or its text as it is.
func (f *Form) SharedSecret() []byte {
	if b, err := base64.StdEncoding.DecodeString(f.Password); err == nil && len(b) > 0 {
		return b
	}
	return []byte(f.Password)
}

// OAuth1Token is the OAuth 1.0a token the form signs with: the mock's
// access token, or none for a URL of the user's (requests signed by the
// client alone; the token secret is then left empty too).
func (f *Form) OAuth1Token() string {
	if f.Mock {
		return MockOAuth1Token
	}
	return ""
}

// AWSScope returns the region and service to sign for: the mock's, or
// none for a URL of the user's (read from its AWS host name).
func (f *Form) AWSScope() (region, service string) {
	if f.Mock {
		return MockAWSRegion, MockAWSService
	}
	return "", ""
}

// Key identifies the client to keep between sends: a changed scheme or
// credential needs a new one.
func (f *Form) Key() string {
	return strings.Join([]string{string(f.Scheme), f.Flow, f.Username, f.Password, f.Token}, "\x00")
}

// Secrets returns every value that must be masked: what the user typed and
// what the mock API expects, with their encodings on the wire.
func (f *Form) Secrets() []string {
	s := []string{f.Password, f.Token, MockPassword, MockBearer, MockToken, WrongSecret, MockClientSecret, MockAWSSecret, MockOAuth1Secret, MockOAuth1TokenSecret, MockHTTPSigSecret}
	// A client secret goes form-urlencoded into Basic (RFC 6749 §2.3.1).
	for _, sec := range []string{f.Password, MockClientSecret} {
		b := authlib.Basic{Username: url.QueryEscape(f.Username), Password: url.QueryEscape(sec)}
		if v, err := b.HeaderValue(); err == nil {
			s = append(s, strings.TrimPrefix(v, "Basic "), url.QueryEscape(sec))
		}
	}
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
