package authlib

import (
	"strings"
	"time"
)

// AWSV4Mismatch is what an [AWSV4.Check] error carries: the canonical
// request and string to sign that authlib signed, and the server's
// message, which for API Gateway and S3 shows the ones it computed. The
// difference between the two is the answer to "why does my signature not
// match". The session token is masked in both; the rest is the request the
// caller made.
type AWSV4Mismatch struct {
	Signature AWSV4Signature // what authlib signed (its Signature field included)
	Server    string         // the server's message, as it sent it
}

func (m *AWSV4Mismatch) Error() string {
	return "compare Signature.CanonicalRequest and Signature.StringToSign with the server's"
}

// Check returns an error of kind [ErrSignatureMismatch] when res is AWS
// refusing the signature of the request that got it: a 403 with
// X-Amzn-ErrorType InvalidSignatureException or SignatureDoesNotMatch (API
// Gateway, Lambda, most services), or body (the response's, read by the
// caller; S3 says it there) naming SignatureDoesNotMatch. Its Err is an
// [*AWSV4Mismatch]. Otherwise Check returns nil. It signs res.Request
// again, at its X-Amz-Date, to show what was signed; it sends nothing.
func (a *AWSV4) Check(res *Response, body []byte) error {
	if res == nil || res.StatusCode != 403 || res.Request == nil || res.Request.Header.Get("X-Amz-Date") == "" {
		return nil
	}
	kind := res.Header.Get("X-Amzn-Errortype")
	text := string(body)
	if !strings.HasPrefix(kind, "InvalidSignatureException") && !strings.HasPrefix(kind, "SignatureDoesNotMatch") &&
		!strings.Contains(text, "SignatureDoesNotMatch") && !strings.Contains(text, "InvalidSignatureException") {
		return nil
	}
	sent := res.Request
	sig, err := a.Signed(sent)
	if err != nil {
		return err
	}
	// Signed masked the token in what authlib signed; AWS's message shows
	// its own canonical request, token and all.
	return &Error{Kind: ErrSignatureMismatch, Op: "aws4", URL: RedactURL(sent.URL), Detail: "the server computed another signature",
		Err: &AWSV4Mismatch{Signature: sig, Server: maskToken(text, sent.Header.Get("X-Amz-Security-Token"))}}
}

// Signed returns what the signature of req, a request signed by [AWSV4.Sign]
// or Apply (with its X-Amz-Date, as sent), covered: req signed again, a
// copy, at that time. A page or a log can show it beside the exchange; it
// holds no secret but the session token, which it shows as sent.
func (a *AWSV4) Signed(req *Request) (AWSV4Signature, error) {
	sent := req.Clone()
	t, ok := parseAWSTime(sent.Header.Get("X-Amz-Date"))
	if !ok {
		return AWSV4Signature{}, requestError("aws4", "the request has no X-Amz-Date: it was not signed")
	}
	again := *a
	again.Now = func() time.Time { return t }
	return again.Sign(sent)
}

// parseAWSTime reads an X-Amz-Date, "20060102T150405Z". It is written out
// rather than done with time.Parse, whose layout machinery would cost the
// wasm binary some 15 KB gzipped (see parseHTTPDate).
func parseAWSTime(s string) (time.Time, bool) {
	if len(s) != len("20060102T150405Z") || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	var n [6]int
	for i, r := range [6][2]int{{0, 4}, {4, 6}, {6, 8}, {9, 11}, {11, 13}, {13, 15}} {
		for _, c := range []byte(s[r[0]:r[1]]) {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			n[i] = n[i]*10 + int(c-'0')
		}
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC)
	// time.Date normalises (a 13th month is next January): refuse what it changed.
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] || t.Hour() != n[3] || t.Minute() != n[4] || t.Second() != n[5] {
		return time.Time{}, false
	}
	return t, true
}
