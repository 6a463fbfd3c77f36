package wire

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	m := &Message{}
	for _, f := range []struct{ n, v string }{
		{"url", "https://api.example.com/a?b=c"}, {"header", "X-A:line\\no break"}, {"header", "X-B:"},
		{"auth.password", "p\\a\nss\r\n"}, {"timeout", Bad}, {"origins", ""}, {"auth", "basic"},
	} {
		m.Add(f.n, f.v)
	}
	back, err := Decode(m.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if back.Encode() != m.Encode() || back.Len() != m.Len() {
		t.Fatalf("%q != %q", back.Encode(), m.Encode())
	}
	if v, _ := back.Get("auth.password"); v != "p\\a\nss\r\n" {
		t.Fatalf("%q", v)
	}
	if h := back.All("header"); len(h) != 2 || h[0] != "X-A:line\\no break" {
		t.Fatalf("%q", h)
	}
	for _, bad := range []string{"url", "nope=1", "url=a\\x", "url=a\\", "=x"} {
		if _, err := Decode(bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

// FuzzDecode: the decoder never panics, and what it decodes encodes back
// to a message that decodes the same.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"", "url=x", "url=a\\nb\nheader=A:b\nheader=C:d", "timeout=\x00", "url=\\\\\\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Decode(s)
		if err != nil {
			return
		}
		again, err := Decode(m.Encode())
		if err != nil || again.Encode() != m.Encode() || again.Len() != m.Len() {
			t.Fatalf("%q: round trip %v", s, err)
		}
	})
}

// FuzzEncode: any values cross whole.
func FuzzEncode(f *testing.F) {
	f.Add("a", "b\nc", "\\n")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		m := &Message{}
		m.Add("url", a)
		m.Add("header", b)
		m.Add("header", c)
		back, err := Decode(m.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if u, _ := back.Get("url"); u != a {
			t.Fatalf("url %q → %q", a, u)
		}
		if h := back.All("header"); len(h) != 2 || h[0] != b || h[1] != c {
			t.Fatalf("%q", h)
		}
	})
}

// wire.mjs holds the same fields, with the same types, as Fields.
func TestWireMJSHoldsTheSameFields(t *testing.T) {
	src, err := os.ReadFile("../../../wasm/wire.mjs")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src)
	start := strings.Index(body, "export const FIELDS = [")
	if start < 0 {
		t.Fatal("wire.mjs has no FIELDS table")
	}
	end := strings.Index(body[start:], "\n];")
	if start < 0 || end < 0 {
		t.Fatal("wire.mjs has no FIELDS table")
	}
	rows := regexp.MustCompile(`\['([^']+)', '([^']+)'(, true)?\]`).FindAllStringSubmatch(body[start:start+end], -1)
	if len(rows) != len(Fields) {
		t.Fatalf("wire.mjs has %d fields, Go %d", len(rows), len(Fields))
	}
	for i, r := range rows {
		f := Fields[i]
		if r[1] != f.Name || r[2] != string(f.Type) || (r[3] != "") != f.List {
			t.Errorf("field %d: wire.mjs %v, Go %+v", i, r[1:], f)
		}
	}
}

// wire.mjs's SCHEMES holds the same rows as SchemeFields.
func TestWireMJSHoldsTheSameSchemeFields(t *testing.T) {
	src, err := os.ReadFile("../../../wasm/wire.mjs")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src)
	start := strings.Index(body, "export const SCHEMES = [")
	if start < 0 {
		t.Fatal("wire.mjs has no SCHEMES table")
	}
	end := strings.Index(body[start:], "\n];")
	rows := regexp.MustCompile(`\['([^']+)', '([^']+)', '([^']+)'(, true)?\]`).FindAllStringSubmatch(body[start:start+end], -1)
	if len(rows) != len(SchemeFields) {
		t.Fatalf("wire.mjs has %d scheme fields, Go %d", len(rows), len(SchemeFields))
	}
	for i, r := range rows {
		f := SchemeFields[i]
		if r[1] != f.Scheme || r[2] != f.Name || r[3] != string(f.Type) || (r[4] != "") != f.Optional {
			t.Errorf("scheme field %d: wire.mjs %v, Go %+v", i, r[1:], f)
		}
	}
}

// wire.mjs's KEY_VERBS are KeyVerbs.
func TestWireMJSHoldsTheSameKeyVerbs(t *testing.T) {
	src, err := os.ReadFile("../../../wasm/wire.mjs")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`export const KEY_VERBS = \[([^\]]*)\];`).FindStringSubmatch(string(src))
	if m == nil {
		t.Fatal("wire.mjs has no KEY_VERBS")
	}
	var js []string
	for _, v := range regexp.MustCompile(`'([^']+)'`).FindAllStringSubmatch(m[1], -1) {
		js = append(js, v[1])
	}
	if strings.Join(js, " ") != strings.Join(KeyVerbs, " ") {
		t.Fatalf("wire.mjs %q, Go %q", js, KeyVerbs)
	}
}
