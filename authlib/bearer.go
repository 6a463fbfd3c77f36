package authlib

import (
	"fmt"
	"strconv"
)

// Bearer sends an OAuth 2.0 bearer token (RFC 6750 §2.1), such as a GitHub
// personal access token: "Authorization: Bearer <token>". The token must
// be an RFC 6750 b64token: letters, digits, "-._~+/", then any "=".
type Bearer struct {
	Token string // an RFC 6750 b64token, sent after "Bearer "
}

// Apply sets Authorization.
func (b Bearer) Apply(req *Request) error {
	v, err := b.HeaderValue()
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", v)
	return nil
}

// HeaderValue returns "Bearer <token>" after checking the token.
func (b Bearer) HeaderValue() (string, error) {
	if r := checkB64Token(b.Token); r != "" {
		return "", credentialError("bearer", r)
	}
	return "Bearer " + b.Token, nil
}

// Format masks the token.
func (b Bearer) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.Bearer", "Token", "[redacted]")
}

// checkB64Token returns why t is not an RFC 6750 b64token, or "".
func checkB64Token(t string) string {
	if t == "" {
		return "the token is empty"
	}
	if t[0] == '=' {
		return "the token starts with '='"
	}
	eq := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '=':
			eq = true
			continue
		case eq:
			return "the token has characters after its trailing '=' padding (byte " + strconv.Itoa(i) + ")"
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/':
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			return "the token contains white space or a line break at byte " + strconv.Itoa(i) + " (trim it)"
		default:
			return "the token contains a character outside RFC 6750's b64token set at byte " + strconv.Itoa(i)
		}
	}
	return ""
}
