package oauth2

import (
	"fmt"
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
// a saved token moves between the two.
type Token struct {
	AccessToken  string
	TokenType    string // "Bearer"; an empty type is taken as Bearer
	RefreshToken string
	// Expiry is when the access token expires; zero means it does not say.
	Expiry  time.Time
	Scope   string
	IDToken string // OpenID Connect, when the server sends one
}

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
	s := `{"access_token":` + quoteJSON(t.AccessToken) + `,"token_type":` + quoteJSON(typ)
	if t.RefreshToken != "" {
		s += `,"refresh_token":` + quoteJSON(t.RefreshToken)
	}
	if !t.Expiry.IsZero() {
		s += `,"expires_in":` + strconv.FormatInt(int64(max(t.Expiry.Sub(now), 0)/time.Second), 10) +
			`,"expires_at":` + strconv.FormatInt(t.Expiry.Unix(), 10)
	}
	if t.Scope != "" {
		s += `,"scope":` + quoteJSON(t.Scope)
	}
	if t.IDToken != "" {
		s += `,"id_token":` + quoteJSON(t.IDToken)
	}
	return s + "}"
}

// ParseToken reads a token saved by [Token.JSON] or by requests-oauthlib:
// expires_at wins over expires_in, which counts from now.
func ParseToken(s string, now time.Time) (*Token, error) {
	v, err := parseJSON(s)
	m, ok := v.(map[string]any)
	if err != nil || !ok {
		return nil, &authlib.Error{Kind: ErrTokenResponse, Op: "oauth2 token", Detail: "the saved token is not a JSON object"}
	}
	return tokenFromJSON(m, now, "oauth2 token", "")
}

// tokenFromJSON checks and reads a token object (RFC 6749 §5.1).
func tokenFromJSON(m map[string]any, now time.Time, op, where string) (*Token, error) {
	bad := func(detail string) error {
		return &authlib.Error{Kind: ErrTokenResponse, Op: op, URL: where, Detail: detail}
	}
	t := &Token{}
	var ok bool
	if t.AccessToken, ok = m["access_token"].(string); !ok || t.AccessToken == "" {
		return nil, bad("the token response has no access_token")
	}
	if r := authlib.CheckHeaderValue(t.AccessToken); r != "" || strings.ContainsAny(t.AccessToken, " \t") {
		return nil, bad("the access_token cannot be sent as a Bearer token (it is not a b64token)")
	}
	typ, _ := m["token_type"].(string)
	if typ != "" && !strings.EqualFold(typ, "Bearer") {
		return nil, bad("the token_type is " + strconv.Quote(cut(typ, 20)) + ", not Bearer; authlib sends Bearer tokens only")
	}
	t.TokenType = "Bearer"
	if v, has := m["refresh_token"]; has && v != nil {
		if t.RefreshToken, ok = v.(string); !ok {
			return nil, bad("the refresh_token is not a string")
		}
	}
	if v, has := m["scope"]; has && v != nil {
		if t.Scope, ok = v.(string); !ok {
			return nil, bad("the scope is not a string")
		}
	}
	t.IDToken, _ = m["id_token"].(string)
	if at, has := m["expires_at"]; has && at != nil {
		f, ok := number(at)
		if !ok {
			return nil, bad("expires_at is not a number")
		}
		t.Expiry = time.Unix(f, 0)
	} else if in, has := m["expires_in"]; has && in != nil {
		f, ok := number(in)
		if !ok || f < 0 {
			return nil, bad("expires_in is not a number of seconds")
		}
		t.Expiry = now.Add(time.Duration(f) * time.Second)
	}
	return t, nil
}

// number reads a whole number of seconds: a JSON number (a fraction is
// cut off), or a string of digits (some servers quote expires_in).
func number(v any) (int64, bool) {
	var s string
	switch x := v.(type) {
	case jsonNumber:
		s, _, _ = strings.Cut(string(x), ".")
		if strings.ContainsAny(s, "eE") {
			return 0, false
		}
	case string:
		s = x
	default:
		return 0, false
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
