package authtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// The AWS credentials /aws4/ accepts: AWS's documentation example key, in
// the region AWSRegion. Any session token is accepted, and signed.
const (
	AWSAccessKeyID     = "AKIDEXAMPLE"
	AWSSecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	AWSRegion          = "us-east-1"
)

// awsSkew is how far X-Amz-Date may be from now, as AWS allows.
const awsSkew = 15 * time.Minute

// aws4 checks AWS Signature Version 4 as an AWS API does, for the service
// named in the path (/aws4/{service}/…): it signs the request again from
// what arrived (the request target as sent, the header fields the
// Authorization names, the body, the time of X-Amz-Date) and compares. A
// mismatch is 403 with API Gateway's error: X-Amzn-ErrorType
// InvalidSignatureException, and a message with the canonical request and
// the string to sign it computed. A presigned URL (X-Amz-Signature in the
// query) is checked the same way.
func (h *Handler) aws4(w http.ResponseWriter, r *http.Request) {
	service := r.PathValue("service")
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	// The target as the client sent it: a prefix the handler is mounted
	// under (the demo's /api) was signed too.
	target := r.RequestURI
	if strings.Contains(target, "X-Amz-Signature=") {
		h.aws4Presigned(w, r, service, target)
		return
	}
	auth := r.Header.Get("Authorization")
	cred, signed, ok := parseAWSAuthorization(auth)
	if !ok {
		awsError(w, 403, "IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters (AWS4-HMAC-SHA256).")
		return
	}
	want := AWSAccessKeyID + "/"
	if !strings.HasPrefix(cred, want) || !strings.HasSuffix(cred, "/"+AWSRegion+"/"+service+"/aws4_request") {
		awsError(w, 403, "InvalidSignatureException", "Credential should be scoped to a valid access key, region "+AWSRegion+" and service "+service+": "+cred)
		return
	}
	t, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil || time.Since(t).Abs() > awsSkew {
		awsError(w, 403, "InvalidSignatureException", "Signature expired or X-Amz-Date missing: the time must be within 15 minutes of the server's.")
		return
	}
	if sha := r.Header.Get("X-Amz-Content-Sha256"); sha != "" && sha != "UNSIGNED-PAYLOAD" {
		sum := sha256.Sum256(body)
		if sha != hex.EncodeToString(sum[:]) {
			awsError(w, 400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
			return
		}
	}
	req, err := authlib.NewRequest(context.Background(), r.Method, "http://"+r.Host+target, body)
	if err != nil {
		awsError(w, 403, "InvalidSignatureException", "the request target cannot be read")
		return
	}
	for _, name := range signed {
		if name == "host" {
			continue
		}
		vs := r.Header.Values(name)
		if vs == nil {
			awsError(w, 403, "InvalidSignatureException", "a signed header did not arrive: "+name)
			return
		}
		req.Header.Set(name, strings.Join(vs, ","))
	}
	a := &authlib.AWSV4{AccessKeyID: AWSAccessKeyID, SecretAccessKey: AWSSecretAccessKey, SessionToken: r.Header.Get("X-Amz-Security-Token"),
		Region: AWSRegion, Service: service, UnsignedPayload: r.Header.Get("X-Amz-Content-Sha256") == "UNSIGNED-PAYLOAD",
		ContentSHA256: r.Header.Get("X-Amz-Content-Sha256") != "", Now: func() time.Time { return t }}
	sig, err := a.Sign(req)
	if err != nil {
		awsError(w, 403, "InvalidSignatureException", "the request cannot be signed")
		return
	}
	if req.Header.Get("Authorization") != auth {
		awsMismatch(w, sig)
		return
	}
	writeJSON(w, 200, map[string]any{"authenticated": true, "service": service, "signedHeaders": sig.SignedHeaders,
		"canonicalRequest": sig.CanonicalRequest, "stringToSign": sig.StringToSign})
}

// aws4Presigned checks a presigned URL: presigned again, at its time,
// without its signature.
func (h *Handler) aws4Presigned(w http.ResponseWriter, r *http.Request, service, target string) {
	path, query, _ := strings.Cut(target, "?")
	var rest []string
	params := map[string]string{}
	for _, p := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(p, "=")
		if strings.HasPrefix(k, "X-Amz-") {
			params[k] = v
			continue
		}
		rest = append(rest, p)
	}
	t, err := time.Parse("20060102T150405Z", params["X-Amz-Date"])
	expires, err2 := strconv.Atoi(params["X-Amz-Expires"])
	if err != nil || err2 != nil || expires < 1 || expires > 604800 {
		awsError(w, 403, "AuthorizationQueryParametersError", "X-Amz-Date and X-Amz-Expires (1 to 604800 seconds) are required.")
		return
	}
	if time.Now().After(t.Add(time.Duration(expires) * time.Second)) {
		awsError(w, 403, "AccessDenied", "Request has expired")
		return
	}
	token, _ := urlUnescape(params["X-Amz-Security-Token"])
	a := &authlib.AWSV4{AccessKeyID: AWSAccessKeyID, SecretAccessKey: AWSSecretAccessKey, SessionToken: token, Region: AWSRegion, Service: service,
		Now: func() time.Time { return t }}
	u := "http://" + r.Host + path
	if len(rest) > 0 {
		u += "?" + strings.Join(rest, "&")
	}
	again, err := a.Presign(context.Background(), r.Method, u, time.Duration(expires)*time.Second)
	if err != nil || !strings.HasSuffix(again, "X-Amz-Signature="+params["X-Amz-Signature"]) {
		awsError(w, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
		return
	}
	writeJSON(w, 200, map[string]any{"authenticated": true, "service": service, "presigned": true})
}

// parseAWSAuthorization reads "AWS4-HMAC-SHA256 Credential=…,
// SignedHeaders=…, Signature=…".
func parseAWSAuthorization(v string) (cred string, signed []string, ok bool) {
	rest, found := strings.CutPrefix(v, "AWS4-HMAC-SHA256 ")
	if !found {
		return "", nil, false
	}
	var sig string
	for _, p := range strings.Split(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch k {
		case "Credential":
			cred = val
		case "SignedHeaders":
			signed = strings.Split(val, ";")
		case "Signature":
			sig = val
		}
	}
	return cred, signed, cred != "" && len(signed) > 0 && sig != ""
}

func awsError(w http.ResponseWriter, code int, kind, message string) {
	w.Header().Set("X-Amzn-ErrorType", kind)
	writeJSON(w, code, map[string]any{"message": message})
}

// awsMismatch is API Gateway's answer to a signature that does not match,
// with what the server computed.
func awsMismatch(w http.ResponseWriter, sig authlib.AWSV4Signature) {
	awsError(w, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. "+
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n"+
		"The Canonical String for this request should have been\n'"+sig.CanonicalRequest+"'\n\n"+
		"The String-to-Sign should have been\n'"+sig.StringToSign+"'\n")
}

// urlUnescape decodes %XX escapes.
func urlUnescape(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", false
			}
			b.WriteByte(byte(n))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}
