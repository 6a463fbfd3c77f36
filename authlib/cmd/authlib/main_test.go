//go:build unix

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// authlibCmd runs the command in this process, as a shell would: args,
// standard input, and what it printed with its exit status.
func authlibCmd(t *testing.T, stdin string, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &terminal{in: strings.NewReader(stdin), out: &o, err: &e,
		tty: func() (ttyFile, error) { return nil, os.ErrNotExist }})
	return code, o.String(), e.String()
}

// The schemes, and the exit status a shell user expects: 0 for 2xx, 4 for
// a 401 (a wrong password says so), 2 for what is refused before anything
// is sent (and nothing is), 3 when nothing answers.
func TestSchemesAndExitStatus(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	t.Setenv("NETRC", filepath.Join(t.TempDir(), "none"))
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		out   string
	}{
		{"basic", "", []string{srv.URL + "/basic-auth/user/passwd", "-u", "user:passwd"}, 0, `"authenticated": true`},
		{"a wrong password", "", []string{srv.URL + "/basic-auth/user/passwd", "-u", "user:nope"}, 4, `"authenticated": false`},
		{"digest", "", []string{srv.URL + "/digest-auth/auth/user/passwd", "-u", "user:passwd", "--auth", "digest"}, 0, `"authenticated": true`},
		{"bearer from stdin", "tok123\n", []string{srv.URL + "/bearer/tok123", "--auth", "bearer", "--password-stdin"}, 0, `"authenticated": true`},
		{"a header token", "", []string{srv.URL + "/token-auth/t0k", "--auth", "header:X-TokenAuth", "--token", "t0k"}, 0, `"authenticated": true`},
		{"a password from stdin", "passwd\n", []string{srv.URL + "/basic-auth/user/passwd", "-u", "user", "--password-stdin"}, 0, `"authenticated": true`},
		{"a body from a file", "", []string{srv.URL + "/anything", "-d", "@" + writeFile(t, "body.json", `{"a":1}`), "-H", "Content-Type: application/json"}, 0, `"method": "POST"`},
		{"a 5xx", "", []string{srv.URL + "/status/503"}, 5, ""},
		{"the typo of the lesson", "", []string{"hppts://api.github.com/user"}, 2, ""},
		{"no terminal to ask at", "", []string{srv.URL + "/basic-auth/user/passwd", "-u", "user"}, 2, ""},
		{"an unknown option", "", []string{srv.URL + "/basic-auth/user/passwd", "--usr", "user"}, 2, ""},
		{"nothing answers", "", []string{"http://127.0.0.1:1/x"}, 3, ""},
	} {
		before := srv.Handler.Stats()
		code, out, errOut := authlibCmd(t, c.stdin, c.args...)
		if code != c.code || !strings.Contains(out, c.out) {
			t.Errorf("%s: exit %d, %q, %q; want %d and %q", c.name, code, out, errOut, c.code, c.out)
		}
		if c.code == 2 && len(srv.Handler.Stats()) != len(before) {
			t.Errorf("%s: something was sent", c.name)
		}
		for _, secret := range []string{"passwd", "tok123", "t0k", "nope"} {
			if strings.Contains(errOut, secret) {
				t.Errorf("%s: the error shows a secret: %q", c.name, errOut)
			}
		}
	}
	_, _, errOut := authlibCmd(t, "", srv.URL+"/basic-auth/user/passwd", "-u", "user:nope")
	if !strings.Contains(errOut, "refused the credentials") {
		t.Errorf("a wrong password says nothing: %q", errOut)
	}
	_, _, errOut = authlibCmd(t, "", "x", "--vrbose")
	if !strings.Contains(errOut, "did you mean --verbose?") {
		t.Errorf("a misspelt option: %q", errOut)
	}
}

func writeFile(t *testing.T, name, text string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// With no credentials given, netrc supplies them, as requests reads it.
func TestNetrcByDefault(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	host = host[:strings.IndexByte(host, ':')]
	t.Setenv("NETRC", writeFile(t, "netrc", "machine "+host+" login user password passwd\n"))
	if code, out, errOut := authlibCmd(t, "", srv.URL+"/basic-auth/user/passwd"); code != 0 || !strings.Contains(out, `"authenticated": true`) {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if code, _, _ := authlibCmd(t, "", srv.URL+"/basic-auth/user/passwd", "--no-netrc"); code != 4 {
		t.Fatalf("--no-netrc: exit %d", code)
	}
}

// -v shows each exchange as the demo page does: the 401's challenge, then
// the answer with its nc count, the secret parts masked; --reveal shows
// them; -i shows the status line and headers.
func TestVerboseAndInclude(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	args := []string{srv.URL + "/digest-auth/auth/user/passwd", "-u", "user:passwd", "--auth", "digest", "-v", "-i"}
	code, out, errOut := authlibCmd(t, "", args...)
	if code != 0 || !strings.Contains(out, "HTTP 200\n") || !strings.Contains(out, "Content-Type: application/json") {
		t.Fatalf("exit %d, %q", code, out)
	}
	for _, want := range []string{"< 401", `< WWW-Authenticate: Digest realm="authtest"`, "> Authorization: Digest username=\"user\"", "nc=00000001", "response=[masked]", "< 200"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("-v lacks %q:\n%s", want, errOut)
		}
	}
	_, _, revealed := authlibCmd(t, "", append(args, "--reveal")...)
	if strings.Contains(revealed, "response=[masked]") || !strings.Contains(revealed, "response=\"") {
		t.Errorf("--reveal:\n%s", revealed)
	}
	_, _, basic := authlibCmd(t, "", srv.URL+"/basic-auth/user/passwd", "-u", "user:passwd", "-v")
	if !strings.Contains(basic, "Authorization: Basic [masked]") || strings.Contains(basic, "dXNlcjpwYXNzd2Q") {
		t.Errorf("-v with Basic:\n%s", basic)
	}
}

// At a terminal, a password left out is asked for with echo off, as
// getpass does: the command runs in a pseudo-terminal of its own, the test
// types the password at the prompt, and nothing of it shows on the screen.
func TestPasswordPromptAtATerminal(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	bin := filepath.Join(t.TempDir(), "authlib")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, srv.URL+"/basic-auth/user/s3cr3t-pw", "-u", "user")
	cmd.Env = append(os.Environ(), "NETRC="+filepath.Join(t.TempDir(), "none"))
	tty, err := pty.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	screen := &bytes.Buffer{}
	read := func(until string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		buf := make([]byte, 1024)
		for !strings.Contains(screen.String(), until) {
			if time.Now().After(deadline) {
				t.Fatalf("waited for %q; the screen: %q", until, screen.String())
			}
			tty.SetReadDeadline(time.Now().Add(time.Second))
			n, err := tty.Read(buf)
			screen.Write(buf[:n])
			if err != nil && err != io.EOF && !os.IsTimeout(err) {
				break
			}
		}
	}
	read("Password of user for ")
	// Type once the terminal's echo is off, as a person would after the
	// prompt (the master side reads the terminal's settings).
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err == nil && st.Lflag&unix.ECHO == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("echo stayed on at the prompt (%v)", err)
		}
	}
	tty.Write([]byte("s3cr3t-pw\r"))
	read(`"authenticated": true`)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v; the screen: %q", err, screen.String())
	}
	after := screen.String()[strings.Index(screen.String(), "Password of user for "):]
	if strings.Contains(after[:strings.Index(after, `"authenticated"`)], "s3cr3t-pw") {
		t.Fatalf("the password was echoed: %q", screen.String())
	}
}

// authlib login walks what the resource's 401 names and keeps the login:
// later calls to the resource use it, authlib token prints its access
// token, and authlib logout revokes and forgets it. The browser is the
// test's: it follows the authorization server's redirect back to the
// command's loopback address.
func TestLoginTokenLogout(t *testing.T) {
	srv := authtest.NewServer()
	defer srv.Close()
	t.Setenv("AUTHLIB_CONFIG_DIR", t.TempDir())
	t.Setenv("NETRC", filepath.Join(t.TempDir(), "none"))
	browser := func(u string) {
		go func() {
			c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := c.Get(u)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			if back, err := http.Get(res.Header.Get("Location")); err == nil {
				back.Body.Close()
			}
		}()
	}
	cmd := func(args ...string) (int, string, string) {
		var o, e bytes.Buffer
		code := run(context.Background(), args, &terminal{in: strings.NewReader(""), out: &o, err: &e, open: browser})
		return code, o.String(), e.String()
	}
	mcp := srv.URL + "/mcp"
	if code, _, _ := cmd(mcp); code != 4 {
		t.Fatalf("before the login: exit %d", code)
	}
	if code, _, errOut := cmd("login", mcp); code != 0 || !strings.Contains(errOut, "Logged in") {
		t.Fatalf("login: exit %d: %s", code, errOut)
	}
	if code, out, errOut := cmd(mcp); code != 0 {
		t.Fatalf("after the login: exit %d: %s %s", code, out, errOut)
	}
	code, tok, _ := cmd("token", mcp)
	if code != 0 || len(strings.TrimSpace(tok)) < 10 {
		t.Fatalf("token: exit %d, %q", code, tok)
	}
	matches, _ := filepath.Glob(filepath.Join(os.Getenv("AUTHLIB_CONFIG_DIR"), "logins", "*", "token.json"))
	if len(matches) != 1 {
		t.Fatalf("the kept token: %v", matches)
	}
	if st, err := os.Stat(matches[0]); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the token file: %v %v", st, err)
	}
	// Another resource of the same origin gets nothing of it.
	if code, out, _ := cmd(srv.URL + "/headers"); code != 0 || strings.Contains(out, "Authorization") {
		t.Fatalf("another path got the login's token: %s", out)
	}
	if code, _, errOut := cmd("logout", mcp); code != 0 || !strings.Contains(errOut, "Logged out") {
		t.Fatalf("logout: exit %d: %s", code, errOut)
	}
	if code, _, _ := cmd(mcp); code != 4 {
		t.Fatalf("after the logout: exit %d", code)
	}
	if code, _, errOut := cmd("token", mcp); code != 2 || !strings.Contains(errOut, "authlib login") {
		t.Fatalf("token after the logout: exit %d: %s", code, errOut)
	}
}
