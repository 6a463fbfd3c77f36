package authlib

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParseChallenges(t *testing.T) {
	p := func(n, v string) Param { return Param{n, v} }
	for _, tc := range []struct {
		name    string
		fields  []string
		want    []Challenge
		problem string // what the error says, when one challenge was malformed
	}{
		{"RFC 9110 example: two challenges in one field",
			[]string{`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`},
			[]Challenge{
				{Scheme: "Newauth", Params: []Param{p("realm", "apps"), p("type", "1"), p("title", `Login to "apps"`)}},
				{Scheme: "Basic", Params: []Param{p("realm", "simple")}},
			}, ""},
		{"across fields, case-insensitive names",
			[]string{`BASIC REALM="a"`, `digest Realm="b", NONCE="n", Algorithm=SHA-256`},
			[]Challenge{
				{Scheme: "BASIC", Params: []Param{p("realm", "a")}},
				{Scheme: "digest", Params: []Param{p("realm", "b"), p("nonce", "n"), p("algorithm", "SHA-256")}},
			}, ""},
		{"token68 and bare schemes",
			[]string{`Negotiate, NTLM abc+/=, Bearer`, `Mutual YWJj==  ,Other`},
			[]Challenge{{Scheme: "Negotiate"}, {Scheme: "NTLM", Token68: "abc+/="}, {Scheme: "Bearer"},
				{Scheme: "Mutual", Token68: "YWJj=="}, {Scheme: "Other"}}, ""},
		{"white space around = and empty list elements",
			[]string{` , Digest realm = "r" ,, nonce= "n",qop="auth, auth-int" , `},
			[]Challenge{{Scheme: "Digest", Params: []Param{p("realm", "r"), p("nonce", "n"), p("qop", "auth, auth-int")}}}, ""},
		{"duplicate parameter: ignored, the next still read",
			[]string{`Digest realm="a", realm="b", nonce="n", Basic realm="x"`},
			[]Challenge{{Scheme: "Basic", Params: []Param{p("realm", "x")}}},
			"the parameter realm appears twice in the Digest challenge"},
		{"syntax errors: skipped, parsing resumes, the first is reported",
			[]string{`Digest realm="unterminated`, `Bad realm="x" junk, Basic realm="ok"`, `=oops, Bearer realm="b"`},
			[]Challenge{{Scheme: "Basic", Params: []Param{p("realm", "ok")}}, {Scheme: "Bearer", Params: []Param{p("realm", "b")}}},
			"the quoted value of realm is not terminated in the Digest challenge"},
		{"text after a value", []string{`Bad realm="x" junk`}, nil, "unexpected text after the parameter realm in the Bad challenge"},
		{"no value", []string{`Digest nonce="n", realm=`}, nil, "the parameter realm has no value in the Digest challenge"},
		{"no scheme", []string{`=x`}, nil, "a challenge does not start with an auth-scheme"},
		{"control character", []string{"Digest realm=\"a\x01b\""}, nil, "the quoted value of realm holds a control character in the Digest challenge"},
		{"empty", []string{"", "  ,  "}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseChallenges(tc.fields...)
			var e *Error
			switch {
			case tc.problem == "" && err != nil:
				t.Fatal(err)
			case tc.problem != "" && (!errors.As(err, &e) || e.Kind != ErrMalformedChallenge || e.Detail != tc.problem):
				t.Fatalf("err = %v; want malformed: %s", err, tc.problem)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestParseChallengesBounds(t *testing.T) {
	_, err := ParseChallenges(strings.Repeat("a", MaxChallengeBytes+1))
	if !errors.Is(err, ErrMalformedChallenge) {
		t.Errorf("oversized: %v", err)
	}
	_, err = ParseChallenges(strings.Repeat("Basic, ", MaxChallenges+1))
	if !errors.Is(err, ErrMalformedChallenge) {
		t.Errorf("too many: %v", err)
	}
	many := "Digest "
	for i := 0; i <= MaxChallengeParams; i++ {
		if i > 0 {
			many += ", "
		}
		many += "p" + strconv.Itoa(i) + "=1"
	}
	if cs, err := ParseChallenges(many); len(cs) != 0 || !errors.Is(err, ErrMalformedChallenge) {
		t.Errorf("a challenge with too many parameters: %d kept, %v", len(cs), err)
	}
}

func TestChallengeStringRoundTrip(t *testing.T) {
	c := Challenge{Scheme: "Digest", Params: []Param{
		{"realm", `a "quoted" \ realm`}, {"qop", "auth, auth-int"}, {"algorithm", "SHA-256"},
		{"nonce", "n=="}, {"stale", "true"}, {"charset", "UTF-8"},
	}}
	s := c.String()
	want := `Digest realm="a \"quoted\" \\ realm", qop="auth, auth-int", algorithm=SHA-256, nonce="n==", stale=true, charset=UTF-8`
	if s != want {
		t.Fatalf("String() = %s\nwant       %s", s, want)
	}
	got, err := ParseChallenges(s)
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], c) {
		t.Fatalf("round trip: %#v %v", got, err)
	}
	two := FormatChallenges([]Challenge{{Scheme: "Basic", Params: []Param{{"realm", "x"}}}, {Scheme: "NTLM", Token68: "abc="}})
	if two != `Basic realm="x", NTLM abc=` {
		t.Fatalf("FormatChallenges = %s", two)
	}
}

func TestParseCredentials(t *testing.T) {
	c, err := ParseCredentials(`Digest username="Mufasa", nc=00000001, qop=auth`)
	if err != nil || !c.Is("digest") {
		t.Fatal(c, err)
	}
	if v, _ := c.Param("NC"); v != "00000001" {
		t.Errorf("nc = %q", v)
	}
	for _, bad := range []string{"", "Basic a, Bearer b", `Digest username="x`} {
		if _, err := ParseCredentials(bad); !errors.Is(err, ErrMalformedChallenge) {
			t.Errorf("ParseCredentials(%q) err = %v", bad, err)
		}
	}
}

// FuzzParseChallenges: parsing never panics, and what it returns prints to
// text that parses back to the same challenges.
func FuzzParseChallenges(f *testing.F) {
	for _, s := range []string{
		rfcChallenge,
		`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`,
		`Negotiate, NTLM abc+/=, Bearer`,
		`Digest realm="a", realm="b"`,
		`Bearer realm="example", error="invalid_token", error_description="The access token expired"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, _ := ParseChallenges(s)
		var kept []Challenge
		for _, c := range cs {
			if c.Token68 == "" && len(c.Params) == 0 && !strings.Contains(s, c.Scheme) {
				t.Fatalf("scheme %q not in input", c.Scheme)
			}
			kept = append(kept, c)
		}
		printed := FormatChallenges(kept)
		again, err := ParseChallenges(printed)
		if err != nil {
			t.Fatalf("reparse of %q: %v", printed, err)
		}
		if len(kept) == 0 && len(again) == 0 {
			return
		}
		if !reflect.DeepEqual(kept, again) {
			t.Fatalf("round trip changed\ninput   %q\nprinted %q\nfirst   %#v\nsecond  %#v", s, printed, kept, again)
		}
	})
}

// FuzzCheckHeaderValue: a value it accepts has no byte that could split a
// header or be encoded differently by fetch and by Go.
func FuzzCheckHeaderValue(f *testing.F) {
	for _, s := range []string{"abc", "a\r\nb", " x", "x\t", "é", "Bearer abc=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		reason := CheckHeaderValue(v)
		if reason != "" {
			if strings.Contains(reason, v) && len(v) > 3 {
				t.Fatalf("reason repeats the value: %q", reason)
			}
			return
		}
		for i := 0; i < len(v); i++ {
			c := v[i]
			if c == '\r' || c == '\n' || c == 0 || c >= 0x80 || (c < 0x20 && c != '\t') || c == 0x7f {
				t.Fatalf("accepted %q with byte %#x", v, c)
			}
		}
		if v != strings.TrimSpace(v) {
			t.Fatalf("accepted %q with outer white space", v)
		}
	})
}

// FuzzParseBasic: decoding never panics, what decodes encodes back to a
// value that decodes the same, and errors never hold the decoded text.
func FuzzParseBasic(f *testing.F) {
	for _, s := range []string{"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Basic dGVzdDoxMjPCow==", "Basic Og==", "Basic !!", "basic YTpi"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		u, p, err := ParseBasic(v)
		if err != nil {
			if strings.Contains(err.Error(), v) && len(v) > 8 {
				t.Fatalf("error repeats the input: %v", err)
			}
			return
		}
		enc, err := Basic{u, p}.HeaderValue()
		if err != nil {
			t.Fatalf("decoded credentials do not encode: %v", err)
		}
		u2, p2, err := ParseBasic(enc)
		if err != nil || u2 != u || p2 != p {
			t.Fatalf("re-decode: %q %q %v", u2, p2, err)
		}
	})
}
