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
	t, err := time.Parse(awsTime, sent.Header.Get("X-Amz-Date"))
	if err != nil {
		return AWSV4Signature{}, requestError("aws4", "the request has no X-Amz-Date: it was not signed")
	}
	again := *a
	again.Now = func() time.Time { return t }
	return again.Sign(sent)
}
