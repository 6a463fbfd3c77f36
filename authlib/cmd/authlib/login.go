package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// A login to a protected resource, as MCP clients log in: from its 401,
// the resource's metadata (RFC 9728), its server's, a registration (RFC
// 7591), and the authorization code with PKCE in the browser, back to a
// loopback address (RFC 8252). What it keeps, in the config folder
// ($AUTHLIB_CONFIG_DIR, or the system's, then authlib/logins): for each
// resource a file of what the client is (login.json) and its token, 0600
// and shared by every run under the file store's lock (token.json), so
// that later calls to the resource use it and renew it once between them.

// saved is what login.json keeps.
type saved struct {
	Resource string   `json:"resource"`
	Issuer   string   `json:"issuer"`
	ClientID string   `json:"client_id"`
	Scopes   []string `json:"scopes,omitempty"`
}

func configDir() (string, error) {
	if d := os.Getenv("AUTHLIB_CONFIG_DIR"); d != "" {
		return filepath.Join(d, "logins"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", usageError{"no config folder for the logins: set AUTHLIB_CONFIG_DIR"}
	}
	return filepath.Join(d, "authlib", "logins"), nil
}

// loginDir is the folder of the login to resource.
func loginDir(resource string) (string, error) {
	d, err := configDir()
	if err != nil {
		return "", err
	}
	h := sha256.Sum256([]byte(resource))
	return filepath.Join(d, hex.EncodeToString(h[:8])), nil
}

// config is the client of a saved login.
func (s *saved) config() *oauth2.Config {
	return &oauth2.Config{Issuer: s.Issuer, ClientID: s.ClientID, Scopes: s.Scopes, Resources: []string{s.Resource}, Transport: &nethttp.Transport{}}
}

// source is the token source of a saved login, over its file store.
func (s *saved) source(dir string) *oauth2.Source {
	c := s.config()
	src := oauth2.NewSource(c, nil)
	src.Store = oauth2.NewFileStore(filepath.Join(dir, "token.json"), c)
	return src
}

// findLogin returns the saved login whose resource u is within, or nil.
func findLogin(u *url.URL) (*saved, string, error) {
	root, err := configDir()
	if err != nil {
		return nil, "", err
	}
	entries, _ := os.ReadDir(root)
	var best *saved
	bestDir := ""
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(root, e.Name(), "login.json"))
		if err != nil {
			continue
		}
		var s saved
		if json.Unmarshal(b, &s) != nil || !authlib.WithinResource(s.Resource, u) {
			continue
		}
		if best == nil || len(s.Resource) > len(best.Resource) { // the narrowest resource
			best, bestDir = &s, filepath.Join(root, e.Name())
		}
	}
	return best, bestDir, nil
}

// login logs in to the resource at o.url and keeps the login.
func login(ctx context.Context, o *options, t *terminal) (int, error) {
	u, err := authlib.ParseURL(o.url)
	if err != nil {
		return exitUsage, err
	}
	u.RawQuery, u.Fragment = "", ""
	resource := u.String()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return exitNetwork, err
	}
	defer l.Close()
	redirect := "http://" + l.Addr().String() + "/callback"
	c := &oauth2.Config{Transport: &nethttp.Transport{}, RedirectURL: redirect}
	if o.scope != "" {
		c.Scopes = strings.Fields(o.scope)
	}
	rl := &oauth2.ResourceLogin{Resource: resource, Config: c, Authorize: func(ctx context.Context, authURL string) (string, error) {
		return browserLogin(ctx, l, authURL, t)
	}}
	client := &authlib.Client{Transport: &nethttp.Transport{}, Auth: rl, AllowInsecure: o.allowInsecure}
	res, err := client.Get(ctx, resource)
	if err != nil {
		return exitOf(err), err
	}
	res.Body.Close()
	src := rl.Source()
	if src == nil {
		return exit4xx, fmt.Errorf("authlib: %s answered %d, not a 401 that names how to log in (RFC 9728)", authlib.RedactURL(u), res.StatusCode)
	}
	tok, err := src.Token(ctx)
	if err != nil {
		return exitOf(err), err
	}
	dir, err := loginDir(resource)
	if err != nil {
		return exitUsage, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return exitUsage, fmt.Errorf("authlib: the login cannot be kept in %s", dir)
	}
	s := &saved{Resource: resource, Issuer: c.Issuer, ClientID: c.ClientID, Scopes: c.Scopes}
	b, _ := json.MarshalIndent(s, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "login.json"), append(b, '\n'), 0o600); err != nil {
		return exitUsage, fmt.Errorf("authlib: the login cannot be kept in %s", dir)
	}
	fs := oauth2.NewFileStore(filepath.Join(dir, "token.json"), s.config())
	prev, _ := fs.Load(ctx)
	if err := fs.Save(ctx, tok, prev); err != nil {
		return exitUsage, err
	}
	fmt.Fprintf(t.err, "Logged in to %s (the answer was %d); later calls to it use this login.\n", resource, res.StatusCode)
	return exitOK, nil
}

// browserLogin sends the user to authURL (the system's browser, or
// $AUTHLIB_BROWSER, and the URL printed) and waits for the server to send
// the browser back to the loopback address l.
func browserLogin(ctx context.Context, l net.Listener, authURL string, t *terminal) (string, error) {
	back := make(chan string, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		u := "http://" + r.Host + r.URL.RequestURI()
		select {
		case back <- u:
		default:
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "authlib: the login came back; you can close this tab.")
	})}
	go srv.Serve(l)
	defer srv.Close()
	fmt.Fprintf(t.err, "Open this URL to log in (waiting up to 5 minutes):\n  %s\n", authURL)
	if t.open != nil {
		t.open(authURL)
	} else {
		openBrowser(authURL)
	}
	wait := time.NewTimer(5 * time.Minute)
	defer wait.Stop()
	select {
	case u := <-back:
		return u, nil
	case <-wait.C:
		return "", errors.New("authlib: the login did not come back within 5 minutes")
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// openBrowser opens u with $AUTHLIB_BROWSER, or the desktop's opener;
// without one, the printed URL is the way.
func openBrowser(u string) {
	if b := os.Getenv("AUTHLIB_BROWSER"); b != "" {
		exec.Command(b, u).Start()
		return
	}
	for _, opener := range []string{"xdg-open", "open"} {
		if p, err := exec.LookPath(opener); err == nil {
			exec.Command(p, u).Start()
			return
		}
	}
}

// token prints a fresh access token of the login to o.url, for curl -H
// "Authorization: Bearer $(authlib token URL)".
func token(ctx context.Context, o *options, t *terminal) (int, error) {
	s, dir, err := loginFor(o.url)
	if err != nil {
		return exitUsage, err
	}
	tok, err := s.source(dir).Token(ctx)
	if err != nil {
		return exitOf(err), err
	}
	fmt.Fprintln(t.out, tok.AccessToken)
	return exitOK, nil
}

// logout revokes the login to o.url's tokens and forgets it.
func logout(ctx context.Context, o *options, t *terminal) (int, error) {
	s, dir, err := loginFor(o.url)
	if err != nil {
		return exitUsage, err
	}
	err = s.source(dir).Logout(ctx)
	os.RemoveAll(dir)
	if err != nil {
		fmt.Fprintln(t.err, "authlib: the login is forgotten here, but the server did not confirm the revocation:", err)
		return exitNetwork, nil
	}
	fmt.Fprintf(t.err, "Logged out of %s.\n", s.Resource)
	return exitOK, nil
}

func loginFor(raw string) (*saved, string, error) {
	u, err := authlib.ParseURL(raw)
	if err != nil {
		return nil, "", err
	}
	s, dir, err := findLogin(u)
	if err == nil && s == nil {
		err = usageError{"no login to " + authlib.RedactURL(u) + ": run authlib login " + authlib.RedactURL(u)}
	}
	return s, dir, err
}
