package redisstore_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
	"github.com/authlib-go/authlib/authlib/oauth2/redisstore"
	"github.com/redis/go-redis/v9"
)

// redisServer is a redis-server this test started on a loopback port,
// persisting to its own folder so that a restart keeps what it held.
type redisServer struct {
	t    testing.TB
	addr string
	dir  string
	cmd  *exec.Cmd
}

func startRedis(t testing.TB) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("these tests need redis-server: make test installs it (Debian: apt-get install redis-server)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r := &redisServer{t: t, addr: addr, dir: t.TempDir()}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *redisServer) start() {
	_, port, _ := net.SplitHostPort(r.addr)
	r.cmd = exec.Command("redis-server", "--bind", "127.0.0.1", "--port", port, "--dir", r.dir, "--save", "",
		"--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "yes")
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", r.addr)
		if err == nil {
			c.Close()
			return
		}
		if i > 200 {
			r.t.Fatalf("redis-server did not start on %s", r.addr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (r *redisServer) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		r.cmd.Process.Signal(syscall.SIGTERM)
		r.cmd.Wait()
		r.cmd = nil
	}
}

func client(addr string) *redis.Client {
	return redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 300 * time.Millisecond, ReadTimeout: 300 * time.Millisecond,
		WriteTimeout: 300 * time.Millisecond, MaxRetries: -1, ContextTimeoutEnabled: true})
}

// config is authtest's confidential client; tokens live lifetime seconds.
func config(base string, lifetime int) *oauth2.Config {
	tokenURL := base + "/oauth/token"
	if lifetime > 0 {
		tokenURL += "?lifetime=" + strconv.Itoa(lifetime)
	}
	return &oauth2.Config{ClientID: authtest.OAuthClientID, ClientSecret: authtest.OAuthClientSecret, TokenURL: tokenURL,
		AuthURL: base + "/oauth/authorize", RedirectURL: "http://127.0.0.1/callback", Scopes: []string{"read:user"}, Transport: &nethttp.Transport{}}
}

// login gets a token with a refresh token (the authorization code flow,
// authtest approving at once).
func login(t *testing.T, c *oauth2.Config) *oauth2.Token {
	t.Helper()
	state, verifier := oauth2.NewState(), oauth2.NewVerifier()
	u, err := c.AuthCodeURL(state, verifier, nil)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", u, nil)
	res, err := (&http.Transport{}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	tok, err := c.Exchange(context.Background(), res.Header.Get("Location"), state, verifier)
	if err != nil || tok.RefreshToken == "" {
		t.Fatalf("login: %v %v", tok, err)
	}
	return tok
}

func expired(t *oauth2.Token) *oauth2.Token {
	e := *t
	e.Expiry = time.Now().Add(-time.Minute)
	return &e
}

// A token saved comes back; sealed, Redis holds no token in the clear, and
// a store with another seal key, or none, loads nothing.
func TestSaveLoadAndSeal(t *testing.T) {
	r := startRedis(t)
	rc := client(r.addr)
	defer rc.Close()
	c := config("https://as.example", 0)
	tok := &oauth2.Token{AccessToken: "at-secret-123", TokenType: "Bearer", RefreshToken: "rt-secret-456", Expiry: time.Now().Add(time.Hour).Truncate(time.Second)}
	key := []byte("0123456789abcdef0123456789abcdef")
	s := &redisstore.Store{Client: rc, Key: "authlib:token:test", Config: c, Seal: key}
	if err := s.Save(context.Background(), tok, nil); err != nil {
		t.Fatal(err)
	}
	raw, _ := rc.Get(context.Background(), s.Key).Result()
	if strings.Contains(raw, "secret") || !strings.HasPrefix(raw, "sealed:") {
		t.Fatalf("Redis holds %q", raw)
	}
	back, err := s.Load(context.Background())
	if err != nil || back.AccessToken != tok.AccessToken || back.RefreshToken != tok.RefreshToken {
		t.Fatalf("%v %v", back, err)
	}
	for name, other := range map[string]*redisstore.Store{
		"another seal key": {Client: rc, Key: s.Key, Config: c, Seal: []byte("fedcba9876543210fedcba9876543210")},
		"no seal key":      {Client: rc, Key: s.Key, Config: c},
	} {
		if tok, err := other.Load(context.Background()); tok != nil || !errors.Is(err, oauth2.ErrStore) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: %v %v", name, tok, err)
		}
	}
	// A compare-and-swap: replacing another token than the one held fails.
	if err := s.Save(context.Background(), tok, &oauth2.Token{AccessToken: "stale"}); !errors.Is(err, oauth2.ErrConflict) {
		t.Fatalf("a stale save: %v", err)
	}
	if p := fmt.Sprintf("%v %+v", s, s); strings.Contains(p, "0123456789abcdef") {
		t.Fatalf("printed: %s", p)
	}
}

// Ten processes, each a Source on the one Redis key with 50 requests after
// the token expired, against authtest, which rotates refresh tokens and
// refuses a used one: one token request between them, 500 responses 200.
func TestOneRefreshAcrossProcesses(t *testing.T) {
	if os.Getenv("REDISSTORE_CHILD") != "" {
		t.Skip("the child runs as TestChild")
	}
	r := startRedis(t)
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv.URL, 0)
	rc := client(r.addr)
	defer rc.Close()
	s := redisstore.New(rc, "authlib:token:fleet", c)
	if err := s.Save(context.Background(), expired(login(t, c)), nil); err != nil {
		t.Fatal(err)
	}
	before := srv.Handler.Stats()["grant:refresh_token"]
	outs := runChildren(t, 10, "requests", r.addr, srv.URL)
	for i, out := range outs {
		if !strings.Contains(out, "50 of 50") {
			t.Errorf("process %d: %s", i, out)
		}
	}
	if n := srv.Handler.Stats()["grant:refresh_token"] - before; n != 1 {
		t.Fatalf("%d token requests for 10 processes; want 1", n)
	}
	if tok, err := s.Load(context.Background()); err != nil || tok.Expiry.Before(time.Now()) {
		t.Fatalf("the key after: %v %v", tok, err)
	}
}

func runChildren(t *testing.T, n int, what, addr, base string) []string {
	var wg sync.WaitGroup
	outs := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestChild$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), "REDISSTORE_CHILD="+what, "REDIS_ADDR="+addr, "AUTHTEST_URL="+base)
			out, err := cmd.CombinedOutput()
			outs[i] = string(out)
			if err != nil {
				outs[i] += err.Error()
			}
		}()
	}
	wg.Wait()
	return outs
}

// TestChild is a process of the tests above: "requests" sends 50
// requests through a Source on the key; "hold" takes the lock (a lease
// of 600 ms), loads, says "locked", and on a line from its standard input
// saves a new token in place of what it loaded, saying what came of it.
func TestChild(t *testing.T) {
	what, addr, base := os.Getenv("REDISSTORE_CHILD"), os.Getenv("REDIS_ADDR"), os.Getenv("AUTHTEST_URL")
	if what == "" {
		t.Skip("run by the tests above")
	}
	rc := client(addr)
	defer rc.Close()
	c := config(base, 0)
	switch what {
	case "requests":
		s := redisstore.New(rc, "authlib:token:fleet", c)
		cl := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: &oauth2.Source{Config: c, Store: s}}}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := cl.Get(context.Background(), base+"/oauth/api/user")
				if err != nil {
					fmt.Println("error:", err)
					return
				}
				res.Body.Close()
				mu.Lock()
				if res.StatusCode == 200 {
					ok++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		fmt.Printf("%d of 50\n", ok)
	case "hold":
		s := &redisstore.Store{Client: rc, Key: "authlib:token:held", Config: c, Lease: 600 * time.Millisecond}
		if _, err := s.Lock(context.Background()); err != nil {
			t.Fatal(err)
		}
		prev, err := s.Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println("locked")
		bufio.NewReader(os.Stdin).ReadString('\n')
		err = s.Save(context.Background(), &oauth2.Token{AccessToken: "late", TokenType: "Bearer"}, prev)
		fmt.Println("save:", err)
		time.Sleep(time.Minute) // until killed
	}
}

// A holder killed while it holds the lock frees it once its lease runs
// out, and the token saved stays whole; a holder paused past its lease
// (SIGSTOP) and resumed cannot save over the token saved meanwhile.
func TestLeaseOfAKilledOrPausedHolder(t *testing.T) {
	r := startRedis(t)
	rc := client(r.addr)
	defer rc.Close()
	c := config("http://127.0.0.1:9", 0)
	s := &redisstore.Store{Client: rc, Key: "authlib:token:held", Config: c, Lease: 600 * time.Millisecond}
	first := &oauth2.Token{AccessToken: "first", TokenType: "Bearer", RefreshToken: "r1"}
	if err := s.Save(context.Background(), first, nil); err != nil {
		t.Fatal(err)
	}
	hold := func() (*exec.Cmd, *bufio.Reader, func(string)) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestChild$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "REDISSTORE_CHILD=hold", "REDIS_ADDR="+r.addr, "AUTHTEST_URL=http://127.0.0.1:9")
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(out)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				t.Fatalf("the holder: %v", err)
			}
			if strings.HasPrefix(line, "locked") {
				break
			}
		}
		return cmd, br, func(s string) { in.Write([]byte(s)) }
	}
	lockWithin := func(d time.Duration) (func(), time.Duration) {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		start := time.Now()
		unlock, err := s.Lock(ctx)
		if err != nil {
			t.Fatalf("the lock after %v: %v", time.Since(start), err)
		}
		return unlock, time.Since(start)
	}

	// Killed: the lease frees it.
	cmd, _, _ := hold()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	if _, err := s.Lock(ctx); err == nil {
		t.Fatal("the lock was free while a live holder renewed it")
	}
	cancel()
	cmd.Process.Kill()
	cmd.Wait()
	unlock, took := lockWithin(5 * time.Second)
	unlock()
	if tok, err := s.Load(context.Background()); err != nil || tok.AccessToken != "first" || took > 2*time.Second {
		t.Fatalf("after the holder died: %v %v, the lock after %v", tok, err, took)
	}

	// Paused past its lease: another saves meanwhile, and the late save is
	// refused.
	cmd, out, say := hold()
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	cmd.Process.Signal(syscall.SIGSTOP)
	unlock, _ = lockWithin(5 * time.Second)
	second := &oauth2.Token{AccessToken: "second", TokenType: "Bearer", RefreshToken: "r2"}
	if err := s.Save(context.Background(), second, first); err != nil {
		t.Fatal(err)
	}
	unlock()
	cmd.Process.Signal(syscall.SIGCONT)
	say("go\n")
	line, _ := out.ReadString('\n')
	if !strings.Contains(line, "lease ran out") {
		t.Fatalf("the late save: %q", line)
	}
	if tok, err := s.Load(context.Background()); err != nil || tok.AccessToken != "second" {
		t.Fatalf("the key after the late save: %v %v", tok, err)
	}
}

// Redis stopped in the middle: no call waits past the store's bound; a
// token held and not yet expired keeps serving; one that must be renewed
// fails with ErrStore, and nothing is lost; once Redis is back, calls
// succeed with the token it kept.
func TestRedisDownAndBack(t *testing.T) {
	r := startRedis(t)
	srv := authtest.NewServer()
	defer srv.Close()
	c := config(srv.URL, 3) // tokens live 3 s (renewed from 0.75 s before expiry)
	rc := client(r.addr)
	defer rc.Close()
	s := &redisstore.Store{Client: rc, Key: "authlib:token:down", Config: c, Timeout: 500 * time.Millisecond}
	src := &oauth2.Source{Config: c, Store: s}
	tok := login(t, c)
	if err := s.Save(context.Background(), tok, nil); err != nil {
		t.Fatal(err)
	}
	cl := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &oauth2.Auth{Source: src}}
	get := func() (int, time.Duration, error) {
		start := time.Now()
		res, err := cl.Get(context.Background(), srv.URL+"/oauth/api/user")
		if err != nil {
			return 0, time.Since(start), err
		}
		res.Body.Close()
		return res.StatusCode, time.Since(start), nil
	}
	if code, _, err := get(); code != 200 {
		t.Fatalf("before: %d %v", code, err)
	}
	held, _, _ := src.Cached()
	r.stop()
	// Within the token's life (the token held serves, though the Source
	// would renew it within its last quarter), and past it.
	var failed int
	for deadline := time.Now().Add(4 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		started := time.Now()
		code, took, err := get()
		if took > 1500*time.Millisecond {
			t.Fatalf("a call waited %v with Redis down", took)
		}
		switch {
		case err != nil && errors.Is(err, oauth2.ErrStore) && started.Before(held.Expiry.Add(-600*time.Millisecond)):
			// (600 ms: the store's Timeout, 500, and a margin.)
			t.Fatalf("with Redis down, a call started %v before the token held expired failed: %v", held.Expiry.Sub(started), err)
		case err != nil && errors.Is(err, oauth2.ErrStore):
			failed++
		case err != nil || code != 200:
			t.Fatalf("with Redis down: %d %v", code, err)
		}
	}
	if failed == 0 {
		t.Fatal("a token past its life was used with Redis down, or renewed without the store")
	}
	before := srv.Handler.Stats()["grant:refresh_token"]
	r.start()
	if code, _, err := get(); code != 200 {
		t.Fatalf("with Redis back: %d %v", code, err)
	}
	if n := srv.Handler.Stats()["grant:refresh_token"] - before; n != 1 {
		t.Fatalf("%d refreshes once Redis was back", n)
	}
	if saved, err := s.Load(context.Background()); err != nil || saved.RefreshToken == tok.RefreshToken {
		t.Fatalf("the key after: %v %v", saved, err)
	}
}

// What a token read through Redis costs: a Store's Load (one GET, the text
// checked), plain and sealed, on loopback. A Source reads it before each
// token request, not per request; make bench reports it.
func BenchmarkLoad(b *testing.B) {
	r := startRedis(b)
	rc := client(r.addr)
	defer rc.Close()
	c := config("https://as.example", 0)
	tok := &oauth2.Token{AccessToken: strings.Repeat("a", 40), TokenType: "Bearer", RefreshToken: strings.Repeat("r", 40), Expiry: time.Now().Add(time.Hour)}
	for _, sealed := range []bool{false, true} {
		s := &redisstore.Store{Client: rc, Key: "authlib:token:bench", Config: c}
		name := "plain"
		if sealed {
			s.Seal, name = []byte("0123456789abcdef0123456789abcdef"), "sealed"
		}
		if err := rc.Del(context.Background(), s.Key).Err(); err != nil {
			b.Fatal(err)
		}
		if err := s.Save(context.Background(), tok, nil); err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Load(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
