package authlib

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// awsCase is one case of the AWS SigV4 test suite (testdata/aws-sigv4).
type awsCase struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	Expiration  int64     `json:"expiration_in_seconds"`
	Normalize   bool      `json:"normalize"`
	Region      string    `json:"region"`
	Service     string    `json:"service"`
	SignBody    bool      `json:"sign_body"`
	Timestamp   time.Time `json:"timestamp"`
	OmitSession bool      `json:"omit_session_token"`

	method, target string
	headers        [][2]string
	body           []byte
}

func readAWSCase(t *testing.T, dir string) *awsCase {
	t.Helper()
	var c awsCase
	b, err := os.ReadFile(filepath.Join(dir, "context.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "request.txt"))
	if err != nil {
		t.Fatal(err)
	}
	head, body, _ := strings.Cut(string(raw), "\n\n")
	c.body = []byte(body)
	lines := strings.Split(head, "\n")
	first := strings.Fields(lines[0])
	c.method, c.target = first[0], strings.TrimSuffix(strings.TrimPrefix(lines[0], first[0]+" "), " HTTP/1.1")
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' { // an obsolete folded line
			c.headers[len(c.headers)-1][1] += "\n" + l
			continue
		}
		name, value, _ := strings.Cut(l, ":")
		c.headers = append(c.headers, [2]string{name, value})
	}
	return &c
}

func (c *awsCase) signer() *awsv4 {
	path, query, _ := strings.Cut(c.target, "?")
	s := &awsv4{method: c.method, path: path, query: query, time: c.Timestamp, region: c.Region, service: c.Service,
		accessKeyID: c.Credentials.AccessKeyID, secret: c.Credentials.SecretAccessKey, normalize: c.Normalize, encodeTwice: true}
	s.headers = append(s.headers, c.headers...)
	s.payloadHash = awsPayloadHash(c.body, false)
	return s
}

func want(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimRight(string(b), "\n")
}

// TestAWSV4Suite checks every case of the AWS SigV4 test suite, exactly:
// the canonical request, the string to sign, the signature and the
// Authorization field, signed in headers and in the query.
func TestAWSV4Suite(t *testing.T) {
	dirs, err := filepath.Glob("testdata/aws-sigv4/*/context.json")
	if err != nil || len(dirs) < 30 {
		t.Fatalf("the suite is missing: %d cases, %v", len(dirs), err)
	}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			c := readAWSCase(t, dir)

			// Signed in headers.
			s := c.signer()
			s.headers = append(s.headers, [2]string{"X-Amz-Date", c.Timestamp.UTC().Format(awsTime)})
			if c.Credentials.Token != "" && !c.OmitSession {
				s.headers = append(s.headers, [2]string{"X-Amz-Security-Token", c.Credentials.Token})
			}
			if c.SignBody {
				s.headers = append(s.headers, [2]string{"X-Amz-Content-Sha256", s.payloadHash})
			}
			sig := s.sign()
			if w := want(t, dir, "header-canonical-request.txt"); sig.CanonicalRequest != w {
				t.Errorf("canonical request:\n%s\nwant:\n%s", sig.CanonicalRequest, w)
			}
			if w := want(t, dir, "header-string-to-sign.txt"); sig.StringToSign != w {
				t.Errorf("string to sign:\n%s\nwant:\n%s", sig.StringToSign, w)
			}
			if w := want(t, dir, "header-signature.txt"); sig.Signature != w {
				t.Errorf("signature %s, want %s", sig.Signature, w)
			}
			signed := want(t, dir, "header-signed-request.txt")
			if a := "Authorization:" + awsAuthorization(c.Credentials.AccessKeyID, sig); !strings.Contains(signed, a+"\n") && !strings.HasSuffix(signed, a) {
				t.Errorf("%s\nnot in the signed request:\n%s", a, signed)
			}

			// Signed in the query.
			q := c.signer()
			token := c.Credentials.Token
			if c.OmitSession {
				token = ""
			}
			query := q.presign(q.query, c.Expiration, token)
			if c.OmitSession { // the token added after signing, unsigned (AWS IoT's way)
				query += "&X-Amz-Security-Token=" + awsEncode(c.Credentials.Token, true)
			}
			if w := want(t, dir, "query-canonical-request.txt"); q.sign().CanonicalRequest != w {
				t.Errorf("query canonical request:\n%s\nwant:\n%s", q.sign().CanonicalRequest, w)
			}
			if w := want(t, dir, "query-string-to-sign.txt"); q.sign().StringToSign != w {
				t.Errorf("query string to sign:\n%s\nwant:\n%s", q.sign().StringToSign, w)
			}
			line := strings.SplitN(want(t, dir, "query-signed-request.txt"), "\n", 2)[0]
			wantQuery := line[strings.IndexByte(line, '?')+1 : strings.LastIndex(line, " HTTP/")]
			if awsCanonicalQuery(query) != awsCanonicalQuery(wantQuery) {
				t.Errorf("query:\n%s\nwant (in any order):\n%s", query, wantQuery)
			}
		})
	}
}

// parseAWSTime reads what time.Parse reads with AWS's layout, and refuses
// what it refuses.
func TestParseAWSTime(t *testing.T) {
	for _, s := range []string{"20150830T123600Z", "20240229T235959Z", "20230229T000000Z", "20150830T123600", "2015083OT123600Z", "20151330T123600Z", "20150830T246000Z", "", "20150830 123600Z", "+0150830T123600Z"} {
		want, err := time.Parse(awsTime, s)
		got, ok := parseAWSTime(s)
		if ok != (err == nil) || ok && !got.Equal(want) {
			t.Errorf("%q: %v %v, time.Parse %v %v", s, got, ok, want, err)
		}
	}
}
