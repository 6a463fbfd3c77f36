package oauth2_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// sent records the Authorization and DPoP headers of every request, and
// sends it on.
type sent struct {
	mu   sync.Mutex
	reqs []http.Header
	next authlib.Transport
}

func (s *sent) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	s.mu.Lock()
	s.reqs = append(s.reqs, http.Header{"Authorization": req.Header.Values("Authorization"), "Dpop": req.Header.Values("DPoP")})
	s.mu.Unlock()
	return s.next.RoundTrip(req)
}

func (s *sent) count() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.reqs) }

func newDPoP(t *testing.T) *oauth2.DPoP {
	t.Helper()
	d, err := oauth2.NewDPoP(nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A public client logs in with DPoP: the authorization URL carries the
// key's thumbprint as dpop_jkt, the token is a DPoP token bound to the key,
// each server's nonce challenge costs exactly one extra request, and the
// token goes as Authorization: DPoP with a proof, never as Bearer. After
// expiry, 100 concurrent requests cause one refresh (its proof carrying the
// nonce already known) and all succeed; new nonces cost one request more
// at each server.
func TestDPoPLogin(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	clk := newClock()
	c := config(srv, clk)
	c.ClientID, c.ClientSecret = authtest.OAuthPublicClientID, ""
	c.DPoP = newDPoP(t)
	jkt, _ := c.DPoP.JWK.Thumbprint()
	state, verifier := oauth2.NewState(), oauth2.NewVerifier()
	u := must(c.AuthCodeURL(state, verifier, nil))
	if pu, _ := url.Parse(u); pu.Query().Get("dpop_jkt") != jkt {
		t.Fatalf("no dpop_jkt in %s", u)
	}
	tok, err := c.Exchange(context.Background(), callback(t, u), state, verifier)
	if err != nil {
		t.Fatal(err)
	}
	stats := srv.Handler.Stats
	if tok.TokenType != "DPoP" || tok.KeyThumbprint != jkt || grants(srv, "authorization_code") != 2 || stats()["dpop:use_dpop_nonce:as"] != 1 {
		t.Fatalf("%v bound to %q after %d code requests, %d nonce challenges", tok, tok.KeyThumbprint, grants(srv, "authorization_code"), stats()["dpop:use_dpop_nonce:as"])
	}
	rec := &sent{next: &nethttp.Transport{}}
	s := oauth2.NewSource(c, tok)
	client := &authlib.Client{Transport: rec, Auth: &oauth2.Auth{Source: s}}
	get := func() int {
		res, err := client.Get(context.Background(), srv.URL+"/oauth/api/user?x=1")
		if err != nil {
			t.Error(err)
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(); code != 200 || rec.count() != 2 || stats()["dpop:use_dpop_nonce:rs"] != 1 {
		t.Fatalf("first request: %d after %d exchanges", code, rec.count())
	}
	if code := get(); code != 200 || rec.count() != 3 {
		t.Fatalf("second request: %d after %d exchanges; the nonce is kept", code, rec.count())
	}
	clk.Add(2 * time.Hour)
	var wg sync.WaitGroup
	var ok atomic.Int32
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if get() == 200 {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 100 || grants(srv, "refresh_token") != 1 || stats()["dpop:use_dpop_nonce:as"] != 1 || rec.count() != 103 {
		t.Fatalf("%d of 100 after expiry, %d refreshes, %d exchanges", ok.Load(), grants(srv, "refresh_token"), rec.count())
	}
	srv.Handler.RotateDPoPNonces()
	if code := get(); code != 200 || rec.count() != 105 || stats()["dpop:use_dpop_nonce:rs"] != 2 {
		t.Fatalf("a new resource nonce: %d after %d exchanges", code, rec.count())
	}
	clk.Add(2 * time.Hour)
	if code := get(); code != 200 || grants(srv, "refresh_token") != 3 || stats()["dpop:use_dpop_nonce:as"] != 2 {
		t.Fatalf("a new token endpoint nonce: %d, %d refresh requests", code, grants(srv, "refresh_token"))
	}
	for _, h := range rec.reqs {
		if a := h.Get("Authorization"); !strings.HasPrefix(a, "DPoP ") || h.Get("Dpop") == "" {
			t.Fatalf("sent %q without a proof or not as DPoP", a)
		}
	}
	if stats()["dpop:sent_as_bearer"] != 0 || stats()["dpop:resource"] != 104 {
		t.Fatalf("stats %v", stats())
	}
}

// A DPoP-bound token is sent with its own key's proofs only, and never as
// Bearer: with another key, or with none, nothing is sent. The server
// refuses it as Bearer too, and refuses a refresh with another key.
func TestDPoPTokenStaysWithItsKey(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	c.ClientID, c.ClientSecret = authtest.OAuthPublicClientID, ""
	c.DPoP = newDPoP(t)
	tok := login(t, c)
	for _, d := range []*oauth2.DPoP{newDPoP(t), nil} {
		other := *c
		other.DPoP = d
		rec := &sent{next: &nethttp.Transport{}}
		client := &authlib.Client{Transport: rec, Auth: &oauth2.Auth{Source: oauth2.NewSource(&other, tok)}}
		_, err := client.Get(context.Background(), srv.URL+"/oauth/api/user")
		if !errors.Is(err, authlib.ErrInvalidCredentials) || rec.count() != 0 {
			t.Fatalf("key %v: %v after %d requests", d != nil, err, rec.count())
		}
		if strings.Contains(err.Error(), tok.AccessToken) {
			t.Fatal("the token is in the error")
		}
	}
	req, _ := http.NewRequest("GET", srv.URL+"/oauth/api/user", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 || srv.Handler.Stats()["dpop:sent_as_bearer"] != 1 {
		t.Fatalf("authtest took a DPoP token as Bearer: %d", res.StatusCode)
	}
	other := *c
	other.DPoP = newDPoP(t)
	if _, err := other.Refresh(context.Background(), tok.RefreshToken); !isCode(err, "invalid_grant") {
		t.Fatalf("a refresh with another key: %v", err)
	}
}

// A server that does not support DPoP ignores the proof and answers with
// a Bearer token (RFC 9449 §5), which is then sent as Bearer, without a
// proof.
func TestDPoPServerWithoutDPoP(t *testing.T) {
	var seen atomic.Value
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"plain-bearer-token","token_type":"Bearer","expires_in":3600}`)
			return
		}
		seen.Store(r.Header.Get("Authorization") + "|" + r.Header.Get("DPoP"))
	}))
	defer ts.Close()
	c := &oauth2.Config{ClientID: "c", ClientSecret: "s", TokenURL: ts.URL + "/token", Transport: &nethttp.Transport{}, DPoP: newDPoP(t)}
	client := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: oauth2.NewSource(c, nil)}}
	res, err := client.Get(context.Background(), ts.URL+"/api")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := seen.Load(); got != "Bearer plain-bearer-token|" {
		t.Fatalf("sent %q", got)
	}
}

// The device flow with DPoP: the polls carry proofs (the first meets the
// server's nonce), and the token it brings is bound to the key.
func TestDPoPDeviceFlow(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, newClock())
	c.ClientID, c.ClientSecret = authtest.OAuthPublicClientID, ""
	c.DPoP = newDPoP(t)
	d, err := c.DeviceAuth(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(d.VerificationURIComplete)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	tok, err := c.DeviceToken(context.Background(), d)
	jkt, _ := c.DPoP.JWK.Thumbprint()
	if err != nil || tok.TokenType != "DPoP" || tok.KeyThumbprint != jkt {
		t.Fatalf("%v %v", tok, err)
	}
	api, err := (&authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: oauth2.NewSource(c, tok)}}).Get(context.Background(), srv.URL+"/oauth/api/user")
	if err != nil {
		t.Fatal(err)
	}
	api.Body.Close()
	if api.StatusCode != 200 || srv.Handler.Stats()["dpop:resource"] != 1 {
		t.Fatalf("the API: %d", api.StatusCode)
	}
}

// A cold client's concurrent first requests to a resource that requires a
// DPoP nonce meet its challenge once: the first learns the nonce and the
// others wait for it, as concurrent first Digest requests wait for one
// challenge (without that, each met the challenge: 50 for 50).
func TestDPoPConcurrentFirstRequestsMeetOneNonceChallenge(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	c.ClientID, c.ClientSecret = authtest.OAuthPublicClientID, ""
	c.DPoP = newDPoP(t)
	state, verifier := oauth2.NewState(), oauth2.NewVerifier()
	tok, err := c.Exchange(context.Background(), callback(t, must(c.AuthCodeURL(state, verifier, nil))), state, verifier)
	if err != nil {
		t.Fatal(err)
	}
	rec := &sent{next: &nethttp.Transport{}}
	client := &authlib.Client{Transport: rec, Auth: &oauth2.Auth{Source: oauth2.NewSource(c, tok)}}
	ok := concurrentGets(t, client, srv.URL+"/oauth/api/user", 50)
	if n := srv.Handler.Stats()["dpop:use_dpop_nonce:rs"]; ok != 50 || n != 1 || rec.count() != 51 {
		t.Fatalf("%d of 50; %d nonce challenges, %d requests", ok, n, rec.count())
	}
	// A server that needs no nonce is learned too: its answer to the
	// first request, without a challenge, lets the others go at once.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	for range 3 {
		res, err := client.Get(context.Background(), plain.URL+"/x")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if rec.count() != 54 {
		t.Fatalf("%d requests", rec.count())
	}
}
