package authlib_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authlib-go/authlib/authlib"
	"github.com/authlib-go/authlib/authlib/authtest"
	"github.com/authlib-go/authlib/authlib/nethttp"
)

func TestAWSRegionService(t *testing.T) {
	for _, tc := range []struct{ host, region, service string }{
		{"sqs.eu-west-1.amazonaws.com", "eu-west-1", "sqs"},
		{"iam.amazonaws.com", "us-east-1", "iam"},
		{"sts.amazonaws.com:443", "us-east-1", "sts"},
		{"abc123.execute-api.us-east-2.amazonaws.com", "us-east-2", "execute-api"},
		{"bucket.s3.amazonaws.com", "us-east-1", "s3"},
		{"s3.amazonaws.com", "us-east-1", "s3"},
		{"my.bucket.s3.eu-west-1.amazonaws.com", "eu-west-1", "s3"},
		{"bucket.s3-eu-west-1.amazonaws.com", "eu-west-1", "s3"},
		{"bucket.s3.dualstack.ap-south-1.amazonaws.com", "ap-south-1", "s3"},
		{"ap-123.s3-accesspoint.us-west-2.amazonaws.com", "us-west-2", "s3"},
		{"search-logs-abc.eu-central-1.es.amazonaws.com", "eu-central-1", "es"},
		{"xyz.us-east-1.aoss.amazonaws.com", "us-east-1", "aoss"},
		{"abcdef.lambda-url.us-east-1.on.aws", "us-east-1", "lambda"},
		{"kms-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1", "kms"},
		{"dynamodb.cn-north-1.amazonaws.com.cn", "cn-north-1", "dynamodb"},
		{"EC2.US-EAST-1.AMAZONAWS.COM", "us-east-1", "ec2"},
	} {
		r, s, ok := authlib.AWSRegionService(tc.host)
		if !ok || r != tc.region || s != tc.service {
			t.Errorf("%s: %q %q %v, want %q %q", tc.host, r, s, ok, tc.region, tc.service)
		}
	}
	for _, h := range []string{"example.com", "amazonaws.com.evil.example", "x.lambda-url.on.aws", "foo.bar.amazonaws.com", "127.0.0.1:8080"} {
		if r, s, ok := authlib.AWSRegionService(h); ok {
			t.Errorf("%s: read as %q %q", h, r, s)
		}
	}
}

// A request to a host that names no region is refused before it is sent,
// saying what to give.
func TestAWSV4NeedsRegionForOtherHosts(t *testing.T) {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { sent.Add(1) }))
	defer srv.Close()
	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: &authlib.AWSV4{AccessKeyID: "AKID", SecretAccessKey: sentinel}}
	_, err := c.Get(context.Background(), srv.URL+"/")
	if !errors.Is(err, authlib.ErrInvalidCredentials) || !strings.Contains(err.Error(), "give Region and Service") || sent.Load() != 0 {
		t.Fatalf("err %v, %d sent", err, sent.Load())
	}
	assertNoSecret(t, "region error", err)
}

func TestAWSV4RefusesBadCredentials(t *testing.T) {
	for _, a := range []*authlib.AWSV4{
		{SecretAccessKey: sentinel},
		{AccessKeyID: "AKID"},
		{AccessKeyID: "AK ID", SecretAccessKey: sentinel},
		{AccessKeyID: "AKID", SecretAccessKey: sentinel + "\n"},
		{AccessKeyID: "AKID", SecretAccessKey: sentinel, SessionToken: sentinel + "\r\nX: y"},
		{AccessKeyID: "AKID", SecretAccessKey: sentinel, Region: "us east", Service: "s3"},
		{Credentials: func(context.Context) (authlib.AWSCredentials, error) {
			return authlib.AWSCredentials{}, errors.New("no role")
		}},
		{Credentials: func(context.Context) (authlib.AWSCredentials, error) { panic(sentinel) }},
	} {
		if a.Region == "" {
			a.Region, a.Service = "us-east-1", "s3"
		}
		req, _ := authlib.NewRequest(context.Background(), "GET", "https://b.s3.amazonaws.com/k", nil)
		err := a.Apply(req)
		if !errors.Is(err, authlib.ErrInvalidCredentials) {
			t.Errorf("%v: err %v", a, err)
		}
		assertNoSecret(t, "credentials error", err)
		assertNoSecret(t, "AWSV4", a)
		assertNoSecret(t, "AWSV4 by value", *a)
	}
	assertNoSecret(t, "AWSCredentials", authlib.AWSCredentials{AccessKeyID: "AKID", SecretAccessKey: sentinel, SessionToken: sentinel})
}

// A credentials function still at work when the request's time runs out
// is a timeout (or a cancellation), not refused credentials.
func TestAWSV4CredentialsFunctionStillPendingIsATimeout(t *testing.T) {
	a := &authlib.AWSV4{Region: "us-east-1", Service: "s3", Credentials: func(ctx context.Context) (authlib.AWSCredentials, error) {
		<-ctx.Done()
		return authlib.AWSCredentials{}, ctx.Err()
	}}
	for _, c := range []struct {
		cancel bool
		want   error
	}{{false, authlib.ErrTimeout}, {true, authlib.ErrCanceled}} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		if c.cancel {
			cancel()
		}
		req, _ := authlib.NewRequest(ctx, "GET", "https://b.s3.amazonaws.com/k", nil)
		if err := a.Apply(req); !errors.Is(err, c.want) || errors.Is(err, authlib.ErrInvalidCredentials) {
			t.Errorf("canceled %v: %v", c.cancel, err)
		}
		cancel()
	}
}

// Temporary credentials: asked for once for 100 concurrent requests, and
// again only when they near their expiry.
func TestAWSV4CredentialsRenewOnce(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var calls atomic.Int32
	a := &authlib.AWSV4{Region: "us-east-1", Service: "execute-api", Now: clock,
		Credentials: func(ctx context.Context) (authlib.AWSCredentials, error) {
			n := calls.Add(1)
			time.Sleep(20 * time.Millisecond) // the others arrive meanwhile
			return authlib.AWSCredentials{AccessKeyID: fmt.Sprintf("ASIA%d", n), SecretAccessKey: "s", SessionToken: fmt.Sprintf("tok%d", n),
				Expires: clock().Add(time.Hour)}, nil
		}}
	apply := func() []string {
		var wg sync.WaitGroup
		keys := make([]string, 100)
		for i := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := authlib.NewRequest(context.Background(), "GET", "https://x.execute-api.us-east-1.amazonaws.com/", nil)
				if err := a.Apply(req); err != nil {
					t.Error(err)
				}
				keys[i] = req.Header.Get("X-Amz-Security-Token")
			}()
		}
		wg.Wait()
		return keys
	}
	for _, k := range apply() {
		if k != "tok1" {
			t.Fatalf("token %q", k)
		}
	}
	mu.Lock()
	now = now.Add(54 * time.Minute) // 6 minutes left: still used
	mu.Unlock()
	apply()
	if calls.Load() != 1 {
		t.Fatalf("%d calls before the skew", calls.Load())
	}
	mu.Lock()
	now = now.Add(2 * time.Minute) // 4 minutes left: renewed, once
	mu.Unlock()
	for _, k := range apply() {
		if k != "tok2" {
			t.Fatalf("token %q after renewal", k)
		}
	}
	if calls.Load() != 2 {
		t.Fatalf("%d calls, want 2", calls.Load())
	}
}

// A redirect to another origin carries no signature: every field the
// scheme set is a credential.
func TestAWSV4RedirectElsewhereUnsigned(t *testing.T) {
	var got []http.Header
	var mu sync.Mutex
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
	}))
	defer other.Close()
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		http.Redirect(w, r, other.URL+"/elsewhere", http.StatusFound)
	}))
	defer first.Close()
	a := &authlib.AWSV4{AccessKeyID: "AKID", SecretAccessKey: sentinel, SessionToken: "tok", Region: "us-east-1", Service: "s3"}
	c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: a}
	res, err := c.Get(context.Background(), first.URL+"/start")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if len(got) != 2 || got[0].Get("Authorization") == "" {
		t.Fatalf("requests: %v", got)
	}
	for _, f := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"} {
		if v := got[1].Get(f); v != "" {
			t.Errorf("%s went to the other origin: %q", f, v)
		}
	}
}

func TestAWSV4Presign(t *testing.T) {
	a := &authlib.AWSV4{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		Now: func() time.Time { return time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC) }}
	// The example of the S3 documentation ("Authenticating Requests: Using
	// Query Parameters"): its signature, exactly.
	u, err := a.Presign(context.Background(), "GET", "https://examplebucket.s3.amazonaws.com/test.txt", 86400*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if want := "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"; !strings.HasSuffix(u, want) {
		t.Errorf("presigned %s\nwant it to end in %s", u, want)
	}
	for _, d := range []time.Duration{0, -time.Second, 1500 * time.Millisecond, 7*24*time.Hour + time.Second} {
		if _, err := a.Presign(context.Background(), "GET", "https://examplebucket.s3.amazonaws.com/test.txt", d); !errors.Is(err, authlib.ErrInvalidRequest) {
			t.Errorf("expires %v: %v", d, err)
		}
	}
}

// Check turns AWS's "signature does not match" into an error that shows
// what was signed, with the session token masked, and leaves every other
// answer alone.
func TestAWSV4Check(t *testing.T) {
	srv := httptest.NewServer(authtest.NewHandler())
	defer srv.Close()
	for _, tc := range []struct {
		secret string
		want   bool
	}{{authtest.AWSSecretAccessKey, false}, {"a wrong " + sentinel, true}} {
		a := &authlib.AWSV4{AccessKeyID: authtest.AWSAccessKeyID, SecretAccessKey: tc.secret, SessionToken: "tok" + sentinel, Region: authtest.AWSRegion, Service: "execute-api"}
		c := &authlib.Client{Transport: &nethttp.Transport{}, Auth: a}
		res, err := c.Get(context.Background(), srv.URL+"/aws4/execute-api/prod/x?q=1")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		err = a.Check(res, body)
		if !tc.want {
			if res.StatusCode != 200 || err != nil {
				t.Fatalf("the right key: %d %s, Check %v", res.StatusCode, body, err)
			}
			continue
		}
		var m *authlib.AWSV4Mismatch
		if !errors.Is(err, authlib.ErrSignatureMismatch) || !errors.As(err, &m) {
			t.Fatalf("Check: %v", err)
		}
		if !strings.HasPrefix(m.Signature.CanonicalRequest, "GET\n/aws4/execute-api/prod/x\nq=1\n") ||
			!strings.Contains(m.Signature.CanonicalRequest, "x-amz-security-token:[redacted]\n") ||
			!strings.Contains(m.Server, "The Canonical String for this request should have been") {
			t.Errorf("what was signed:\n%s\nthe server:\n%s", m.Signature.CanonicalRequest, m.Server)
		}
		assertNoSecret(t, "mismatch", err)
		assertNoSecret(t, "mismatch details", m.Signature.CanonicalRequest+m.Server)
	}
	// A 403 for another reason is not a mismatch.
	a := &authlib.AWSV4{AccessKeyID: "AKID", SecretAccessKey: "s", Region: "us-east-1", Service: "execute-api"}
	res, err := (&authlib.Client{Transport: &nethttp.Transport{}, Auth: a}).Get(context.Background(), srv.URL+"/status/403")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if err := a.Check(res, nil); err != nil {
		t.Errorf("a plain 403: %v", err)
	}
}
