//go:build unix

package oauth2_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// A token saved goes to a 0600 file and comes back as it was; what cannot
// be used (a truncated file, another client's token, a token without the
// scope asked for) is no token, with an ErrStore that says why, and a
// Source with nothing else to renew with sends nothing.
func TestFileStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token.json")
	c := &oauth2.Config{ClientID: "cli", TokenURL: "https://as.example/token", Scopes: []string{"read:user"}, Transport: &nethttp.Transport{}}
	fs := oauth2.NewFileStore(path, c)
	if tok, err := fs.Load(context.Background()); tok != nil || err != nil {
		t.Fatalf("no file: %v %v", tok, err)
	}
	tok := &oauth2.Token{AccessToken: "at", TokenType: "Bearer", RefreshToken: "rt", Scope: "read:user", Expiry: time.Now().Add(time.Hour).Truncate(time.Second)}
	if err := fs.Save(context.Background(), tok, nil); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", st.Mode(), err)
	}
	back, err := fs.Load(context.Background())
	if err != nil || back.AccessToken != "at" || back.RefreshToken != "rt" || !back.Expiry.Equal(tok.Expiry) {
		t.Fatalf("%v %v", back, err)
	}
	// A compare-and-swap: a save that was to replace another token fails.
	if err := fs.Save(context.Background(), &oauth2.Token{AccessToken: "x"}, &oauth2.Token{AccessToken: "stale"}); !errors.Is(err, oauth2.ErrConflict) {
		t.Fatalf("stale save: %v", err)
	}
	whole, _ := os.ReadFile(path)
	for name, bad := range map[string]func(){
		"truncated": func() { os.WriteFile(path, whole[:len(whole)/2], 0o600) },
		"another client": func() {
			fs.Config = &oauth2.Config{ClientID: "other", TokenURL: c.TokenURL}
			os.WriteFile(path, whole, 0o600)
		},
		"another scope": func() {
			fs.Config = &oauth2.Config{ClientID: "cli", TokenURL: c.TokenURL, Scopes: []string{"admin"}}
			os.WriteFile(path, whole, 0o600)
		},
	} {
		fs.Config = c
		bad()
		if tok, err := fs.Load(context.Background()); tok != nil || !errors.Is(err, oauth2.ErrStore) {
			t.Fatalf("%s: %v %v", name, tok, err)
		}
		src := &oauth2.Source{Config: fs.Config, Store: fs}
		if _, err := src.Token(context.Background()); !errors.Is(err, oauth2.ErrStore) {
			t.Fatalf("%s: a Source got %v", name, err)
		}
	}
}

// Four processes share one file store, each sending 25 requests after the
// token expired, against authtest, which rotates refresh tokens and
// refuses a used one: exactly one token request, 100 responses 200, and
// the file still valid and 0600.
func TestFileStoreAcrossProcesses(t *testing.T) {
	if os.Getenv("AUTHLIB_STORE_CHILD") != "" {
		t.Skip("the child runs as TestFileStoreChild")
	}
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv, nil)
	tok := login(t, c)
	path := filepath.Join(t.TempDir(), "token.json")
	expired := *tok
	expired.Expiry = time.Now().Add(-time.Minute)
	if err := oauth2.NewFileStore(path, c).Save(context.Background(), &expired, nil); err != nil {
		t.Fatal(err)
	}
	before := grants(srv, "refresh_token")
	var wg sync.WaitGroup
	outs := make([][]byte, 4)
	errs := make([]error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestFileStoreChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "AUTHLIB_STORE_CHILD="+path, "AUTHTEST_URL="+srv.URL)
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range 4 {
		if errs[i] != nil {
			t.Fatalf("process %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	if n := grants(srv, "refresh_token") - before; n != 1 {
		t.Fatalf("%d token requests for 4 processes; want 1", n)
	}
	st, err := os.Stat(path)
	saved, lerr := oauth2.NewFileStore(path, c).Load(context.Background())
	if err != nil || st.Mode().Perm() != 0o600 || lerr != nil || saved == nil || saved.RefreshToken == tok.RefreshToken {
		t.Fatalf("the file after: %v %v %v %v", st, err, saved, lerr)
	}
	// A logout revokes the saved login and removes it.
	c.RevocationURL = srv.URL + "/oauth/revoke"
	src := &oauth2.Source{Config: c, Store: oauth2.NewFileStore(path, c)}
	if _, err := src.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := src.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the file after a logout: %v", err)
	}
}

// TestFileStoreChild is one of TestFileStoreAcrossProcesses's processes:
// 25 requests through a Source on the shared file.
func TestFileStoreChild(t *testing.T) {
	path, base := os.Getenv("AUTHLIB_STORE_CHILD"), os.Getenv("AUTHTEST_URL")
	if path == "" {
		t.Skip("run by TestFileStoreAcrossProcesses")
	}
	c := &oauth2.Config{ClientID: authtest.OAuthClientID, ClientSecret: authtest.OAuthClientSecret, TokenURL: base + "/oauth/token",
		RedirectURL: "http://127.0.0.1/callback", Scopes: []string{"read:user"}, Transport: &nethttp.Transport{}}
	src := &oauth2.Source{Config: c, Store: oauth2.NewFileStore(path, c)}
	client := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: src}}
	for i := range 25 {
		res, err := client.Get(context.Background(), base+"/oauth/api/user")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatal("request " + strconv.Itoa(i) + ": " + fmt.Sprint(res.StatusCode))
		}
	}
}

// A process killed while it holds the lock (mid-refresh) leaves the lock
// free and the file as it was.
func TestFileStoreKilledHolder(t *testing.T) {
	if os.Getenv("AUTHLIB_STORE_HOLD") != "" {
		fs := oauth2.NewFileStore(os.Getenv("AUTHLIB_STORE_HOLD"), &oauth2.Config{ClientID: "cli", TokenURL: "https://as.example/token"})
		if _, err := fs.Lock(context.Background()); err != nil {
			t.Fatal(err)
		}
		fmt.Println("locked")
		time.Sleep(time.Minute)
		return
	}
	path := filepath.Join(t.TempDir(), "token.json")
	c := &oauth2.Config{ClientID: "cli", TokenURL: "https://as.example/token"}
	fs := oauth2.NewFileStore(path, c)
	if err := fs.Save(context.Background(), &oauth2.Token{AccessToken: "at", RefreshToken: "rt"}, nil); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFileStoreKilledHolder$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "AUTHLIB_STORE_HOLD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	for got := ""; !strings.Contains(got, "locked"); {
		n, err := out.Read(buf)
		if err != nil {
			t.Fatalf("the holder: %v %q", err, got)
		}
		got += string(buf[:n])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	if _, err := fs.Lock(ctx); err == nil {
		t.Fatal("the lock was free while another process held it")
	}
	cancel()
	cmd.Process.Kill()
	cmd.Wait()
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	unlock, err := fs.Lock(ctx)
	if err != nil {
		t.Fatalf("after the holder died: %v", err)
	}
	unlock()
	if tok, err := fs.Load(context.Background()); err != nil || tok.AccessToken != "at" {
		t.Fatalf("the file after: %v %v", tok, err)
	}
}

// The lock of a file store is taken over when its holder is gone, and
// only then: a live process's lock holds; a lock left with a pid now
// reused by another process (a container's pid 1 restarted: another start
// time) or with this very process's pid and a token it does not hold (a
// process never waits on itself) is taken over at once, as is a lock
// file left without its line for seconds.
func TestFileStoreLockTakesOverOnlyAGoneHolder(t *testing.T) {
	dir := t.TempDir()
	fs := oauth2.NewFileStore(filepath.Join(dir, "token.json"), &oauth2.Config{ClientID: "cli", TokenURL: "https://as.example/token"})
	lock := fs.Path + ".lock"
	sleeper := exec.Command("sleep", "30")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	start := func(pid int) string {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			t.Skip("no /proc here")
		}
		f := strings.Fields(string(b)[strings.LastIndexByte(string(b), ')')+1:])
		return f[19]
	}
	take := func(ms int) error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(ms)*time.Millisecond)
		defer cancel()
		unlock, err := fs.Lock(ctx)
		if err == nil {
			unlock()
		}
		return err
	}
	for _, c := range []struct {
		name, line string
		old, held  bool
	}{
		{"a live process", fmt.Sprintf("authlib-lock 1 %d %s abc\n", sleeper.Process.Pid, start(sleeper.Process.Pid)), false, true},
		{"a reused pid", fmt.Sprintf("authlib-lock 1 %d 1 abc\n", sleeper.Process.Pid), false, false},
		{"this process, not holding it", fmt.Sprintf("authlib-lock 1 %d %s abc\n", os.Getpid(), start(os.Getpid())), false, false},
		{"a holder that died making it", "", false, true},
		{"a holder that died making it, seconds ago", "", true, false},
	} {
		if err := os.WriteFile(lock, []byte(c.line), 0o600); err != nil {
			t.Fatal(err)
		}
		if c.old {
			os.Chtimes(lock, time.Now().Add(-time.Minute), time.Now().Add(-time.Minute))
		}
		err := take(300)
		if held := err != nil; held != c.held {
			t.Errorf("%s: held %v (%v)", c.name, held, err)
		}
		os.Remove(lock)
	}
	// Two holders in one process wait for each other.
	unlock, err := fs.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := take(100); err == nil {
		t.Fatal("a second holder in the same process got the lock")
	}
	unlock()
	if _, err := os.Stat(lock); !os.IsNotExist(err) {
		t.Fatalf("the lock file after unlock: %v", err)
	}
}
