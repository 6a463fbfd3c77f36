package authlib

import "github.com/authlib-go/authlib/authlib/internal/ascii"

// ParseAuthInfo reads the value of an Authentication-Info or
// Proxy-Authentication-Info field (RFC 9110 §11.6.3): a list of auth-params
// with no scheme, such as Digest's rspauth, cnonce, nc and nextnonce (RFC
// 7616 §3.5). Names are kept in lower case; a repeated name or a syntax
// error is an [ErrMalformedChallenge] error that says which, never
// repeating a value.
func ParseAuthInfo(value string) ([]Param, error) {
	if len(value) > MaxChallengeBytes {
		return nil, &Error{Kind: ErrMalformedChallenge, Detail: "the Authentication-Info field is larger than 16 KiB"}
	}
	p := &challengeParser{s: value}
	var out []Param
	seen := map[string]bool{}
	for {
		p.skipSeparators()
		if p.eof() {
			return out, nil
		}
		name, v, bad := p.param()
		if bad == "" {
			name = ascii.Lower(name)
			p.skipOWS()
			switch {
			case !p.eof() && p.s[p.i] != ',':
				bad = "unexpected text after the parameter " + nameForMessage(name)
			case seen[name]:
				bad = "the parameter " + nameForMessage(name) + " appears twice"
			case len(out) == MaxChallengeParams:
				bad = "more than 256 parameters"
			}
		}
		if bad != "" {
			return nil, &Error{Kind: ErrMalformedChallenge, Detail: bad + " in Authentication-Info"}
		}
		seen[name] = true
		out = append(out, Param{Name: name, Value: v})
	}
}
