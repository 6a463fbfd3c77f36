package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/nethttp"
	"github.com/authlib-go/authlib/authlib/oauth2"
)

// options are the command line, read.
type options struct {
	method, url           string
	user, password        string
	hasPassword           bool
	auth, token           string
	passwordStdin         bool
	region, service       string
	headers               []string
	body                  string
	hasBody               bool
	include, verbose      bool
	reveal, noNetrc, help bool
	allowInsecure         bool
	maxRedirects          int
	command               string // login, token or logout; "" sends a request
	scope                 string // login\'s scope
}

// flagsWithValue are the options that take the next argument.
var flagsWithValue = map[string]bool{"-u": true, "--user": true, "--auth": true, "--token": true, "-H": true, "--header": true,
	"-d": true, "--data": true, "--aws-region": true, "--aws-service": true, "--max-redirects": true, "--scope": true}

var flagsAlone = []string{"-i", "--include", "-v", "--verbose", "--reveal", "--no-netrc", "--allow-insecure", "--password-stdin", "-h", "--help"}

// parseArgs reads the arguments: options anywhere, as curl and HTTPie take
// them, and one or two words, [METHOD] URL.
func parseArgs(args []string) (*options, error) {
	o := &options{}
	var words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, inline := strings.Cut(a, "=")
		if !strings.HasPrefix(a, "--") || !flagsWithValue[name] {
			name, inline = a, false
		}
		if flagsWithValue[name] {
			if !inline {
				if i+1 >= len(args) {
					return nil, usageError{name + " needs a value"}
				}
				i++
				value = args[i]
			}
			if err := o.set(name, value); err != nil {
				return nil, err
			}
			continue
		}
		switch name {
		case "-i", "--include":
			o.include = true
		case "-v", "--verbose":
			o.verbose = true
		case "--reveal":
			o.reveal = true
		case "--no-netrc":
			o.noNetrc = true
		case "--allow-insecure":
			o.allowInsecure = true
		case "--password-stdin":
			o.passwordStdin = true
		case "-h", "--help":
			o.help = true
		default:
			if strings.HasPrefix(a, "-") && a != "-" {
				return nil, usageError{"unknown option " + a + nearOption(a)}
			}
			words = append(words, a)
		}
	}
	if o.help {
		return o, nil
	}
	if len(words) > 0 && (words[0] == "login" || words[0] == "token" || words[0] == "logout") {
		o.command, words = words[0], words[1:]
		if len(words) != 1 {
			return nil, usageError{o.command + " takes one URL, the resource's"}
		}
	}
	switch len(words) {
	case 1:
		o.url = words[0]
	case 2:
		o.method, o.url = strings.ToUpper(words[0]), words[1]
	case 0:
		return nil, usageError{"no URL given"}
	default:
		return nil, usageError{"too many words: " + strconv.Quote(words[2]) + " (give [METHOD] URL; quote a header or body)"}
	}
	if o.method == "" {
		o.method = "GET"
		if o.hasBody {
			o.method = "POST"
		}
	}
	return o, nil
}

func (o *options) set(name, v string) error {
	switch name {
	case "-u", "--user":
		o.user, o.password, o.hasPassword = strings.Cut(v, ":")
	case "--auth":
		o.auth = v
	case "--token":
		o.token = v
	case "-H", "--header":
		o.headers = append(o.headers, v)
	case "-d", "--data":
		o.body, o.hasBody = v, true
	case "--aws-region":
		o.region = v
	case "--aws-service":
		o.service = v
	case "--scope":
		o.scope = v
	case "--max-redirects":
		n, err := strconv.Atoi(v)
		if err != nil {
			return usageError{"--max-redirects takes a whole number"}
		}
		o.maxRedirects = n
	}
	return nil
}

// nearOption names the option a was probably meant to be.
func nearOption(a string) string {
	best, bestD := "", 3
	names := append([]string{}, flagsAlone...)
	for n := range flagsWithValue {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if d := distance(a, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + best + "?"
}

func distance(a, b string) int {
	d := make([]int, len(b)+1)
	for j := range d {
		d[j] = j
	}
	for i := 1; i <= len(a); i++ {
		prev := d[0]
		d[0] = i
		for j := 1; j <= len(b); j++ {
			cur := d[j]
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[j] = min(d[j]+1, d[j-1]+1, prev+cost)
			prev = cur
		}
	}
	return d[len(b)]
}

// send builds the request, sends it, and prints the answer; it returns the
// exit status.
func send(ctx context.Context, o *options, t *terminal) (int, error) {
	req, err := authlib.NewRequest(ctx, o.method, o.url, nil)
	if err != nil {
		return exitUsage, err
	}
	for _, h := range o.headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return exitUsage, usageError{"-H takes 'Name: value'"}
		}
		req.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if o.hasBody {
		if req.Body, err = readBody(o.body, t.in); err != nil {
			return exitUsage, err
		}
	}
	auth, err := o.credentials(req.URL, t)
	if err != nil {
		return exitUsage, err
	}
	var tr authlib.Transport = &nethttp.Transport{}
	if o.verbose {
		tr = &verbose{next: tr, w: t.err, reveal: o.reveal}
	}
	c := &authlib.Client{Transport: tr, Auth: auth, AllowInsecure: o.allowInsecure, MaxRedirects: o.maxRedirects}
	res, err := c.Do(req)
	if err != nil {
		return exitOf(err), err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return exitNetwork, &authlib.Error{Kind: authlib.ErrNetwork, Op: o.method, URL: authlib.RedactURL(req.URL), Detail: "the body could not be read", Err: err}
	}
	if o.include {
		fmt.Fprintf(t.out, "HTTP %d\n", res.StatusCode)
		for _, name := range res.Header.Names() {
			for _, v := range res.Header.Values(name) {
				fmt.Fprintf(t.out, "%s: %s\n", name, v)
			}
		}
		fmt.Fprintln(t.out)
	}
	if isTerminal(t.out) && strings.Contains(res.Header.Get("Content-Type"), "json") {
		var pretty bytes.Buffer
		if json.Indent(&pretty, body, "", "  ") == nil {
			body = append(pretty.Bytes(), '\n')
		}
	}
	t.out.Write(body)
	switch {
	case res.StatusCode >= 500:
		return exit5xx, nil
	case res.StatusCode >= 400:
		if res.StatusCode == 401 && o.auth != "none" {
			fmt.Fprintln(t.err, "authlib: 401: the server refused the credentials (or asked for another scheme: see -v)")
		}
		return exit4xx, nil
	}
	return exitOK, nil
}

// exitOf is the status of a request that failed: refused before sending,
// or nothing answered.
func exitOf(err error) int {
	for _, kind := range []error{authlib.ErrNetwork, authlib.ErrTimeout, authlib.ErrCanceled, authlib.ErrRetriesExhausted} {
		if errors.Is(err, kind) {
			return exitNetwork
		}
	}
	return exitUsage
}

func readBody(spec string, stdin io.Reader) ([]byte, error) {
	switch {
	case spec == "@-":
		return io.ReadAll(stdin)
	case strings.HasPrefix(spec, "@"):
		b, err := os.ReadFile(spec[1:])
		if err != nil {
			return nil, usageError{"-d " + spec + ": the file cannot be read"}
		}
		return b, nil
	}
	return []byte(spec), nil
}

// credentials returns the Auth the options ask for, asking for a password
// or token left out.
func (o *options) credentials(u *url.URL, t *terminal) (authlib.Auth, error) {
	scheme := o.auth
	if scheme == "" {
		switch {
		case o.user != "":
			scheme = "basic"
		case o.token != "":
			scheme = "bearer"
		default:
			// A login kept for the resource (authlib login), else netrc.
			l, dir, err := findLogin(u)
			switch {
			case err != nil:
				return nil, err
			case l != nil:
				return &oauth2.Auth{Source: l.source(dir)}, nil
			case o.noNetrc:
				scheme = "none"
			default:
				scheme = "netrc"
			}
		}
	}
	secret := func(what string) (string, error) {
		if o.passwordStdin {
			line, err := bufio.NewReader(t.in).ReadString('\n')
			if err != nil && line == "" {
				return "", usageError{"--password-stdin: nothing on standard input"}
			}
			return strings.TrimRight(line, "\r\n"), nil
		}
		return prompt(t, what+" for "+u.Host+": ")
	}
	switch {
	case scheme == "none":
		return nil, nil
	case scheme == "netrc":
		return authlib.Netrc{}, nil
	case scheme == "basic" || scheme == "digest":
		if o.user == "" {
			return nil, usageError{"--auth " + scheme + " needs -u user"}
		}
		if !o.hasPassword {
			p, err := secret("Password of " + o.user)
			if err != nil {
				return nil, err
			}
			o.password = p
		}
		if scheme == "digest" {
			return &authlib.Digest{Username: o.user, Password: o.password}, nil
		}
		return authlib.Basic{Username: o.user, Password: o.password}, nil
	case scheme == "bearer" || strings.HasPrefix(scheme, "header:"):
		tok := o.token
		if tok == "" {
			var err error
			if tok, err = secret("Token"); err != nil {
				return nil, err
			}
		}
		if scheme == "bearer" {
			return authlib.Bearer{Token: tok}, nil
		}
		return authlib.HeaderAuth{Name: strings.TrimPrefix(scheme, "header:"), Value: tok}, nil
	case scheme == "aws4":
		a := &authlib.AWSV4{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
			SessionToken: os.Getenv("AWS_SESSION_TOKEN"), Region: o.region, Service: o.service}
		if a.AccessKeyID == "" || a.SecretAccessKey == "" {
			return nil, usageError{"--auth aws4 takes its keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"}
		}
		return a, nil
	}
	return nil, usageError{"--auth " + scheme + ": not a scheme of this command (basic, digest, bearer, header:NAME, aws4, none)"}
}
