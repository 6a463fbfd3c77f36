package oauth2_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// memKeeper is a TextKeeper in memory with a lock, as a database row
// would be.
type memKeeper struct {
	mu   sync.Mutex
	lock sync.Mutex
	text string
}

func (k *memKeeper) LoadText(context.Context) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.text, nil
}

func (k *memKeeper) SaveText(_ context.Context, text string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.text = text
	return nil
}

func (k *memKeeper) Lock(context.Context) (func(), error) {
	k.lock.Lock()
	return k.lock.Unlock, nil
}

// Ten Sources (ten tabs, ten workers) sharing a TextStore, each with the
// same expired token and 10 requests, send one refresh between them,
// against a server that rotates refresh tokens and refuses a used one.
func TestTextStoreOneRefresh(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	tok := login(t, c)
	expired := *tok
	expired.Expiry = time.Now().Add(-time.Minute)
	keeper := &memKeeper{}
	if err := (&oauth2.TextStore{Config: c, Keeper: keeper}).Save(context.Background(), &expired, nil); err != nil {
		t.Fatal(err)
	}
	before := grants(srv, "refresh_token")
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 10 {
		src := &oauth2.Source{Config: c, Store: &oauth2.TextStore{Config: c, Keeper: keeper}}
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := src.Token(context.Background()); err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := grants(srv, "refresh_token") - before; n != 1 {
		t.Fatalf("%d refreshes for 10 Sources; want 1", n)
	}
	if !strings.Contains(keeper.text, `"client_id":"`+c.ClientID+`"`) || strings.Contains(keeper.text, expired.RefreshToken) {
		t.Fatalf("kept: %.40s…", keeper.text)
	}
}

// What SavedText writes, ParseSaved reads back for the same client; for
// another client, server or scope, or cut short, it is an ErrStore; and a
// TextStore's Save is a compare-and-swap.
func TestSavedText(t *testing.T) {
	c := &oauth2.Config{ClientID: "cli", Issuer: "https://as.example/", Scopes: []string{"read write"}}
	tok := &oauth2.Token{AccessToken: "AT-SECRET", RefreshToken: "RT-SECRET", Scope: "write read", Expiry: time.Unix(2e9, 0)}
	text, err := c.SavedText(tok)
	if err != nil {
		t.Fatal(err)
	}
	back, err := c.ParseSaved(text)
	if err != nil || back.AccessToken != "AT-SECRET" || back.RefreshToken != "RT-SECRET" || !back.Expiry.Equal(tok.Expiry) {
		t.Fatalf("%v %v", back, err)
	}
	// A server may grant less than was asked for (oidc-provider grants a
	// resource's scope only): what was asked for is what is checked.
	narrow, err := c.SavedText(&oauth2.Token{AccessToken: "at", Scope: "read"})
	if back, err := c.ParseSaved(narrow); err != nil || back.Scope != "read" {
		t.Fatalf("a token granted less than asked for: %v %v", back, err)
	}
	for name, other := range map[string]*oauth2.Config{
		"client": {ClientID: "other", Issuer: c.Issuer},
		"server": {ClientID: "cli", Issuer: "https://evil.example"},
		"scope":  {ClientID: "cli", Issuer: c.Issuer, Scopes: []string{"admin"}},
	} {
		if tok, err := other.ParseSaved(text); tok != nil || !errors.Is(err, oauth2.ErrStore) || strings.Contains(err.Error(), "SECRET") {
			t.Fatalf("another %s: %v %v", name, tok, err)
		}
	}
	if tok, err := c.ParseSaved(text[:len(text)/2]); tok != nil || !errors.Is(err, oauth2.ErrStore) {
		t.Fatalf("cut short: %v %v", tok, err)
	}
	s := &oauth2.TextStore{Config: c, Keeper: &memKeeper{text: text}}
	if err := s.Save(context.Background(), &oauth2.Token{AccessToken: "new"}, &oauth2.Token{AccessToken: "stale"}); !errors.Is(err, oauth2.ErrConflict) {
		t.Fatalf("a stale save: %v", err)
	}
	if err := s.Save(context.Background(), nil, back); err != nil {
		t.Fatal(err)
	}
	if tok, err := s.Load(context.Background()); tok != nil || err != nil {
		t.Fatalf("after a delete: %v %v", tok, err)
	}
}

// A Source that has not loaded the saved login yet (a CLI's logout
// command, a service worker just restarted) logs that one out: revoked,
// and gone from the store.
func TestLogoutOfASavedLogin(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	c.RevocationURL = srv.URL + "/oauth/revoke"
	tok := login(t, c)
	keeper := &memKeeper{}
	store := &oauth2.TextStore{Config: c, Keeper: keeper}
	if err := store.Save(context.Background(), tok, nil); err != nil {
		t.Fatal(err)
	}
	before := srv.Handler.Stats()["/oauth/revoke"]
	if err := (&oauth2.Source{Config: c, Store: store}).Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if keeper.text != "" || srv.Handler.Stats()["/oauth/revoke"]-before != 2 {
		t.Fatalf("after the logout: kept %d bytes, %d revocations", len(keeper.text), srv.Handler.Stats()["/oauth/revoke"]-before)
	}
}

// A short-lived token saved by one Source serves another: its lifetime
// comes back with it (expires_in), so it is not taken for one within
// DefaultSkew of its expiry and renewed by every Source that loads it.
func TestStoreKeepsShortLifetimes(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	tok := login(t, c)
	text, err := c.SavedText(&oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, Scope: tok.Scope, Expiry: time.Now().Add(8 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	keeper := &memKeeper{text: text}
	before := grants(srv, "refresh_token")
	got, err := (&oauth2.Source{Config: c, Store: &oauth2.TextStore{Config: c, Keeper: keeper}}).Token(context.Background())
	if err != nil || got.AccessToken != tok.AccessToken || grants(srv, "refresh_token") != before {
		t.Fatalf("an 8 s token from the store: %v, %d refreshes", err, grants(srv, "refresh_token")-before)
	}
}

// downStore is a Store that cannot be reached: every call fails with
// ErrStore (Redis down).
type downStore struct{}

func (downStore) Load(context.Context) (*oauth2.Token, error) {
	return nil, &authlib.Error{Kind: oauth2.ErrStore, Detail: "down"}
}
func (downStore) Save(context.Context, *oauth2.Token, *oauth2.Token) error {
	return &authlib.Error{Kind: oauth2.ErrStore, Detail: "down"}
}
func (downStore) Lock(context.Context) (func(), error) {
	return nil, &authlib.Error{Kind: oauth2.ErrStore, Detail: "down"}
}

// A store that cannot be reached leaves the token held serving until it
// expires (within its last seconds the Source would renew it, and cannot);
// past its expiry, the store's error is the answer, and nothing is sent.
func TestStoreDownTokenHeldServesUntilExpiry(t *testing.T) {
	clk := newClock()
	c := &oauth2.Config{ClientID: "cli", TokenURL: "http://127.0.0.1:9/token", Transport: authlib.TransportFunc(func(*authlib.Request) (*authlib.Response, error) {
		t.Fatal("a token request with the store down")
		return nil, nil
	})}
	c.Now = clk.Now
	s := oauth2.NewSource(c, &oauth2.Token{AccessToken: "held", TokenType: "Bearer", RefreshToken: "r", Expiry: clk.Now().Add(5 * time.Second)})
	s.Store = downStore{}
	if tok, err := s.Token(context.Background()); err != nil || tok.AccessToken != "held" {
		t.Fatalf("within its life: %v %v", tok, err)
	}
	clk.Add(6 * time.Second)
	if tok, err := s.Token(context.Background()); !errors.Is(err, oauth2.ErrStore) || tok != nil {
		t.Fatalf("past its life: %v %v", tok, err)
	}
}

// With a Store, a refresh token the server refused for good is not the end:
// another process may log in again and save a new token, and the next
// Token loads it. A Source kept across calls (the JS API keeps one per
// store) would otherwise answer the old refusal until it is thrown away.
// The refused refresh token itself is not sent again.
func TestStoreRefusedRefreshTokenGivesWayToANewLogin(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	keeper := &memKeeper{}
	store := &oauth2.TextStore{Config: c, Keeper: keeper}
	bad := &oauth2.Token{AccessToken: "old", TokenType: "Bearer", RefreshToken: "refused", Expiry: time.Now().Add(-time.Minute)}
	if err := store.Save(context.Background(), bad, nil); err != nil {
		t.Fatal(err)
	}
	src := &oauth2.Source{Config: c, Store: store}
	if _, err := src.Token(context.Background()); !isCode(err, "invalid_grant") {
		t.Fatalf("refused refresh token: %v", err)
	}
	before := grants(srv, "refresh_token")
	if _, err := src.Token(context.Background()); !isCode(err, "invalid_grant") || grants(srv, "refresh_token") != before {
		t.Fatalf("again, with nothing new saved: %v, %d refreshes sent", err, grants(srv, "refresh_token")-before)
	}
	fresh := login(t, c) // another process logs in and saves its token
	prev, _ := store.Load(context.Background())
	if err := store.Save(context.Background(), fresh, prev); err != nil {
		t.Fatal(err)
	}
	got, err := src.Token(context.Background())
	if err != nil || got.AccessToken != fresh.AccessToken {
		t.Fatalf("after a new login was saved: %v, %v", got, err)
	}
}
