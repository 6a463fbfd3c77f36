package oauth2

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseJSON: the small reader agrees with encoding/json (json.Valid,
// and decoding into an any with UseNumber) on every input nested no deeper
// than it reads.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"access_token":"a","expires_in":3600,"scope":null}`, `[1,2.5e3,-0,true,false]`,
		`"\ud83d\ude00 \u00e9 \ud800"`, `{"a":{"b":[{}]}}`, `01`, `1e999`, `{"a":1,"a":2}`, "\"\xff\"", ` {} `, `{"a" 1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.Count(s, "[")+strings.Count(s, "{") > maxJSONDepth {
			return
		}
		got, err := parseJSON(s)
		if valid := json.Valid([]byte(s)); (err == nil) != valid {
			t.Fatalf("%q: ours %v, encoding/json valid %v", s, err, valid)
		}
		var want any
		if err == nil {
			dec := json.NewDecoder(strings.NewReader(s))
			dec.UseNumber()
			if err := dec.Decode(&want); err != nil {
				t.Fatal(err)
			}
			want = numbers(want)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: ours %#v, encoding/json %#v", s, got, want)
		}
	})
}

// quoteJSON writes what encoding/json reads back.
func FuzzQuoteJSON(f *testing.F) {
	f.Add("a\"b\\c\n\u2028<>&é")
	f.Fuzz(func(t *testing.T, s string) {
		var back string
		if err := json.Unmarshal([]byte(quoteJSON(s)), &back); err != nil {
			t.Fatalf("%q → %s: %v", s, quoteJSON(s), err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("%q → %q", s, back)
		}
	})
}

// FuzzParseToken: a token response it accepts has an access token that
// can be sent, and survives Token.JSON.
func FuzzParseToken(f *testing.F) {
	for _, s := range []string{`{"access_token":"a","token_type":"bearer","expires_in":3600,"refresh_token":"r"}`,
		`{"access_token":"a","expires_at":1700000000,"scope":"x y"}`, `{"access_token":"a b"}`, `{"access_token":"a","token_type":"mac"}`} {
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
		if err != nil || again.AccessToken != tok.AccessToken || again.RefreshToken != tok.RefreshToken || !again.Expiry.Equal(tok.Expiry) {
			t.Fatalf("%q: round trip %v", s, err)
		}
	})
}

// numbers turns encoding/json's json.Number into jsonNumber.
func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		return jsonNumber(x)
	case map[string]any:
		for k, e := range x {
			x[k] = numbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbers(e)
		}
	}
	return v
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
