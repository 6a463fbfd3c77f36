package authlib

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Presign returns rawURL signed in its query (AWS Signature Version 4
// query signing): a URL that anyone holding it may request with method
// until expires (1 s to 7 days) has passed, as S3's presigned URLs are.
// Only the host header is signed, and as the payload, for S3 (and with
// UnsignedPayload) UNSIGNED-PAYLOAD, for other services an empty body, as
// botocore signs them. The URL carries the access key id, and the
// session token of temporary credentials, in the clear: it is a
// credential itself.
func (a *AWSV4) Presign(ctx context.Context, method, rawURL string, expires time.Duration) (string, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	req, err := NewRequest(ctx, method, rawURL, nil)
	if err != nil {
		return "", err
	}
	secs := int64(expires / time.Second)
	if expires%time.Second != 0 || secs < 1 || secs > 7*24*3600 {
		return "", requestError("aws4", "a presigned URL expires after 1 second to 7 days, in whole seconds")
	}
	s, creds, err := a.prepare(ctx, req.URL.Host)
	if err != nil {
		return "", err
	}
	host, err := awsHost(req.URL.Scheme, req.URL.Host)
	if err != nil {
		return "", err
	}
	s.method, s.path = req.Method, req.URL.EscapedPath()
	s.headers = [][2]string{{"host", host}}
	s.payloadHash = awsPayloadHash(nil, a.UnsignedPayload || !s.encodeTwice) // S3: UNSIGNED-PAYLOAD
	req.URL.RawQuery = s.presign(awsQuery(req.URL.RawQuery), secs, creds.SessionToken)
	req.URL.ForceQuery = false
	req.URL.Fragment, req.URL.RawFragment = "", ""
	return req.URL.String(), nil
}

// presign adds the signature's parameters to query (as AWS encodes it)
// and returns it with X-Amz-Signature last; token, when not empty, is
// signed as X-Amz-Security-Token.
func (s *awsv4) presign(query string, expires int64, token string) string {
	var names []string
	seen := map[string]bool{}
	for _, h := range s.headers {
		if n := asciiLower(h[0]); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	sort.Strings(names)
	scope := s.time.UTC().Format("20060102") + "/" + s.region + "/" + s.service + "/aws4_request"
	add := []string{
		"X-Amz-Algorithm=" + awsAlgorithm,
		"X-Amz-Credential=" + awsEncode(s.accessKeyID+"/"+scope, true),
		"X-Amz-Date=" + s.time.UTC().Format(awsTime),
		"X-Amz-Expires=" + strconv.FormatInt(expires, 10),
		"X-Amz-SignedHeaders=" + awsEncode(strings.Join(names, ";"), true),
	}
	if token != "" {
		add = append(add, "X-Amz-Security-Token="+awsEncode(token, true))
	}
	if query != "" {
		query += "&"
	}
	query += strings.Join(add, "&")
	s.query = query
	sig := s.sign()
	return query + "&X-Amz-Signature=" + sig.Signature
}
