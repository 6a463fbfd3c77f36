// Command authlib sends an HTTP request with credentials, as Python's
// requests does with auth=: Basic, Digest, a Bearer or header token, AWS
// Signature Version 4, or netrc (the default, as requests reads it). A
// password or token left out is asked for at the terminal with echo off.
//
//	authlib [METHOD] URL [-u user[:password]] [--auth SCHEME] [-H 'Name: value'] [-d body|@file] [-i] [-v]
//
// The exit status says how it went: 0 for a 2xx or 3xx answer, 4 for a
// 4xx, 5 for a 5xx, 2 for a request refused before anything was sent (bad
// input, a credential that breaks its scheme's rules), 3 when nothing
// answered. Run authlib --help for the options.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], &terminal{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK      = 0
	exitNetwork = 3 // nothing answered, or the answer could not be read
	exitUsage   = 2 // refused before anything was sent
	exit4xx     = 4
	exit5xx     = 5
)

// usageError is a mistake in the command line: its message, then a hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// terminal is where the command reads and writes; a test gives its own.
type terminal struct {
	in       io.Reader
	out, err io.Writer
	// tty opens the controlling terminal for a prompt; nil means /dev/tty.
	tty func() (ttyFile, error)
	// open takes the user to a login's URL; nil means the system's browser.
	open func(url string)
}

func run(ctx context.Context, args []string, t *terminal) int {
	o, err := parseArgs(args)
	if err == nil && o.help {
		io.WriteString(t.out, usage)
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(t.err, "authlib:", err)
		fmt.Fprintln(t.err, "run authlib --help for the options")
		return exitUsage
	}
	do := map[string]func(context.Context, *options, *terminal) (int, error){"": send, "login": login, "token": token, "logout": logout}[o.command]
	code, err := do(ctx, o, t)
	if err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintln(t.err, "authlib:", err)
			return exitUsage
		}
		fmt.Fprintln(t.err, err)
	}
	return code
}

const usage = `authlib sends an HTTP request with credentials.

Usage:
  authlib [METHOD] URL [options]
  authlib login URL [--scope S]   log in to a resource that answers 401 (OAuth)
  authlib token URL               print a fresh access token of that login
  authlib logout URL              revoke the login's tokens and forget it

The method is GET, or POST with -d. Credentials come from -u and --auth, or
else from a login kept for the URL (authlib login), or else from ~/.netrc (or
$NETRC) for the URL's host, as Python's requests does.

authlib login walks what a 401 names, as MCP clients do: the resource's
metadata (RFC 9728), its authorization server's, a registration (RFC 7591),
and a login in the browser with PKCE, back to a loopback address; the token
is kept (0600, in $AUTHLIB_CONFIG_DIR or the system's config folder) and
renewed once for all the runs that share it.
A password or token left out is asked for at the terminal, with echo off.

Options:
  -u user[:password]   the user (Basic, or Digest with --auth digest); without
                       the password, it is asked for
  --auth SCHEME        basic (with -u, the default), digest, bearer,
                       header:NAME (a token in the header NAME, such as
                       header:X-API-Key), aws4 (keys from AWS_ACCESS_KEY_ID,
                       AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN), none
  --token TOKEN        the token of bearer or header:NAME (asked for if left
                       out; a token on the command line is in your history)
  --password-stdin     read the password or token from the first line of
                       standard input (for scripts)
  --aws-region R, --aws-service S
                       for aws4, when the host does not say them
  -H 'Name: value'     a header to send (repeatable)
  -d BODY, -d @FILE    the body (the method becomes POST); @- reads stdin
  -i                   show the status line and the response's headers
  -v                   show each exchange on standard error: the request as
                       sent (secrets masked), a 401's challenge and what
                       answered it, the Digest nc count
  --reveal             with -v, do not mask secrets
  --no-netrc           do not read ~/.netrc
  --allow-insecure     send credentials over plain http to a host that is not
                       loopback
  --max-redirects N    follow at most N redirects (0: the default, 10;
                       -1: none)

Exit status: 0 for 2xx and 3xx, 4 for 4xx (a wrong password: 401), 5 for
5xx, 2 when the request was refused before anything was sent, 3 when
nothing answered.

Examples (against make demo's mock API):
  authlib http://127.0.0.1:8080/api/basic-auth/user/passwd -u user
  authlib http://127.0.0.1:8080/api/digest-auth/auth/user/passwd -u user --auth digest -v
  authlib http://127.0.0.1:8080/api/bearer --auth bearer
  authlib POST http://127.0.0.1:8080/api/anything -d '{"a":1}' -H 'Content-Type: application/json' -u user:passwd -i
  authlib login http://127.0.0.1:8080/api/mcp
  curl -H "Authorization: Bearer $(authlib token http://127.0.0.1:8080/api/mcp)" http://127.0.0.1:8080/api/mcp
`
