package wire

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// aws4 and netrc decode natively, and every refusal names what is wrong.
func TestAWS4AndNetrcDecodeAndEachRefusalNamesTheField(t *testing.T) {
	var o Options
	if err := o.Apply(msg("auth", "aws4", "auth.accessKeyId", "AKID", "auth.secretAccessKey", "s", "auth.sessionToken", "tok",
		"auth.region", "eu-west-1", "auth.service", "s3", "auth.unsignedPayload", "true")); err != nil {
		t.Fatal(err)
	}
	a, ok := o.Auth.(*authlib.AWSV4)
	if !ok || a.AccessKeyID != "AKID" || a.SecretAccessKey != "s" || a.SessionToken != "tok" || a.Region != "eu-west-1" || a.Service != "s3" ||
		!a.UnsignedPayload || o.SchemeFunc || o.Scheme != "aws4" {
		t.Fatalf("%+v %+v", o, a)
	}
	if err := o.Apply(msg("auth", "aws4", "auth.credentials", "1", "auth.region", "eu-west-1")); err != nil || !o.SchemeFunc {
		t.Fatalf("a credentials function: %v %+v", err, o)
	}
	if err := o.Apply(msg("auth", "netrc", "auth.text", "machine h login u password p", "auth.mode", "384")); err != nil {
		t.Fatal(err)
	}
	if n, ok := o.Auth.(authlib.Netrc); !ok || n.File == nil || o.SchemeFunc {
		t.Fatalf("netrc: %+v", o)
	}
	for _, tc := range []struct {
		fields []string
		want   string
	}{
		{[]string{"auth", "aws4", "auth.secretAccessKey", "s"}, "auth.accessKeyId must be a string"},
		{[]string{"auth", "aws4", "auth.accessKeyId", "A", "auth.secretAccessKey", Bad}, "auth.secretAccessKey must be a string"},
		{[]string{"auth", "aws4", "auth.accessKeyId", "A", "auth.secretAccessKey", "s", "auth.region", Bad}, "auth.region must be a string"},
		{[]string{"auth", "aws4", "auth.accessKeyId", "A", "auth.secretAccessKey", "s", "auth.unsignedPayload", Bad}, "unsignedPayload must be a boolean"},
		{[]string{"auth", "netrc", "auth.text", "machine h login u password p", "auth.mode", "420"}, "chmod 600"},
		{[]string{"auth", "netrc", "auth.text", "login u", "auth.mode", "384"}, "line 1"},
		{[]string{"auth", "netrc", "auth.mode", "384"}, "not read"},
	} {
		var o Options
		err := o.Apply(msg(tc.fields...))
		if !errors.Is(err, authlib.ErrInvalidCredentials) || !strings.Contains(err.Error(), tc.want) || o.Auth != nil {
			t.Errorf("%q: %v", tc.fields, err)
		}
	}
}

func TestReadAWSCredentials(t *testing.T) {
	c, err := ReadAWSCredentials(msg("auth.accessKeyId", "ASIA", "auth.secretAccessKey", "s", "auth.sessionToken", "t", "auth.expiration", "1764676800000"))
	if err != nil || c.AccessKeyID != "ASIA" || c.SessionToken != "t" || !c.Expires.Equal(time.UnixMilli(1764676800000)) {
		t.Fatalf("%v %v", c, err)
	}
	if c, err := ReadAWSCredentials(msg("auth.accessKeyId", "A", "auth.secretAccessKey", "s")); err != nil || !c.Expires.IsZero() {
		t.Fatalf("no expiration: %v %v", c, err)
	}
	for _, m := range []*Message{
		msg("auth.secretAccessKey", "s"),
		msg("auth.accessKeyId", "A", "auth.secretAccessKey", Bad),
		msg("auth.accessKeyId", "A", "auth.secretAccessKey", "s", "auth.expiration", "NaN"),
		msg("auth.accessKeyId", "A", "auth.secretAccessKey", "s", "auth.expiration", "1.5"),
	} {
		if _, err := ReadAWSCredentials(m); !errors.Is(err, authlib.ErrInvalidCredentials) || !strings.Contains(err.Error(), "the credentials function must return") {
			t.Errorf("%v: %v", m, err)
		}
	}
}

// Each scheme's reader needs what SchemeFields says: with every field it
// reads the scheme; without a required one it refuses naming it; without
// an optional one it still reads; a field of another type is refused.
// And each scheme of the table has a reader, and each reader a row.
func TestSchemeReadersNeedWhatTheTableSays(t *testing.T) {
	valid := map[string]string{"text": "machine h login u password p", "mode": "384"}
	value := func(f SchemeField) string {
		if v, ok := valid[f.Name]; ok {
			return v
		}
		switch f.Type {
		case Number:
			return "1"
		case Bool:
			return "true"
		}
		return "x"
	}
	rows := map[string][]SchemeField{}
	for _, f := range SchemeFields {
		rows[f.Scheme] = append(rows[f.Scheme], f)
	}
	for s := range schemes {
		if rows[s] == nil {
			t.Errorf("scheme %s has a reader and no row", s)
		}
	}
	for s, fields := range rows {
		if schemes[s] == nil {
			t.Errorf("scheme %s has rows and no reader", s)
			continue
		}
		build := func(skip string, bad bool) *Message {
			kv := []string{"auth", s}
			if s == "httpsig" {
				kv = append(kv, "auth.secret", "c2VjcmV0") // or a signer beside
			}
			for _, f := range fields {
				switch {
				case f.Name == skip && bad:
					kv = append(kv, "auth."+f.Name, Bad)
				case f.Name != skip:
					kv = append(kv, "auth."+f.Name, value(f))
				}
			}
			return msg(kv...)
		}
		var o Options
		if err := o.Apply(build("", false)); err != nil || o.Auth == nil || o.Scheme != s {
			t.Errorf("%s with every field: %v %+v", s, err, o)
		}
		for _, f := range fields {
			var o Options
			err := o.Apply(build(f.Name, false))
			if f.Optional && err != nil {
				t.Errorf("%s without its optional %s: %v", s, f.Name, err)
			}
			if !f.Optional && err == nil {
				t.Errorf("%s without its required %s: no refusal", s, f.Name)
			}
			if err := (&Options{}).Apply(build(f.Name, true)); err == nil || (s != "netrc" && !strings.Contains(err.Error(), "auth."+f.Name)) {
				t.Errorf("%s with %s of another type: %v", s, f.Name, err)
			}
		}
	}
}
