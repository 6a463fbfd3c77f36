package authlib

import (
	"github.com/authlib-go/authlib/authlib/internal/ascii"
	"strconv"
	"strings"
)

// Limits on what ParseChallenges reads, so that a hostile server cannot make
// a client spend without bound. Within them, every well-formed challenge is
// read.
const (
	MaxChallengeBytes  = 16 << 10 // all fields together
	MaxChallenges      = 32       // challenges across all fields
	MaxChallengeParams = 256      // parameters of one challenge
)

// Challenge is one challenge of a WWW-Authenticate or Proxy-Authenticate
// field (RFC 9110 §11.6.1), or the credentials of an Authorization field,
// which have the same grammar: a scheme and either a token68 or parameters.
// Parameter names are kept in lower case, in the order received.
type Challenge struct {
	Scheme  string
	Token68 string
	Params  []Param
}

// Param is one auth-param; Value is unquoted.
type Param struct {
	Name  string
	Value string
}

// Is reports whether the challenge's scheme is scheme, ignoring case.
func (c Challenge) Is(scheme string) bool { return ascii.EqualFold(c.Scheme, scheme) }

// Param returns the value of the named parameter (any case).
func (c Challenge) Param(name string) (string, bool) {
	for _, p := range c.Params {
		if ascii.EqualFold(p.Name, name) {
			return p.Value, true
		}
	}
	return "", false
}

// String prints the challenge in the form ParseChallenges reads back. Values
// are quoted except those of algorithm, stale, charset and userhash when they
// are tokens, which is how RFC 7616 writes them.
func (c Challenge) String() string {
	var b strings.Builder
	b.WriteString(c.Scheme)
	if c.Token68 != "" {
		b.WriteString(" ")
		b.WriteString(c.Token68)
		return b.String()
	}
	for i, p := range c.Params {
		if i == 0 {
			b.WriteString(" ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(p.Name)
		b.WriteString("=")
		switch ascii.Lower(p.Name) {
		case "algorithm", "stale", "charset", "userhash":
			if isToken(p.Value) {
				b.WriteString(p.Value)
				continue
			}
		}
		b.WriteString(quote(p.Value))
	}
	return b.String()
}

// FormatChallenges joins challenges into one field value.
func FormatChallenges(cs []Challenge) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.String()
	}
	return strings.Join(s, ", ")
}

// quote returns s as an RFC 9110 quoted-string.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// ParseChallenges reads the challenges of one or more WWW-Authenticate (or
// Proxy-Authenticate) field values: several challenges in one field and
// across fields, quoted strings with escapes, token68, case-insensitive
// names.
//
// A challenge with a syntax error or a repeated parameter is left out
// rather than guessed at, and parsing resumes at the next one; the
// well-formed challenges are returned together with an
// [ErrMalformedChallenge] error that says what was wrong with the first
// bad one (never repeating a parameter value). So a caller may use what
// was readable, and report the error when none of it fits. Input larger
// than [MaxChallengeBytes], or with more than [MaxChallenges] challenges,
// returns no challenges and the error.
func ParseChallenges(values ...string) ([]Challenge, error) {
	total := 0
	for _, v := range values {
		total += len(v)
	}
	if total > MaxChallengeBytes {
		return nil, &Error{Kind: ErrMalformedChallenge, Detail: "the challenge fields are larger than 16 KiB"}
	}
	var out []Challenge
	problem := ""
	for _, v := range values {
		p := &challengeParser{s: v}
		for {
			c, ok, more := p.next()
			if ok {
				if len(out) == MaxChallenges {
					return nil, &Error{Kind: ErrMalformedChallenge, Detail: "more than " + strconv.Itoa(MaxChallenges) + " challenges"}
				}
				out = append(out, c)
			} else if problem == "" {
				problem = p.problem
			}
			if !more {
				break
			}
		}
	}
	if problem != "" {
		return out, &Error{Kind: ErrMalformedChallenge, Detail: problem}
	}
	return out, nil
}

// ParseCredentials reads the value of an Authorization or
// Proxy-Authorization field: exactly one scheme with its token68 or
// parameters.
func ParseCredentials(value string) (Challenge, error) {
	if len(value) > MaxChallengeBytes {
		return Challenge{}, &Error{Kind: ErrMalformedChallenge, Detail: "the credentials are larger than 16 KiB"}
	}
	p := &challengeParser{s: value}
	c, ok, more := p.next()
	switch {
	case !ok && p.problem != "":
		return Challenge{}, &Error{Kind: ErrMalformedChallenge, Detail: "the credentials are malformed: " + p.problem}
	case !ok || more:
		return Challenge{}, &Error{Kind: ErrMalformedChallenge, Detail: "the credentials are not one well-formed scheme"}
	}
	return c, nil
}

type challengeParser struct {
	s       string
	i       int
	problem string // what made the last challenge unusable
}

// fail records why the challenge being read is unusable, and skips it.
func (p *challengeParser) fail(scheme, what string) {
	if scheme != "" {
		what += " in the " + nameForMessage(scheme) + " challenge"
	}
	p.problem = what
	p.recover()
}

// nameForMessage returns a scheme or parameter name, a token the server
// sent, cut short for a message. Kept out of line: it is cold.
//
//go:noinline
func nameForMessage(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func (p *challengeParser) eof() bool { return p.i >= len(p.s) }

func (p *challengeParser) skipOWS() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// skipSeparators skips white space and empty list elements.
func (p *challengeParser) skipSeparators() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == ',') {
		p.i++
	}
}

func (p *challengeParser) token() string {
	start := p.i
	for p.i < len(p.s) && isTchar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// next parses one challenge. ok says whether it is usable (if not,
// p.problem says why); more whether anything is left to read.
func (p *challengeParser) next() (c Challenge, ok, more bool) {
	p.skipSeparators()
	if p.eof() {
		return c, false, false
	}
	c.Scheme = p.token()
	if c.Scheme == "" {
		p.fail("", "a challenge does not start with an auth-scheme")
		return c, false, !p.eof()
	}
	if p.eof() || p.s[p.i] == ',' {
		return c, true, p.more()
	}
	if p.s[p.i] != ' ' && p.s[p.i] != '\t' {
		p.fail(c.Scheme, "an unexpected character after the auth-scheme")
		return c, false, p.more()
	}
	p.skipOWS()
	if p.eof() || p.s[p.i] == ',' {
		return c, true, p.more()
	}
	if t, ok := p.token68(); ok {
		c.Token68 = t
		return c, true, p.more()
	}
	seen := map[string]bool{}
	problem := ""
	for {
		name, value, bad := p.param()
		if bad != "" {
			if problem == "" {
				problem = bad
			}
			p.recover()
		} else {
			lname := ascii.Lower(name)
			switch {
			case problem != "":
			case seen[lname]:
				problem = "the parameter " + nameForMessage(lname) + " appears twice"
			case len(c.Params) == MaxChallengeParams:
				problem = "more than " + strconv.Itoa(MaxChallengeParams) + " parameters"
			}
			seen[lname] = true
			c.Params = append(c.Params, Param{Name: lname, Value: value})
			p.skipOWS()
			if !p.eof() && p.s[p.i] != ',' {
				if problem == "" {
					problem = "unexpected text after the parameter " + nameForMessage(lname)
				}
				p.recover()
			}
		}
		if !p.paramFollows() {
			break
		}
	}
	if problem != "" {
		p.problem = problem + " in the " + nameForMessage(c.Scheme) + " challenge"
		return c, false, p.more()
	}
	return c, true, p.more()
}

func (p *challengeParser) more() bool {
	p.skipSeparators()
	return !p.eof()
}

// recover skips to the next comma outside a quoted string.
func (p *challengeParser) recover() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ',':
			return
		case '"':
			p.i++
			for p.i < len(p.s) && p.s[p.i] != '"' {
				if p.s[p.i] == '\\' {
					p.i++
				}
				p.i++
			}
		}
		p.i++
	}
}

// token68 reads a token68 if one stands here, alone up to a comma or the end.
func (p *challengeParser) token68() (string, bool) {
	j := p.i
	for j < len(p.s) && isToken68Char(p.s[j]) {
		j++
	}
	if j == p.i {
		return "", false
	}
	for j < len(p.s) && p.s[j] == '=' {
		j++
	}
	k := j
	for k < len(p.s) && (p.s[k] == ' ' || p.s[k] == '\t') {
		k++
	}
	if k < len(p.s) && p.s[k] != ',' {
		return "", false
	}
	t := p.s[p.i:j]
	p.i = k
	return t, true
}

func isToken68Char(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'
}

// param reads token BWS "=" BWS ( token / quoted-string ), or says what
// is wrong with it.
func (p *challengeParser) param() (name, value, bad string) {
	name = p.token()
	if name == "" {
		return "", "", "a parameter without a name"
	}
	p.skipOWS()
	if p.eof() || p.s[p.i] != '=' {
		return "", "", "the parameter " + nameForMessage(name) + " has no value"
	}
	p.i++
	p.skipOWS()
	if p.eof() {
		return "", "", "the parameter " + nameForMessage(name) + " has no value"
	}
	if p.s[p.i] == '"' {
		return p.quoted(name)
	}
	value = p.token()
	if value == "" {
		return "", "", "the value of " + nameForMessage(name) + " is neither a token nor a quoted string"
	}
	return name, value, ""
}

func (p *challengeParser) quoted(name string) (string, string, string) {
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return name, b.String(), ""
		case c == '\\':
			p.i++
			if p.i >= len(p.s) {
				return "", "", "the quoted value of " + nameForMessage(name) + " is not terminated"
			}
			if !isQdtextOrPair(p.s[p.i]) {
				return "", "", "the quoted value of " + nameForMessage(name) + " holds a control character"
			}
			b.WriteByte(p.s[p.i])
		case !isQdtextOrPair(c):
			return "", "", "the quoted value of " + nameForMessage(name) + " holds a control character"
		default:
			b.WriteByte(c)
		}
		p.i++
	}
	return "", "", "the quoted value of " + nameForMessage(name) + " is not terminated"
}

// isQdtextOrPair allows HTAB, SP, VCHAR and obs-text.
func isQdtextOrPair(c byte) bool { return c == '\t' || (c >= 0x20 && c != 0x7f) }

// paramFollows consumes the comma and reports whether what follows is
// another parameter of the same challenge (token BWS "="), rather than a
// new challenge.
func (p *challengeParser) paramFollows() bool {
	save := p.i
	p.skipSeparators()
	if p.eof() {
		return false
	}
	j := p.i
	if p.token() == "" {
		p.i = save
		p.skipSeparators()
		return false
	}
	p.skipOWS()
	isParam := !p.eof() && p.s[p.i] == '='
	p.i = j
	return isParam
}
