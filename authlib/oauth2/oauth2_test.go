package oauth2_test

import (
	"context"
	"errors"
	"fmt"
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

// clock is an injected clock; Sleep advances it and records the waits.
type clock struct {
	mu      sync.Mutex
	now     time.Time
	slept   []time.Duration
	onSleep func(n int)
}

func newClock() *clock { return &clock{now: time.Now()} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	n, f := len(c.slept), c.onSleep
	c.mu.Unlock()
	if f != nil {
		f(n)
	}
	return nil
}

func config(srv *authtest.Server, clk *clock) *oauth2.Config {
	c := &oauth2.Config{
		ClientID: authtest.OAuthClientID, ClientSecret: authtest.OAuthClientSecret,
		TokenURL: srv.URL + "/oauth/token", AuthURL: srv.URL + "/oauth/authorize", DeviceURL: srv.URL + "/oauth/device",
		RedirectURL: "http://127.0.0.1/callback", Scopes: []string{"read:user"},
		Transport: &nethttp.Transport{},
	}
	if clk != nil {
		c.Now, c.Sleep = clk.Now, clk.Sleep
	}
	return c
}

func grants(srv *authtest.Server, g string) int { return srv.Handler.Stats()["grant:"+g] }

// RFC 7636 Appendix B.
func TestPKCEVector(t *testing.T) {
	if got := oauth2.S256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Fatalf("S256 = %s", got)
	}
	v := oauth2.NewVerifier()
	if len(v) < 43 || v == oauth2.NewVerifier() {
		t.Fatalf("verifier %q", v)
	}
}

func TestClientCredentials(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	for _, style := range []oauth2.AuthStyle{oauth2.AuthAuto, oauth2.AuthBasic, oauth2.AuthPost} {
		c := config(srv, nil)
		c.AuthStyle = style
		tok, err := c.ClientCredentials(context.Background())
		if err != nil || tok.AccessToken == "" || tok.TokenType != "Bearer" || tok.Scope != "read:user" || tok.Expiry.IsZero() {
			t.Fatalf("style %d: %v %v", style, tok, err)
		}
	}
	c := config(srv, nil)
	c.ClientSecret = "wrong"
	_, err := c.ClientCredentials(context.Background())
	var e *oauth2.Error
	if !errors.As(err, &e) || e.Code != "invalid_client" || !errors.Is(err, oauth2.ErrOAuth) || e.StatusCode != 401 {
		t.Fatalf("wrong secret: %v", err)
	}
	if n := grants(srv, "client_credentials"); n != 4 {
		t.Errorf("%d client_credentials requests; want 4", n)
	}
}

// callback follows the authorization endpoint's redirect by hand, as a
// browser would, and returns where it sends the browser back.
func callback(t *testing.T, authURL string) string {
	t.Helper()
	res, err := (&http.Transport{}).RoundTrip(mustReq(t, authURL))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 302 {
		t.Fatalf("authorize: %d", res.StatusCode)
	}
	return res.Header.Get("Location")
}

func mustReq(t *testing.T, u string) *http.Request {
	r, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAuthorizationCodePKCE(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	for _, public := range []bool{false, true} {
		c := config(srv, nil)
		if public {
			c.ClientID, c.ClientSecret = authtest.OAuthPublicClientID, ""
		}
		state, verifier := oauth2.NewState(), oauth2.NewVerifier()
		u, err := c.AuthCodeURL(state, verifier, nil)
		if err != nil {
			t.Fatal(err)
		}
		pu, _ := url.Parse(u)
		if q := pu.Query(); q.Get("code_challenge") != oauth2.S256(verifier) || q.Get("code_challenge_method") != "S256" || q.Get("state") != state {
			t.Fatalf("authorization URL %s", u)
		}
		cb := callback(t, u)
		if _, err := c.Exchange(context.Background(), cb, oauth2.NewState(), verifier); !errors.Is(err, oauth2.ErrCallback) {
			t.Fatalf("another state: %v", err)
		}
		tok, err := c.Exchange(context.Background(), cb, state, verifier)
		if err != nil || tok.AccessToken == "" || tok.RefreshToken == "" {
			t.Fatalf("public %v: %v %v", public, tok, err)
		}
		// A code is used once; a wrong verifier is refused.
		if _, err := c.Exchange(context.Background(), cb, state, verifier); !isCode(err, "invalid_grant") {
			t.Fatalf("code reused: %v", err)
		}
		cb = callback(t, must(c.AuthCodeURL(state, verifier, nil)))
		if _, err := c.Exchange(context.Background(), cb, state, oauth2.NewVerifier()); !isCode(err, "invalid_grant") {
			t.Fatalf("wrong verifier: %v", err)
		}
	}
	// The server's refusal comes back in the callback.
	c := config(srv, nil)
	state, verifier := oauth2.NewState(), oauth2.NewVerifier()
	cb := callback(t, must(c.AuthCodeURL(state, verifier, url.Values{"login_hint": {"deny"}})))
	_, err := c.Exchange(context.Background(), cb, state, verifier)
	var e *oauth2.Error
	if !errors.As(err, &e) || e.Code != "access_denied" || e.Description != "The user said no" {
		t.Fatalf("denied: %v", err)
	}
	if n := grants(srv, "authorization_code"); n != 6 {
		t.Errorf("%d code exchanges; want 6", n)
	}
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

func isCode(err error, code string) bool {
	var e *oauth2.Error
	return errors.As(err, &e) && e.Code == code
}

// login returns a token with a refresh token, from the code flow.
func login(t *testing.T, c *oauth2.Config) *oauth2.Token {
	t.Helper()
	state, verifier := oauth2.NewState(), oauth2.NewVerifier()
	tok, err := c.Exchange(context.Background(), callback(t, must(c.AuthCodeURL(state, verifier, nil))), state, verifier)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Refresh tokens rotate; the hook sees every new token once; a server that
// sends no refresh token keeps the old one.
func TestRefreshRotationAndHook(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	clk := newClock()
	c := config(srv, clk)
	first := login(t, c)
	var saved []*oauth2.Token
	s := oauth2.NewSource(c, first)
	s.OnToken = func(t *oauth2.Token) { saved = append(saved, t) }
	ctx := context.Background()
	if tok, _ := s.Token(ctx); tok != first {
		t.Fatal("a valid token was renewed")
	}
	for i := 0; i < 3; i++ {
		clk.Add(2 * time.Hour)
		tok, err := s.Token(ctx)
		if err != nil || tok == first {
			t.Fatalf("renewal %d: %v", i, err)
		}
	}
	if len(saved) != 3 || grants(srv, "refresh_token") != 3 {
		t.Fatalf("%d hook calls, %d refreshes; want 3 and 3", len(saved), grants(srv, "refresh_token"))
	}
	if saved[0].RefreshToken == first.RefreshToken || saved[1].RefreshToken == saved[0].RefreshToken {
		t.Fatal("the rotated refresh token was not kept")
	}
	// The old refresh token was rotated out.
	if _, err := c.Refresh(ctx, first.RefreshToken); !isCode(err, "invalid_grant") {
		t.Fatalf("rotated refresh token: %v", err)
	}
	// Skew: a token 5 s from expiry is renewed (default skew 10 s).
	clk.Add(2 * time.Hour)
	tok, _ := s.Token(ctx)
	clk.Add(tok.Expiry.Sub(clk.Now()) - 5*time.Second)
	if again, _ := s.Token(ctx); again == tok {
		t.Fatal("a token within the skew of its expiry was used")
	}
}

// A server that sends no refresh token back keeps the old one.
func TestRefreshKeepsOldRefreshToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"new","token_type":"bearer","expires_in":"60"}`)
	}))
	defer srv.Close()
	c := &oauth2.Config{ClientID: "x", TokenURL: srv.URL, Transport: &nethttp.Transport{}}
	tok, err := c.Refresh(context.Background(), "keep-me")
	if err != nil || tok.RefreshToken != "keep-me" || tok.AccessToken != "new" || tok.Expiry.IsZero() {
		t.Fatalf("%v %v", tok, err)
	}
}

// 100 concurrent requests after expiry cause exactly one refresh, and all
// succeed with the new token.
func TestSingleFlight(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	clk := newClock()
	c := config(srv, clk)
	var hooks atomic.Int32
	s := oauth2.NewSource(c, login(t, c))
	s.OnToken = func(*oauth2.Token) { hooks.Add(1) }
	clk.Add(2 * time.Hour)
	client := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: s}}
	var wg sync.WaitGroup
	var ok atomic.Int32
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := client.Get(context.Background(), srv.URL+"/oauth/api/user")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 200 {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 100 || grants(srv, "refresh_token") != 1 || hooks.Load() != 1 {
		t.Fatalf("%d of 100 succeeded with %d refreshes and %d hook calls; want 100, 1, 1", ok.Load(), grants(srv, "refresh_token"), hooks.Load())
	}
}

// A refused refresh fails every waiter with the same error, and is not
// tried again.
func TestFailedRefreshFailsTogether(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	clk := newClock()
	c := config(srv, clk)
	tok := login(t, c)
	revoke(t, srv, tok.RefreshToken)
	s := oauth2.NewSource(c, tok)
	s.Fetch = nil
	clk.Add(2 * time.Hour)
	errs := make([]error, 100)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); _, errs[i] = s.Token(context.Background()) }()
	}
	wg.Wait()
	for _, err := range errs {
		if !isCode(err, "invalid_grant") || err.Error() != errs[0].Error() {
			t.Fatalf("%v; want invalid_grant as %v", err, errs[0])
		}
	}
	if _, err := s.Token(context.Background()); !isCode(err, "invalid_grant") {
		t.Fatalf("after: %v", err)
	}
	if n := grants(srv, "refresh_token"); n != 1 {
		t.Fatalf("%d refresh requests; want 1", n)
	}
}

func revoke(t *testing.T, srv *authtest.Server, token string) {
	t.Helper()
	res, err := http.PostForm(srv.URL+"/oauth/revoke", url.Values{"token": {token}, "client_id": {authtest.OAuthClientID}, "client_secret": {authtest.OAuthClientSecret}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
}

// A revoked access token: the 401 invalid_token costs one refresh, and the
// request succeeds; a 403 insufficient_scope is the answer as it is.
func TestInvalidTokenRefreshesOnce(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	tok := login(t, c)
	s := oauth2.NewSource(c, tok)
	client := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: s}}
	get := func(path string) int {
		res, err := client.Get(context.Background(), srv.URL+path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get("/oauth/api/user"); code != 200 {
		t.Fatalf("first: %d", code)
	}
	revoke(t, srv, tok.AccessToken)
	if code := get("/oauth/api/user"); code != 200 {
		t.Fatalf("after revocation: %d", code)
	}
	if n, ex := grants(srv, "refresh_token"), srv.Handler.Stats()["/oauth/api/user"]; n != 1 || ex != 3 {
		t.Fatalf("%d refreshes, %d exchanges; want 1 and 3", n, ex)
	}
	if code := get("/oauth/api/admin"); code != 403 || grants(srv, "refresh_token") != 1 {
		t.Fatalf("insufficient scope: %d, %d refreshes", code, grants(srv, "refresh_token"))
	}
	// Without a way to renew, the 401 is the answer.
	bare := &oauth2.Source{Config: c}
	bare.SetToken(&oauth2.Token{AccessToken: "unknown"})
	client.Auth = &oauth2.Auth{Source: bare}
	if code := get("/oauth/api/user"); code != 401 {
		t.Fatalf("no refresh possible: %d", code)
	}
}

// The device flow: authorization_pending polls on, slow_down adds 5 s, and
// access_denied and expiry end it; an injected clock, no real sleeping.
func TestDeviceFlow(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	clk := newClock()
	c := config(srv, clk)
	c.DeviceURL = srv.URL + "/oauth/device?slow_down=1&interval=3"
	ctx := context.Background()
	d, err := c.DeviceAuth(ctx)
	if err != nil || d.UserCode == "" || !strings.Contains(d.VerificationURIComplete, "user_code=") || d.Interval != 3*time.Second {
		t.Fatalf("%v %v", d, err)
	}
	clk.onSleep = func(n int) {
		if n == 3 { // approved while the client waits for the third poll
			http.Get(d.VerificationURIComplete)
		}
	}
	tok, err := c.DeviceToken(ctx, d)
	if err != nil || tok.AccessToken == "" {
		t.Fatal(err)
	}
	// poll 1: slow_down (3 → 8 s); poll 2: pending; poll 3: approved.
	if want := []time.Duration{3 * time.Second, 8 * time.Second, 8 * time.Second}; fmt.Sprint(clk.slept) != fmt.Sprint(want) {
		t.Fatalf("waits %v; want %v", clk.slept, want)
	}
	// Denied.
	c.DeviceURL = srv.URL + "/oauth/device"
	d, _ = c.DeviceAuth(ctx)
	http.Get(d.VerificationURIComplete + "&deny=1")
	if _, err := c.DeviceToken(ctx, d); !isCode(err, "access_denied") {
		t.Fatalf("denied: %v", err)
	}
	// Never approved: the code expires (600 s) on the client's clock.
	clk.onSleep = nil
	d, _ = c.DeviceAuth(ctx)
	if _, err := c.DeviceToken(ctx, d); !isCode(err, "expired_token") {
		t.Fatalf("expiry: %v", err)
	}
	// Cancelled.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.DeviceToken(cctx, d); !errors.Is(err, authlib.ErrCanceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

// Every RFC 6749 §5.2 and RFC 8628 §3.5 error code comes back as an Error
// with its code and description.
func TestOAuthErrorCodes(t *testing.T) {
	var code atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"error":%q,"error_description":"because \u00e9","error_uri":"https://as/e"}`, code.Load())
	}))
	defer srv.Close()
	c := &oauth2.Config{ClientID: "x", ClientSecret: "y", TokenURL: srv.URL, Transport: &nethttp.Transport{}}
	for _, want := range []string{"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
		"unsupported_grant_type", "invalid_scope", "authorization_pending", "slow_down", "access_denied", "expired_token"} {
		code.Store(want)
		_, err := c.ClientCredentials(context.Background())
		var e *oauth2.Error
		if !errors.As(err, &e) || e.Code != want || e.Description != "because é" || e.URI != "https://as/e" || e.StatusCode != 400 {
			t.Errorf("%s: %#v", want, err)
		}
	}
}

// Malformed token responses are errors of their own kind.
func TestMalformedTokenResponse(t *testing.T) {
	var body atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body.Load().(string))
	}))
	defer srv.Close()
	c := &oauth2.Config{ClientID: "x", ClientSecret: "y", TokenURL: srv.URL, Transport: &nethttp.Transport{}}
	for _, b := range []string{`not json`, `{}`, `{"access_token":""}`, `{"access_token":"a","token_type":"mac"}`,
		`{"access_token":"a b"}`, `{"access_token":"a","expires_in":"soon"}`, `[1]`, `{"access_token":"a","refresh_token":7}`} {
		body.Store(b)
		if _, err := c.ClientCredentials(context.Background()); !errors.Is(err, oauth2.ErrTokenResponse) {
			t.Errorf("%s: %v", b, err)
		}
	}
	body.Store(`{"access_token":"a"}`)
	if tok, err := c.ClientCredentials(context.Background()); err != nil || tok.TokenType != "Bearer" {
		t.Errorf("no token_type is Bearer: %v %v", tok, err)
	}
}

func TestDiscovery(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := &oauth2.Config{ClientID: authtest.OAuthClientID, ClientSecret: authtest.OAuthClientSecret, Transport: &nethttp.Transport{}}
	m, err := c.Discover(context.Background(), srv.URL)
	if err != nil || m.Issuer != srv.URL || c.TokenURL != srv.URL+"/oauth/token" || c.DeviceURL == "" || c.AuthURL == "" {
		t.Fatalf("%+v %v", m, err)
	}
	if _, err := c.ClientCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Under a path, RFC 8414's URL is at the root (absent here): OpenID's
	// form under the issuer answers.
	mux := http.NewServeMux()
	mux.Handle("/tenant/", http.StripPrefix("/tenant", authtest.NewHandler()))
	sub := httptest.NewServer(mux)
	defer sub.Close()
	if m, err := oauth2.Discover(context.Background(), &nethttp.Transport{}, sub.URL+"/tenant"); err != nil || m.TokenEndpoint != sub.URL+"/tenant/oauth/token" {
		t.Fatalf("under a path: %+v %v", m, err)
	}
	// Metadata naming another issuer is refused.
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"issuer":"https://evil.example","token_endpoint":"https://evil.example/token"}`)
	}))
	defer liar.Close()
	if _, err := oauth2.Discover(context.Background(), &nethttp.Transport{}, liar.URL); !errors.Is(err, oauth2.ErrMetadata) {
		t.Fatalf("another issuer: %v", err)
	}
}

// The bearer token follows the Client's origin policy: a redirect to
// another origin does not carry it.
func TestTokenStaysWithOrigin(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	var got atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("Authorization") + "|")
	}))
	defer other.Close()
	c := config(srv, nil)
	client := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: oauth2.NewSource(c, nil)}}
	res, err := client.Get(context.Background(), srv.URL+"/redirect-to?url="+url.QueryEscape(other.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if v, _ := got.Load().(string); v != "|" {
		t.Fatalf("the other origin got Authorization %q", v)
	}
}

// No secret, code, verifier or token appears in an error or a printed value.
func TestSecretsStayOut(t *testing.T) {
	const secret = "S3NT1NEL-secret"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		// A careless server echoes what it got.
		fmt.Fprintf(w, `{"error":"invalid_grant","error_description":"bad %s %s %s"}`,
			r.PostForm.Get("code"), r.PostForm.Get("code_verifier"), r.PostForm.Get("refresh_token"))
	}))
	defer srv.Close()
	c := &oauth2.Config{ClientID: "x", ClientSecret: secret, TokenURL: srv.URL + "/?t=" + secret, AuthURL: srv.URL, Transport: &nethttp.Transport{}}
	ctx := context.Background()
	var errs []error
	_, err := c.Refresh(ctx, secret+"-refresh")
	errs = append(errs, err)
	_, err = c.Exchange(ctx, "http://cb/?code="+secret+"-code&state=st", "st", secret+"-verifier-0123456789012345678901234567890")
	errs = append(errs, err)
	_, err = c.Exchange(ctx, "http://cb/?code="+secret+"&state=other", "st", "v")
	errs = append(errs, err)
	_, err = c.Exchange(ctx, "http://cb/?error=access_denied&error_description="+secret+"&code="+secret+"&state=st", "st", "v")
	errs = append(errs, err)
	_, err = oauth2.ParseToken(`{"access_token":"`+secret+` x"}`, time.Now())
	errs = append(errs, err)
	tok := &oauth2.Token{AccessToken: secret, RefreshToken: secret}
	d := oauth2.DeviceAuth{DeviceCode: secret, UserCode: "U"}
	for _, e := range errs {
		if e == nil {
			t.Fatal("no error")
		}
	}
	for _, v := range []any{errs[0], errs[1], errs[2], errs[3], errs[4], tok, *tok, c, *c, d, &d, oauth2.Auth{}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			if s := fmt.Sprintf(verb, v); strings.Contains(s, secret) {
				t.Errorf("%s of %T: %s", verb, v, s)
			}
		}
	}
}

// A token saved as JSON reads back, in requests-oauthlib's form.
func TestTokenJSON(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	tok := &oauth2.Token{AccessToken: "a\"b", RefreshToken: "r", Expiry: now.Add(time.Hour), Scope: "read:user", IDToken: "id"}
	s := tok.JSON(now)
	if !strings.Contains(s, `"expires_in":3600`) || !strings.Contains(s, `"expires_at":1700003600`) || !strings.Contains(s, `"token_type":"Bearer"`) {
		t.Fatalf("JSON %s", s)
	}
	back, err := oauth2.ParseToken(s, now.Add(10*time.Minute))
	if err != nil || back.AccessToken != tok.AccessToken || !back.Expiry.Equal(tok.Expiry) || back.RefreshToken != "r" || back.IDToken != "id" {
		t.Fatalf("%v %v", back, err)
	}
}

// RFC 9207: the callback's iss must be the issuer the login started with,
// compared as strings,
// and a server whose metadata says it sends iss must send it. A refused
// callback spends no code.
func TestCallbackIssuer(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c := &oauth2.Config{ClientID: authtest.OAuthClientID, ClientSecret: authtest.OAuthClientSecret,
		RedirectURL: "http://127.0.0.1/callback", Transport: &nethttp.Transport{}}
	m, err := c.Discover(ctx, srv.URL) // fills the Issuer too
	if err != nil || !m.IssParameterSupported || c.Issuer != srv.URL {
		t.Fatalf("metadata %+v, %v, Issuer %q: want iss supported, the Issuer set", m, err, c.Issuer)
	}
	state, verifier := oauth2.NewState(), oauth2.NewVerifier()
	cb := callback(t, must(c.AuthCodeURL(state, verifier, nil)))
	u, _ := url.Parse(cb)
	if got := u.Query().Get("iss"); got != srv.URL {
		t.Fatalf("the callback's iss is %q; want %q", got, srv.URL)
	}
	with := func(iss string) string {
		q := u.Query()
		if iss == "" {
			q.Del("iss")
		} else {
			q.Set("iss", iss)
		}
		v := *u
		v.RawQuery = q.Encode()
		return v.String()
	}
	before := grants(srv, "authorization_code")
	// Compared exactly (RFC 9207 §2.4): no slash added, no case folded.
	for name, bad := range map[string]string{"another issuer": with("https://as.example"), "no iss": with(""),
		"a final slash": with(srv.URL + "/"), "the scheme in capitals": with("HTTP" + strings.TrimPrefix(srv.URL, "http"))} {
		if _, err := c.Exchange(ctx, bad, state, verifier); !errors.Is(err, oauth2.ErrCallback) || !strings.Contains(err.Error(), "RFC 9207") {
			t.Errorf("%s: %v; want ErrCallback, naming RFC 9207", name, err)
		}
	}
	if n := grants(srv, "authorization_code"); n != before {
		t.Errorf("a refused callback made %d token requests", n-before)
	}
	if _, err := c.Exchange(ctx, cb, state, verifier); err != nil {
		t.Fatalf("the callback as sent: %v", err)
	}
}

// concurrentGets sends n GETs of u through client at once, and returns how
// many got a 200.
func concurrentGets(t *testing.T, client *authlib.Client, u string, n int) int {
	t.Helper()
	var wg sync.WaitGroup
	var ok atomic.Int32
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := client.Get(context.Background(), u)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode == 200 {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(ok.Load())
}

// An OAuth server's refusal met while applying the token is the answer in
// one layer: the server's error, not "the Auth returned an error" around
// it (seen before: three nested messages).
func TestOAuthRefusalIsOneLayer(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	c.ClientSecret = authtest.OAuthClientSecret
	src := oauth2.NewSource(c, &oauth2.Token{AccessToken: "old", TokenType: "Bearer", RefreshToken: "not-a-refresh-token", Expiry: time.Now().Add(-time.Hour)})
	_, err := (&authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: src}}).Get(context.Background(), srv.URL+"/oauth/api/user")
	var oe *oauth2.Error
	if !errors.As(err, &oe) || oe.Code != "invalid_grant" || !strings.HasPrefix(err.Error(), "authlib: oauth2 error invalid_grant") || strings.Count(err.Error(), "authlib:") != 1 {
		t.Fatalf("%v", err)
	}
}
