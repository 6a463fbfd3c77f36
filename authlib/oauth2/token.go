package oauth2

import (
	"fmt"
	"github.com/authlib-go/authlib/authlib/internal/ascii"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// Token is an OAuth 2.0 token (RFC 6749 §5.1). Its JSON form, [Token.JSON]
// and [ParseToken], uses the field names of the token response and of
// Python's requests-oauthlib (access_token, token_type, refresh_token,
// expires_in, expires_at in seconds since the epoch, scope, id_token), so
// a saved token moves between the two; a DPoP token's key thumbprint is
// dpop_jkt.
type Token struct {
	AccessToken  string
	TokenType    string // "Bearer" or "DPoP"; an empty type is taken as Bearer
	RefreshToken string
	// Expiry is when the access token expires; zero means it does not say.
	Expiry  time.Time
	Scope   string
	IDToken string // OpenID Connect, when the server sends one
	// KeyThumbprint is, for a DPoP token, the RFC 7638 thumbprint of the
	// key it is bound to: [Auth] sends it with that key's proofs only.
	KeyThumbprint string

	// life is the lifetime the server gave (expires_in), when known: a
	// [Source] renews no earlier than a quarter of it before expiry.
	life time.Duration
}

// maxLifetime bounds expires_in: a larger one (a server's "never") would
// overflow a time.Duration and land the expiry in the past.
const maxLifetime = 1e9 * time.Second // 31 years

// Format masks the tokens, for every verb of the fmt package.
func (t Token) Format(f fmt.State, verb rune) {
	exp := "none"
	if !t.Expiry.IsZero() {
		exp = t.Expiry.UTC().Format(time.RFC3339)
	}
	io.WriteString(f, "oauth2.Token{AccessToken: "+mask(t.AccessToken)+", TokenType: "+t.TokenType+
		", RefreshToken: "+mask(t.RefreshToken)+", Expiry: "+exp+", Scope: "+t.Scope+"}")
}

func mask(s string) string {
	if s == "" {
		return `""`
	}
	return "[redacted]"
}

// valid reports whether the access token can be used at now, skew before
// its expiry.
func (t *Token) valid(now time.Time, skew time.Duration) bool {
	return t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || now.Add(skew).Before(t.Expiry))
}

// JSON returns the token as a JSON object in requests-oauthlib's form;
// expires_in is counted from now.
func (t *Token) JSON(now time.Time) string {
	typ := t.TokenType
	if typ == "" {
		typ = "Bearer"
	}
	s := `{"access_token":` + strconv.Quote(t.AccessToken) + `,"token_type":` + strconv.Quote(typ)
	for _, f := range [...]struct{ k, v string }{{"refresh_token", t.RefreshToken}, {"scope", t.Scope}, {"id_token", t.IDToken}, {"dpop_jkt", t.KeyThumbprint}} {
		if f.v != "" {
			s += `,"` + f.k + `":` + strconv.Quote(f.v)
		}
	}
	if !t.Expiry.IsZero() {
		s += `,"expires_in":` + strconv.FormatInt(int64(max(t.Expiry.Sub(now), 0)/time.Second), 10) +
			`,"expires_at":` + strconv.FormatInt(t.Expiry.Unix(), 10)
	}
	return s + "}"
}

// ParseToken reads a token saved by [Token.JSON] or by requests-oauthlib
// (which writes scope as a list and expires_at as a float): expires_at
// wins over expires_in, which counts from now.
func ParseToken(s string, now time.Time) (*Token, error) {
	m, err := parseObject(s)
	if err != nil {
		return nil, &authlib.Error{Kind: ErrTokenResponse, Op: "oauth2 saved token", Detail: "the saved token is not a JSON object"}
	}
	return savedToken(m, now)
}

// savedToken reads the fields of a saved token (see [ParseToken]).
func savedToken(m fields, now time.Time) (*Token, error) {
	if v, has := m.get("scope"); has && !v.str {
		list, ok := scopeList(v.text)
		if !ok {
			return nil, &authlib.Error{Kind: ErrTokenResponse, Op: "oauth2 saved token", Detail: "the saved token's scope is neither a string nor a list of scope names"}
		}
		m["scope"] = field{text: list, str: true}
	}
	return tokenFromJSON(m, now, "oauth2 saved token", "")
}

// scopeList reads a JSON array of scope names (printable ASCII without
// spaces) and joins them with a space, as a scope string has them.
func scopeList(text string) (string, bool) {
	names, err := stringList(text)
	for _, n := range names {
		if n == "" || strings.IndexByte(n, ' ') >= 0 {
			return "", false
		}
	}
	return strings.Join(names, " "), err == nil
}

// tokenFromJSON checks and reads a token object (RFC 6749 §5.1). Its
// strings are printable ASCII, as RFC 6749 Appendix A has them.
func tokenFromJSON(m fields, now time.Time, op, where string) (*Token, error) {
	what := "the token response"
	if op == "oauth2 saved token" {
		what = "the saved token"
	}
	bad := func(detail string) error {
		return &authlib.Error{Kind: ErrTokenResponse, Op: op, URL: where, Detail: what + ": " + detail}
	}
	t := &Token{TokenType: "Bearer"}
	for _, f := range [...]struct {
		k   string
		dst *string
	}{{"access_token", &t.AccessToken}, {"refresh_token", &t.RefreshToken}, {"scope", &t.Scope}, {"id_token", &t.IDToken}, {"dpop_jkt", &t.KeyThumbprint}, {"token_type", nil}} {
		v, has := m.get(f.k)
		if !has {
			continue
		}
		if !v.str || !printable(v.text) {
			return nil, bad("the " + f.k + " is not a string of printable ASCII")
		}
		switch {
		case f.dst != nil:
			*f.dst = v.text
		case ascii.EqualFold(v.text, "DPoP"): // RFC 9449 §5
			t.TokenType = "DPoP"
		case !ascii.EqualFold(v.text, "Bearer"):
			return nil, bad("the token_type is " + strconv.Quote(cut(v.text, 20)) + ", not Bearer or DPoP; authlib sends those only")
		}
	}
	if t.AccessToken == "" || strings.IndexByte(t.AccessToken, ' ') >= 0 {
		return nil, bad("no access_token that can be sent as a Bearer token")
	}
	// expires_in gives the lifetime (a saved token's: what was left when
	// it was saved), which bounds how early it is renewed; expires_at,
	// when there is one, the expiry.
	if in, has := m.get("expires_in"); has {
		f, ok := number(in)
		if !ok || f < 0 {
			return nil, bad("expires_in is not a number of seconds")
		}
		t.life = min(time.Duration(min(f, int64(maxLifetime/time.Second)))*time.Second, maxLifetime)
		t.Expiry = now.Add(t.life)
	}
	if at, has := m.get("expires_at"); has {
		f, ok := number(at)
		if !ok {
			return nil, bad("expires_at is not a number")
		}
		t.Expiry = time.Unix(f, 0)
	}
	return t, nil
}

// printable reports a string of VSCHAR (%x20-7E), the characters of
// tokens and scopes; strconv.Quote writes such a string as JSON does.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// number reads a whole number of seconds: a JSON number (a fraction is
// cut off), or a string of digits (some servers quote expires_in).
func number(f field) (int64, bool) {
	s := f.text
	if !f.str {
		s, _, _ = strings.Cut(s, ".")
		if strings.ContainsAny(s, "eE") {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > -1e15 && n < 1e15
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
