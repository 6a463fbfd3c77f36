package oauth2_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// forms records the form body and Authorization header of every request.
type forms struct {
	mu   sync.Mutex
	sent []url.Values
	auth []string
	next authlib.Transport
}

func (f *forms) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	v, _ := url.ParseQuery(string(req.Body))
	f.mu.Lock()
	f.sent = append(f.sent, v)
	f.auth = append(f.auth, req.Header.Get("Authorization"))
	f.mu.Unlock()
	return f.next.RoundTrip(req)
}

// claimsOf returns a JWT's header and claims, unverified.
func claimsOf(t *testing.T, jwt string) (map[string]any, map[string]any) {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	var h, c map[string]any
	for i, dst := range []*map[string]any{&h, &c} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil || json.Unmarshal(b, dst) != nil {
			t.Fatalf("part %d of %q", i, jwt)
		}
	}
	return h, c
}

// A client registers itself with private_key_jwt and its public key, then
// gets tokens with assertions signed by the key: RS256, PS256, ES256 and
// EdDSA, each accepted by authtest's own verifier. Each assertion has iss
// and sub the client id, aud the issuer, a lifetime of a minute, the kid,
// and a jti of its own, also when a DPoP nonce makes a request go twice.
func TestPrivateKeyJWT(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	for _, tc := range []struct {
		key crypto.Signer
		alg string // the Signer's
		jws string
	}{{rsaKey, "rsa-v1_5-sha256", "RS256"}, {rsaKey, "rsa-pss-sha256", "PS256"}, {ecKey, "", "ES256"}, {edKey, "", "EdDSA"}} {
		rec := &forms{next: &nethttp.Transport{}}
		c := &oauth2.Config{Issuer: srv.URL, Transport: rec, DPoP: newDPoP(t)}
		jwk, err := oauth2.PublicJWK(tc.key.Public())
		if err != nil {
			t.Fatal(err)
		}
		jwk.Kid = "key-" + tc.jws
		reg, err := c.Register(context.Background(), oauth2.ClientMetadata{
			ClientName: "authlib’s test", TokenEndpointAuthMethod: "private_key_jwt", GrantTypes: []string{"client_credentials"}, JWKS: []oauth2.JWK{jwk},
		}, "")
		if err != nil {
			t.Fatal(err)
		}
		if reg.ClientID == "" || reg.ClientSecret != "" || c.ClientID != reg.ClientID || c.AuthStyle != oauth2.AuthPrivateKeyJWT || !strings.Contains(reg.JSON, "authlib’s test") {
			t.Fatalf("%s: registered %v as %v", tc.jws, reg, c.AuthStyle)
		}
		if c.ClientKey, err = authlib.NewSigner(tc.key, tc.alg); err != nil {
			t.Fatal(err)
		}
		c.ClientKeyID = jwk.Kid
		for range 2 {
			tok, err := c.ClientCredentials(context.Background())
			if err != nil || tok.TokenType != "DPoP" {
				t.Fatalf("%s: %v %v", tc.jws, tok, err)
			}
		}
		jtis := map[string]bool{}
		for _, f := range rec.sent { // three token requests, one answered use_dpop_nonce
			if f.Get("grant_type") == "" {
				continue // discovery, registration
			}
			if f.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || f.Has("client_secret") {
				t.Fatalf("%s: %v", tc.jws, f)
			}
			h, cl := claimsOf(t, f.Get("client_assertion"))
			exp, _ := cl["exp"].(float64)
			iat, _ := cl["iat"].(float64)
			if h["alg"] != tc.jws || h["kid"] != jwk.Kid || cl["iss"] != reg.ClientID || cl["sub"] != reg.ClientID || cl["aud"] != srv.URL || exp-iat != 60 {
				t.Fatalf("%s: %v %v", tc.jws, h, cl)
			}
			jti, _ := cl["jti"].(string)
			if len(jti) < 16 || jtis[jti] {
				t.Fatalf("%s: jti %q again or short", tc.jws, jti)
			}
			jtis[jti] = true
		}
		if len(jtis) != 3 {
			t.Fatalf("%s: %d assertions; want 3", tc.jws, len(jtis))
		}
	}
}

// client_secret_jwt signs with the secret, which is not sent; a key that
// is not the registered one, a client that authenticates otherwise than it
// registered, and an assertion sent again are refused as invalid_client,
// with no assertion in the error.
func TestClientAssertionRefusals(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	rec := &forms{next: &nethttp.Transport{}}
	c := config(srv, nil)
	c.Transport, c.AuthStyle = rec, oauth2.AuthClientSecretJWT
	if _, err := c.ClientCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	if h, _ := claimsOf(t, rec.sent[0].Get("client_assertion")); h["alg"] != "HS256" || rec.auth[0] != "" {
		t.Fatalf("client_secret_jwt: %v, Authorization %q", h, rec.auth[0])
	}
	for _, v := range rec.sent[0] {
		if strings.Contains(strings.Join(v, " "), authtest.OAuthClientSecret) {
			t.Fatal("the secret was sent")
		}
	}
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	jwk, _ := oauth2.PublicJWK(ecKey.Public())
	jwk.Kid = "k"
	reg := &oauth2.Config{Issuer: srv.URL, Transport: &nethttp.Transport{}}
	if _, err := reg.Register(context.Background(), oauth2.ClientMetadata{TokenEndpointAuthMethod: "private_key_jwt", GrantTypes: []string{"client_credentials"}, JWKS: []oauth2.JWK{jwk}}, ""); err != nil {
		t.Fatal(err)
	}
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	reg.ClientKey, _ = authlib.NewSigner(other, "")
	reg.ClientKeyID = "k"
	_, err := reg.ClientCredentials(context.Background())
	if !isCode(err, "invalid_client") {
		t.Fatalf("another key: %v", err)
	}
	reg.ClientSecret, reg.AuthStyle = "guess", oauth2.AuthPost
	if _, err := reg.ClientCredentials(context.Background()); !isCode(err, "invalid_client") {
		t.Fatalf("another method: %v", err)
	}
	// The assertion of the first request, sent again by hand.
	replay := url.Values{"grant_type": {"client_credentials"}}
	for _, k := range []string{"client_id", "client_assertion_type", "client_assertion"} {
		replay.Set(k, rec.sent[0].Get(k))
	}
	res, err := (&nethttp.Transport{}).RoundTrip(must2(authlib.NewRequest(context.Background(), "POST", srv.URL+"/oauth/token", []byte(replay.Encode()))))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Fatalf("a replayed assertion: %d", res.StatusCode)
	}
	// No key, or a key that cannot make a JWS, is a configuration error
	// before anything is sent.
	n := len(rec.sent)
	c.AuthStyle = oauth2.AuthPrivateKeyJWT
	for _, key := range []authlib.Signer{nil, authlib.HMACSHA256("k")} {
		c.ClientKey = key
		if _, err := c.ClientCredentials(context.Background()); !strings.HasPrefix(fmt.Sprint(err), "authlib:") || !isConfig(err) || len(rec.sent) != n {
			t.Fatalf("key %v: %v", key, err)
		}
	}
}

func must2(r *authlib.Request, err error) *authlib.Request {
	if err != nil {
		panic(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func isConfig(err error) bool { return errors.Is(err, oauth2.ErrConfig) }

// Registration: the metadata goes as RFC 7591 names it; a refusal is an
// *Error with the server's code; the secret is masked when printed.
func TestRegister(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := &oauth2.Config{Issuer: srv.URL, Transport: &nethttp.Transport{}}
	reg, err := c.Register(context.Background(), oauth2.ClientMetadata{RedirectURIs: []string{"http://127.0.0.1/cb"}, GrantTypes: []string{"authorization_code", "refresh_token"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if reg.ClientSecret == "" || c.ClientSecret != reg.ClientSecret || c.AuthStyle != oauth2.AuthAuto || strings.Contains(fmt.Sprint(reg), reg.ClientSecret) || strings.Contains(fmt.Sprintf("%+v", c), reg.ClientSecret) {
		t.Fatalf("registered %v", reg)
	}
	c.RedirectURL = "http://127.0.0.1/cb"
	if tok := login(t, c); tok.AccessToken == "" {
		t.Fatal("no token")
	}
	// authtest sends no one to a redirect_uri the client did not register.
	c.RedirectURL = "http://127.0.0.1/elsewhere"
	res, err := (&http.Transport{}).RoundTrip(mustReq(t, must(c.AuthCodeURL(oauth2.NewState(), oauth2.NewVerifier(), nil))))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Fatalf("an unregistered redirect_uri: %d", res.StatusCode)
	}
	if _, err := (&oauth2.Config{Issuer: srv.URL, Transport: &nethttp.Transport{}}).Register(context.Background(), oauth2.ClientMetadata{TokenEndpointAuthMethod: "private_key_jwt"}, ""); !isCode(err, "invalid_client_metadata") {
		t.Fatalf("no keys: %v", err)
	}
	if _, err := (&oauth2.Config{Issuer: srv.URL, Transport: &nethttp.Transport{}}).Register(context.Background(), oauth2.ClientMetadata{}, ""); !isCode(err, "invalid_redirect_uri") {
		t.Fatalf("no redirect_uris: %v", err)
	}
	if n := srv.Handler.Stats()["register"]; n != 1 {
		t.Fatalf("%d registrations", n)
	}
}

// A token endpoint that echoes the whole request in its error: the
// assertion, the code and the PKCE verifier are in no error, nor printed
// in any form.
func TestAssertionNotInErrors(t *testing.T) {
	var last atomic.Value
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		last.Store(r.PostForm)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "you sent " + r.PostForm.Encode() + " and " + fmt.Sprint(r.PostForm)})
	}))
	defer ts.Close()
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	key, _ := authlib.NewSigner(ec, "")
	c := &oauth2.Config{ClientID: "svc", TokenURL: ts.URL, AuthStyle: oauth2.AuthPrivateKeyJWT, ClientKey: key, Transport: &nethttp.Transport{}}
	state, verifier := oauth2.NewState(), oauth2.NewVerifier()
	const code = "the-authorization-code-4711"
	_, err := c.Exchange(context.Background(), "http://127.0.0.1/cb?state="+state+"&code="+code, state, verifier)
	sent := last.Load().(url.Values)
	if !isCode(err, "invalid_grant") || sent.Get("client_assertion") == "" {
		t.Fatalf("%v", err)
	}
	for _, printed := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%v", c)} {
		for _, secret := range []string{sent.Get("client_assertion"), code, verifier} {
			if strings.Contains(printed, secret) {
				t.Fatalf("a secret is printed: %s", printed)
			}
		}
	}
}
