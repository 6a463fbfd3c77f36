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
	if res == nil || res.StatusCode != 403 || res.Request == nil {
		return nil
	}
	kind := res.Header.Get("X-Amzn-Errortype")
	text := string(body)
	if !strings.HasPrefix(kind, "InvalidSignatureException") && !strings.HasPrefix(kind, "SignatureDoesNotMatch") &&
		!strings.Contains(text, "SignatureDoesNotMatch") && !strings.Contains(text, "InvalidSignatureException") {
		return nil
	}
	sent := res.Request.Clone()
	t, err := time.Parse(awsTime, sent.Header.Get("X-Amz-Date"))
	if err != nil {
		return nil
	}
	again := *a
	again.Now = func() time.Time { return t }
	sig, err := again.Sign(sent)
	if err != nil {
		return err
	}
	token := sent.Header.Get("X-Amz-Security-Token")
	mask := func(s string) string {
		if token == "" {
			return s
		}
		return strings.ReplaceAll(strings.ReplaceAll(s, token, "[redacted]"), awsEncode(token, true), "[redacted]")
	}
	sig.CanonicalRequest = mask(sig.CanonicalRequest)
	return &Error{Kind: ErrSignatureMismatch, Op: "aws4", URL: RedactURL(sent.URL), Detail: "the server computed another signature",
		Err: &AWSV4Mismatch{Signature: sig, Server: mask(text)}}
}
