package nethttp_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

// botocore starts testdata/botocore_sigv4.py, a loopback server that
// signs each request again with botocore (AWS's own Python signer) and
// answers 200 only when its signature is the one received (see
// pythonWith for what it needs).
func botocore(t *testing.T, service string, token string) string {
	t.Helper()
	py := pythonWith(t, "botocore", "python3-botocore")
	args := []string{"testdata/botocore_sigv4.py", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", service}
	if token != "" {
		args = append(args, token)
	}
	return serve(t, py, args...)
}

func TestBotocoreSigV4(t *testing.T) {
	for _, tc := range []struct {
		service, token string
	}{
		{"execute-api", ""},
		{"s3", ""},
		{"es", "FwoGZXIvYXdzEBYaDH/session+token=="},
	} {
		t.Run(tc.service, func(t *testing.T) {
			base := botocore(t, tc.service, tc.token)
			a := &authlib.AWSV4{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
				SessionToken: tc.token, Region: "us-east-1", Service: tc.service}
			c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: a}
			for _, r := range []struct {
				method, path string
				body         string
				header       [][2]string
			}{
				{"GET", "/", "", nil},
				{"GET", "/prod/items/a b/Ünïcode/x%2Fy", "", nil},
				{"GET", "/a/./b/../c//d/", "", nil},
				{"GET", "/k/a!b(c)'*,;=:@$&+.txt", "", nil},
				{"GET", "/q?b=2&a=1&a=0&empty=&bare&sp=a%20b&plus=a+b&star=*&tilde=~&slash=/&u=%C3%BC", "", nil},
				{"POST", "/items", `{"name":"x"}`, [][2]string{{"Content-Type", "application/json"}}},
				{"PUT", "/k/obj.txt", "hello", [][2]string{{"X-Amz-Meta-Note", "two   spaces\tand a tab"}, {"X-Custom", "v1"}}},
				{"DELETE", "/k/obj.txt", "", [][2]string{{"X-Repeat", "a"}, {"X-Repeat", "b"}}},
			} {
				req, err := authlib.NewRequest(context.Background(), r.method, base+r.path, []byte(r.body))
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range r.header {
					req.Header.Add(h[0], h[1])
				}
				res, err := c.Do(req)
				if err != nil {
					t.Fatalf("%s %s: %v", r.method, r.path, err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Errorf("%s %s: botocore disagrees: %d %s", r.method, r.path, res.StatusCode, b)
				}
			}

			// A presigned URL, requested with no credentials.
			u, err := a.Presign(context.Background(), "GET", base+"/k/report.pdf?versionId=3", 15*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			res, err := (&authlib.Client{Transport: &nethttp.Transport{}}).Get(context.Background(), u)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("presigned %s: botocore disagrees: %d %s", u, res.StatusCode, b)
			}
		})
	}
}

// An explicit default port is not sent in Host (net/http sends it; fetch
// does not), so that a signature over the host holds on either transport.
func TestDefaultPortLeftOutOfHost(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = append(got, r.Host) }))
	defer srv.Close()
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	tr := &nethttp.Transport{Base: &http.Transport{DialContext: dial}}
	for _, u := range []string{"http://example.com:80/", "http://example.com:8080/", "http://[::1]:80/"} {
		req, err := authlib.NewRequest(context.Background(), "GET", u, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if want := []string{"example.com", "example.com:8080", "[::1]"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Host sent: %q, want %q", got, want)
	}
}
