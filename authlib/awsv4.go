package authlib

import (
	"context"
	"encoding/hex"
	"fmt"
	"github.com/authlib-go/authlib/authlib/internal/hashes"
	"strings"
	"time"
)

// AWSV4 signs each request with AWS Signature Version 4, as API Gateway
// with IAM authorization, S3, OpenSearch, Lambda function URLs and every
// other AWS API ask (requests-aws4auth's AWS4Auth, aws4fetch in JS).
//
// Region and Service, when empty, are read from standard AWS host names
// ("sqs.eu-west-1.amazonaws.com", "bucket.s3.amazonaws.com",
// "id.lambda-url.us-east-1.on.aws", "search-x.eu-west-1.es.amazonaws.com";
// see [AWSRegionService]); given values win.
//
// Apply adds X-Amz-Date, X-Amz-Security-Token for temporary credentials,
// X-Amz-Content-Sha256 where it is needed, and Authorization; it signs the
// host and every header of the request but those a transport or a proxy
// may change (User-Agent, Content-Length, Expect, Connection and the other
// hop-by-hop fields, X-Amzn-Trace-Id). A header with several values is
// sent as one, comma-joined, as it was signed. The query is sent encoded as
// AWS encodes it, in its order; a '+' in it is a plus sign (write %20 for a
// space); for S3 so is the path.
//
// An AWSV4 is safe for concurrent use; copies of it made after its first
// use share the temporary credentials.
type AWSV4 struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string // of temporary credentials; sent as X-Amz-Security-Token

	// Credentials, if set, gives the credentials in place of the three
	// fields above: temporary ones (an assumed role, SSO, a container's)
	// that it is asked for again before they expire, once for all the
	// requests that need them.
	Credentials func(ctx context.Context) (AWSCredentials, error)

	Region  string // such as "us-east-1"; empty: read from the host
	Service string // such as "execute-api", "s3", "es", "lambda"; empty: read from the host

	// UnsignedPayload signs "UNSIGNED-PAYLOAD" in place of the body's
	// SHA-256 (S3 accepts it), and sends it as X-Amz-Content-Sha256.
	UnsignedPayload bool

	// ContentSHA256 sends X-Amz-Content-Sha256 for every service; S3 and
	// OpenSearch Serverless ("aoss"), which require it, always get it.
	ContentSHA256 bool

	// Now returns the signing time; nil means time.Now.
	Now func() time.Time

	creds *awsCredCache // temporary credentials, made on first use
}

// AWSCredentials are an access key, with the session token and expiry of
// temporary credentials.
type AWSCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expires         time.Time // zero: they do not expire
}

// Format masks the credentials.
func (c AWSCredentials) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.AWSCredentials", "AccessKeyID", c.AccessKeyID, "SecretAccessKey", "[redacted]", "SessionToken", maskIfSet(c.SessionToken))
}

// Format masks the secret and the session token.
func (a AWSV4) Format(f fmt.State, verb rune) {
	redacted(f, "authlib.AWSV4", "AccessKeyID", a.AccessKeyID, "SecretAccessKey", "[redacted]", "SessionToken", maskIfSet(a.SessionToken),
		"Region", a.Region, "Service", a.Service)
}

func maskIfSet(s string) string {
	if s == "" {
		return `""`
	}
	return "[redacted]"
}

// Apply signs req.
func (a *AWSV4) Apply(req *Request) error {
	_, err := a.Sign(req)
	return err
}

// Sign signs req as Apply does, and returns what the signature covered.
func (a *AWSV4) Sign(req *Request) (AWSV4Signature, error) {
	s, creds, err := a.prepare(req.Context(), req.URL.Host)
	if err != nil {
		return AWSV4Signature{}, err
	}
	if req.URL.RawQuery != "" {
		req.URL.RawQuery = awsQuery(req.URL.RawQuery)
		req.URL.ForceQuery = false
	}
	if !s.encodeTwice {
		// S3 decodes the path and encodes it again as AWS encodes: send it
		// so, and no server or signer can read it another way.
		p := pathUnescape(req.URL.EscapedPath())
		req.URL.Path, req.URL.RawPath = p, awsEncode(p, false)
	}
	s.method, s.path, s.query = req.Method, req.URL.EscapedPath(), req.URL.RawQuery
	s.payloadHash = awsPayloadHash(req.Body, a.UnsignedPayload)
	if a.UnsignedPayload || a.ContentSHA256 || s.service == "s3" || s.service == "s3-object-lambda" || s.service == "aoss" {
		req.Header.Set("X-Amz-Content-Sha256", s.payloadHash)
	}
	req.Header.Set("X-Amz-Date", s.time.UTC().Format(awsTime))
	req.Header.Del("Authorization")
	if creds.SessionToken != "" {
		req.Header.Set("X-Amz-Security-Token", creds.SessionToken)
	} else {
		req.Header.Del("X-Amz-Security-Token")
	}
	host, err := awsHost(req.URL.Scheme, req.URL.Host)
	if err != nil {
		return AWSV4Signature{}, err
	}
	s.headers = append(s.headers, [2]string{"host", host})
	for name, vs := range req.Header {
		if awsUnsigned(name) {
			continue
		}
		if len(vs) > 1 {
			// One field, as it is signed: transports send repeats
			// differently (fetch joins them with ", ").
			req.Header.Set(name, strings.Join(vs, ","))
		}
		s.headers = append(s.headers, [2]string{name, req.Header.Get(name)})
	}
	sig := s.sign()
	req.Header.Set("Authorization", awsAuthorization(creds.AccessKeyID, sig))
	// What Sign returns holds no secret: the session token is signed, so it
	// is in the canonical request, masked there once the signing is done.
	sig.CanonicalRequest = maskToken(sig.CanonicalRequest, creds.SessionToken)
	return sig, nil
}

// maskToken replaces a session token in s, as sent and as AWS encodes it.
func maskToken(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, token, "[redacted]"), awsEncode(token, true), "[redacted]")
}

// prepare returns the signature's settings but for the request, and the
// credentials.
func (a *AWSV4) prepare(ctx context.Context, host string) (*awsv4, AWSCredentials, error) {
	creds, err := a.credentials(ctx)
	if err != nil {
		return nil, creds, err
	}
	region, service := a.Region, a.Service
	if region == "" || service == "" {
		r, sv, ok := AWSRegionService(host)
		if !ok {
			return nil, creds, credentialError("aws4", "the region and service cannot be read from the host "+hostLabel(host)+": give Region and Service")
		}
		if region == "" {
			region = r
		}
		if service == "" {
			service = sv
		}
	}
	for _, v := range [...][2]string{{"region", region}, {"service", service}} {
		if !awsScopePart(v[1]) {
			return nil, creds, credentialError("aws4", "the "+v[0]+" is not a name of letters, digits and '-'")
		}
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	s3 := service == "s3" || service == "s3-object-lambda"
	return &awsv4{time: now(), region: region, service: service, accessKeyID: creds.AccessKeyID, secret: creds.SecretAccessKey,
		normalize: !s3, encodeTwice: !s3}, creds, nil
}

// awsPayloadHash is the hex SHA-256 of body, or UNSIGNED-PAYLOAD.
func awsPayloadHash(body []byte, unsigned bool) string {
	if unsigned {
		return "UNSIGNED-PAYLOAD"
	}
	sum := hashes.Sum(hashes.NewSHA256, body)
	return hex.EncodeToString(sum[:])
}

// awsHost is the Host field a transport sends for the URL host h: without
// the scheme's default port (fetch drops it, and so does the net/http
// adapter). A host that is not ASCII is refused: the transport sends its
// A-label (xn--…), which is what must be signed.
func awsHost(scheme, h string) (string, error) {
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			return "", credentialError("aws4", "the host is not ASCII: give its A-label (xn--…), which is what is sent and signed")
		}
	}
	h = asciiLower(h)
	if (scheme == "https" && strings.HasSuffix(h, ":443")) || (scheme == "http" && strings.HasSuffix(h, ":80")) {
		h = h[:strings.LastIndexByte(h, ':')]
	}
	return h, nil
}

// hostLabel is a host for an error message: ASCII, or a placeholder.
func hostLabel(h string) string {
	for i := 0; i < len(h); i++ {
		if h[i] < 0x21 || h[i] >= 0x7f {
			return "(not ASCII)"
		}
	}
	return h
}

// awsUnsigned reports the header fields left out of a signature: what a
// transport sets or a proxy may change on the way.
func awsUnsigned(name string) bool {
	switch CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "User-Agent", "Content-Length", "Expect", "Connection", "Keep-Alive",
		"Te", "Trailer", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "X-Amzn-Trace-Id", "Host":
		return true
	}
	return false
}

// awsScopePart reports a region or service name usable in a credential
// scope.
func awsScopePart(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// awsQuery re-encodes a query as AWS encodes it, keeping its order and
// bare names ("acl" stays "acl").
func awsQuery(q string) string {
	parts := strings.Split(q, "&")
	out := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		k, v, eq := strings.Cut(p, "=")
		p = awsEncode(queryUnescape(k), true)
		if eq {
			p += "=" + awsEncode(queryUnescape(v), true)
		}
		out = append(out, p)
	}
	return strings.Join(out, "&")
}
