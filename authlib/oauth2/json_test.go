package oauth2

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzParseObject: the small reader agrees with encoding/json on every
// input nested no deeper than it reads: it accepts what json.Valid does
// when that is an object, and reads each member as encoding/json does into
// a map[string]json.RawMessage (a string's value decoded).
func FuzzParseObject(f *testing.F) {
	for _, s := range []string{`{"access_token":"a","expires_in":3600,"scope":null}`, `{"a":[1,2.5e3,-0,true,false]}`,
		`{"s":"\ud83d\ude00 \u00e9 \ud800 \udc00\ud800\u0041"}`, `{"a":{"b":[{}]}}`, `{"a":01}`, `{"a":1e999}`, `{"a":1,"a":2}`,
		"{\"a\":\"\xff\"}", ` {} `, `{"a" 1}`, `[]`, `"a"`, `{"a":"\/\b\f\n\r\t\"\\"}`, `{"a":tru}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.Count(s, "[")+strings.Count(s, "{") > maxJSONDepth {
			return
		}
		got, err := parseObject(s)
		valid := json.Valid([]byte(s)) && strings.HasPrefix(strings.TrimLeft(s, " \t\r\n"), "{")
		if (err == nil) != valid {
			t.Fatalf("%q: ours %v, encoding/json valid object %v", s, err, valid)
		}
		if err != nil {
			return
		}
		var want map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: ours %d members, encoding/json %d", s, len(got), len(want))
		}
		for k, raw := range want {
			w := field{text: string(raw)}
			if raw[0] == '"' {
				w.str = true
				if err := json.Unmarshal(raw, &w.text); err != nil {
					t.Fatal(err)
				}
			}
			if got[k] != w {
				t.Fatalf("%q: member %q: ours %#v, encoding/json %#v", s, k, got[k], w)
			}
		}
	})
}

// FuzzParseToken: a token response it accepts has an access token that
// can be sent, and survives Token.JSON.
func FuzzParseToken(f *testing.F) {
	for _, s := range []string{`{"access_token":"a","token_type":"bearer","expires_in":3600,"refresh_token":"r"}`,
		`{"access_token":"a","expires_at":1700000000,"scope":"x y"}`, `{"access_token":"a b"}`, `{"access_token":"a","token_type":"mac"}`,
		`{"access_token":"a\\\"<&","id_token":"h.p.s","scope":null,"expires_in":"60"}`, `{"access_token":"\u00e9"}`} {
		f.Add(s)
	}
	now := time.Unix(1_700_000_000, 0)
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := ParseToken(s, now)
		if err != nil {
			return
		}
		if tok.AccessToken == "" || tok.TokenType != "Bearer" {
			t.Fatalf("%q → %#v", s, tok)
		}
		again, err := ParseToken(tok.JSON(now), now)
		if err != nil || !again.Expiry.Equal(tok.Expiry) {
			t.Fatalf("%q: round trip %v", s, err)
		}
		// The lifetime the server gave is not saved: the expiry is.
		if again.Expiry, again.life = tok.Expiry, tok.life; *again != *tok {
			t.Fatalf("%q: round trip %v", s, err)
		}
		// Token.JSON writes JSON that encoding/json reads the same.
		var back map[string]any
		if err := json.Unmarshal([]byte(tok.JSON(now)), &back); err != nil {
			t.Fatalf("%q: %s: %v", s, tok.JSON(now), err)
		}
		for k, v := range map[string]string{"access_token": tok.AccessToken, "refresh_token": tok.RefreshToken, "scope": tok.Scope, "id_token": tok.IDToken} {
			if b, _ := back[k].(string); b != v {
				t.Fatalf("%q: %s: %s is %q, not %q", s, tok.JSON(now), k, b, v)
			}
		}
	})
}

// A secret that the marker and the text beside it spell again is not shown.
func TestScrubSecretsWhereTheMarkerSpellsTheSecret(t *testing.T) {
	if got := scrubSecrets("0]000000", []string{"]000"}); strings.Contains(got, "]000") {
		t.Errorf("scrubbed to %q", got)
	}
	if got := scrubSecrets("the code abcd is spent", []string{"abcd"}); got != "the code [redacted] is spent" {
		t.Errorf("scrubbed to %q", got)
	}
}
