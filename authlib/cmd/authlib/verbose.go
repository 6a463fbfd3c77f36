package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/authlib-go/authlib/authlib"
)

// verbose is a Transport that shows each exchange, as the demo page does:
// the request as sent, its credentials masked (a Digest answer keeps its
// parameters, nc among them, and loses its response), and the status with
// the challenge that came back.
type verbose struct {
	next   authlib.Transport
	w      io.Writer
	reveal bool
}

func (v *verbose) RoundTrip(req *authlib.Request) (*authlib.Response, error) {
	fmt.Fprintf(v.w, "> %s %s\n", req.Method, authlib.RedactURL(req.URL))
	creds := req.CredentialHeaders()
	for _, name := range req.Header.Names() {
		for _, value := range req.Header.Values(name) {
			if !v.reveal && (isCredential(name) || contains(creds, name)) {
				value = mask(value)
			}
			fmt.Fprintf(v.w, "> %s: %s\n", name, value)
		}
	}
	res, err := v.next.RoundTrip(req)
	if err != nil {
		fmt.Fprintf(v.w, "< (failed: %v)\n", err)
		return res, err
	}
	fmt.Fprintf(v.w, "< %d\n", res.StatusCode)
	for _, name := range []string{"WWW-Authenticate", "Proxy-Authenticate", "Authentication-Info", "Location", "DPoP-Nonce"} {
		for _, value := range res.Header.Values(name) {
			fmt.Fprintf(v.w, "< %s: %s\n", name, value)
		}
	}
	return res, nil
}

func isCredential(name string) bool {
	switch authlib.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Cookie":
		return true
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// mask keeps a credential's scheme and, for Digest and other parameter
// lists, the parameters that are not secret; the secret parts become
// [masked].
func mask(value string) string {
	scheme, rest, ok := strings.Cut(value, " ")
	if !ok {
		return "[masked]"
	}
	if !strings.EqualFold(scheme, "Digest") && !strings.EqualFold(scheme, "AWS4-HMAC-SHA256") && !strings.EqualFold(scheme, "OAuth") {
		return scheme + " [masked]"
	}
	var out []string
	for _, p := range strings.Split(rest, ",") {
		k, _, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch strings.ToLower(k) {
		case "response", "signature", "oauth_signature", "cnonce":
			out = append(out, k+"=[masked]")
		default:
			out = append(out, strings.TrimSpace(p))
		}
	}
	return scheme + " " + strings.Join(out, ", ")
}
