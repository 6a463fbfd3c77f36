//go:build js && wasm

package main

import (
	"context"
	"net/url"
	"strings"
	"syscall/js"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/authlib-go/authlib/web/ui/view"
	"honnef.co/go/js/dom/v2"
)

// OAuth on the page. Every token request goes through the page's recorder,
// so the token exchange shows beside the API call; every token, code and
// verifier the page learns is masked like a password.

// loginKey is where a browser login keeps its state and verifier while the
// browser is at the authorization server.
const loginKey = "authlib-demo-login"

// oauthAuth returns the scheme for the form's OAuth flow. The device flow
// shows its code and waits here for the approval; a browser login leaves
// the page (leaving) and comes back to resumeLogin.
func (p *page) oauthAuth() (auth authlib.Auth, leaving bool, err error) {
	c := p.form.OAuthConfig(p.rec, redirectURI())
	switch p.form.Flow {
	case view.FlowDevice:
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		d, err := c.DeviceAuth(ctx)
		if err != nil {
			return nil, false, err
		}
		p.learn(d.DeviceCode)
		byID[dom.HTMLElement]("oauth-user-code").SetTextContent(d.UserCode)
		link := byID[*dom.HTMLAnchorElement]("oauth-verify")
		link.SetHref(d.VerificationURIComplete)
		link.SetTextContent(d.VerificationURI)
		setHidden("oauth-device", false)
		defer setHidden("oauth-device", true)
		tok, err := c.DeviceToken(ctx, d)
		if err != nil {
			return nil, false, err
		}
		return p.bearer(c, tok), false, nil
	case view.FlowPKCE, view.FlowDPoP:
		state, verifier := oauth2.NewState(), oauth2.NewVerifier()
		var u string
		if p.form.Flow == view.FlowDPoP {
			// A new key, kept for the way back; the request is pushed
			// with a proof of it, and the code bound to it.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if c.DPoP, err = dpopKey(ctx, true); err != nil {
				return nil, false, err
			}
			u, err = c.PushAuthCodeURL(ctx, state, verifier, nil)
		} else {
			u, err = c.AuthCodeURL(state, verifier, nil)
		}
		if err != nil {
			return nil, false, err
		}
		storage().SetItem(loginKey, state+" "+verifier+" "+p.form.Flow+" "+c.ClientID)
		doc.(dom.HTMLDocument).Location().SetHref(u)
		return nil, true, nil
	}
	return p.bearer(c, nil), false, nil
}

// bearer is the scheme over a Source that starts from tok (nil: client
// credentials), and teaches the page every token it gets.
func (p *page) bearer(c *oauth2.Config, tok *oauth2.Token) authlib.Auth {
	s := oauth2.NewSource(c, tok)
	s.OnToken = p.learnToken
	if tok != nil {
		p.learnToken(tok)
	}
	return &oauth2.Auth{Source: s}
}

func (p *page) learnToken(t *oauth2.Token) { p.learn(t.AccessToken, t.RefreshToken, t.IDToken) }

func (p *page) learn(secrets ...string) {
	for _, s := range secrets {
		if s != "" {
			p.learned = append(p.learned, s)
		}
	}
}

// redirectURI is this page's address without query: where a browser login
// comes back to.
func redirectURI() string {
	u := doc.(dom.HTMLDocument).URL()
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

// storage is the page's sessionStorage, which dom/v2 does not wrap.
type sessionStore struct{ v js.Value }

func storage() sessionStore { return sessionStore{js.Global().Get("sessionStorage")} }

func (s sessionStore) SetItem(k, v string) { s.v.Call("setItem", k, v) }

func (s sessionStore) RemoveItem(k string) { s.v.Call("removeItem", k) }

func (s sessionStore) GetItem(k string) string {
	if v := s.v.Call("getItem", k); v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}

// resumeLogin finishes a browser login when the page is loaded back from
// the authorization server: it exchanges the code, takes the code out of
// the address bar, and calls the API.
func (p *page) resumeLogin() {
	saved := storage().GetItem(loginKey)
	here := doc.(dom.HTMLDocument).URL()
	q := url.Values{}
	if u, err := url.Parse(here); err == nil {
		q = u.Query()
	}
	if saved == "" || q.Get("state") == "" {
		return
	}
	storage().RemoveItem(loginKey)
	parts := strings.SplitN(saved, " ", 4)
	if len(parts) != 4 {
		return
	}
	state, verifier, flow, client := parts[0], parts[1], parts[2], parts[3]
	p.learn(verifier, q.Get("code"))
	js.Global().Get("history").Call("replaceState", nil, "", redirectURI()) // dom/v2's History is not implemented
	// The form as it was: OAuth, browser login, that client.
	byID[*dom.HTMLInputElement]("scheme-oauth2").SetChecked(true)
	byID[*dom.HTMLSelectElement]("oauth-flow").SetValue(flow)
	p.readForm()
	p.form.Right()
	p.form.Username = client
	p.writeCreds()
	p.refresh()
	p.busy = true
	go func() {
		defer func() { p.busy = false }()
		p.rec = &recorder{base: p.recBase()}
		c := p.form.OAuthConfig(p.rec, redirectURI())
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var err error
		if flow == view.FlowDPoP {
			c.DPoP, err = dpopKey(ctx, false)
		}
		var tok *oauth2.Token
		if err == nil {
			tok, err = c.Exchange(ctx, here, state, verifier)
		}
		if err == nil {
			p.client = &authlib.Client{Transport: p.rec, Auth: p.bearer(c, tok), Timeout: 15 * time.Second}
			p.key = p.form.Key()
		}
		p.finish(err)
	}()
}
