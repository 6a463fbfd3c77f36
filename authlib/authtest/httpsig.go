package authtest

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The keys /httpsig accepts: RFC 9421's examples (Appendix B.1.4 and
// B.1.5), published for testing.
const (
	HTTPSigEd25519KeyID = "test-key-ed25519"
	// HTTPSigEd25519Private is the private key, PKCS #8 PEM, for clients.
	HTTPSigEd25519Private = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n"
	httpsigEd25519Public  = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n"
	HTTPSigHMACKeyID      = "test-shared-secret"
	// HTTPSigHMACSecret is the shared secret, base64.
	HTTPSigHMACSecret = "uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ=="
)

// httpsig checks each signature of the request (RFC 9421) with its own
// reading of the RFC: the Signature-Input members parsed, the signature
// base rebuilt from the request as it arrived, the signature checked with
// the key its keyid names; created within 5 minutes, expires not passed,
// and a covered Content-Digest against the body (RFC 9530). 200 with what
// was covered, or 401 with why.
func (h *Handler) httpsig(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	fail := func(why string) {
		w.Header().Set("WWW-Authenticate", `Signature realm="`+Realm+`"`)
		writeJSON(w, 401, map[string]any{"authenticated": false, "error": why})
	}
	inputs := r.Header.Get("Signature-Input")
	sigs := r.Header.Get("Signature")
	if inputs == "" || sigs == "" {
		fail("no Signature-Input and Signature")
		return
	}
	var covered []string
	for _, member := range splitTop(inputs) {
		label, rest, ok := strings.Cut(member, "=")
		if !ok || !strings.HasPrefix(rest, "(") {
			fail("a Signature-Input member is not label=(…)")
			return
		}
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			fail("a Signature-Input member has no closing parenthesis")
			return
		}
		comps := strings.Fields(rest[1:end])
		params := parseParams(rest[end+1:])
		var base strings.Builder
		for _, c := range comps {
			q, cparams, _ := strings.Cut(c, ";")
			name, err := strconv.Unquote(q)
			if err != nil {
				fail("a component is not a quoted string")
				return
			}
			var v string
			if name == "@query-param" {
				v, err = queryParamValue(r, cparams)
			} else {
				v, err = httpsigValue(r, name, body)
			}
			if err != nil {
				fail(err.Error())
				return
			}
			base.WriteString(c + ": " + v + "\n")
		}
		base.WriteString(`"@signature-params": ` + rest)
		sig, err := memberSignature(sigs, label)
		if err != nil {
			fail(err.Error())
			return
		}
		created, err := strconv.ParseInt(params["created"], 10, 64)
		if err != nil || time.Since(time.Unix(created, 0)).Abs() > 5*time.Minute {
			fail("created is missing or not within 5 minutes")
			return
		}
		if e, ok := params["expires"]; ok {
			exp, err := strconv.ParseInt(e, 10, 64)
			if err != nil || time.Now().Unix() > exp {
				fail("the signature expired")
				return
			}
		}
		if !verifyHTTPSig(strings.Trim(params["keyid"], `"`), []byte(base.String()), sig) {
			fail("the signature of " + label + " does not verify")
			return
		}
		covered = append(covered, rest[1:end])
	}
	writeJSON(w, 200, map[string]any{"authenticated": true, "covered": covered})
}

// queryParamValue is the value of the query parameter an @query-param
// component names (its parameters params: name="…"), read with net/url's
// form parser and encoded again as RFC 9421 §2.2.8 says: every byte but
// letters, digits and * - . _, a space as %20.
func queryParamValue(r *http.Request, params string) (string, error) {
	quoted, ok := strings.CutPrefix(params, "name=")
	name, err := strconv.Unquote(quoted)
	if !ok || err != nil {
		return "", errors.New("an @query-param without its name")
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", errors.New("the query cannot be read as a form")
	}
	enc := func(s string) string {
		return strings.NewReplacer("+", "%20", "~", "%7E", "%2A", "*").Replace(url.QueryEscape(s))
	}
	var found []string
	for k, vs := range q {
		if enc(k) == name {
			found = append(found, vs...)
		}
	}
	if len(found) != 1 {
		return "", errors.New("the query has the parameter " + name + " not exactly once")
	}
	return enc(found[0]), nil
}

// httpsigValue is a component's value as the request arrived.
func httpsigValue(r *http.Request, name string, body []byte) (string, error) {
	path, query, _ := strings.Cut(r.RequestURI, "?")
	switch name {
	case "@method":
		return r.Method, nil
	case "@target-uri":
		return "http://" + r.Host + r.RequestURI, nil
	case "@authority":
		return strings.ToLower(r.Host), nil
	case "@scheme":
		return "http", nil
	case "@request-target":
		return r.RequestURI, nil
	case "@path":
		return path, nil
	case "@query":
		return "?" + query, nil
	}
	if strings.HasPrefix(name, "@") {
		return "", errors.New("a derived component authtest does not know: " + name)
	}
	vs := r.Header.Values(name)
	if len(vs) == 0 {
		return "", errors.New("a covered field did not arrive: " + name)
	}
	v := strings.Join(vs, ", ")
	if name == "content-digest" && !digestHolds(v, body) {
		return "", errors.New("Content-Digest is not the body's")
	}
	return strings.TrimSpace(v), nil
}

func digestHolds(field string, body []byte) bool {
	for _, m := range splitTop(field) {
		alg, v, _ := strings.Cut(m, "=")
		var sum []byte
		switch alg {
		case "sha-256":
			s := sha256.Sum256(body)
			sum = s[:]
		case "sha-512":
			s := sha512.Sum512(body)
			sum = s[:]
		default:
			continue
		}
		if v == ":"+base64.StdEncoding.EncodeToString(sum)+":" {
			return true
		}
	}
	return false
}

func verifyHTTPSig(keyID string, base, sig []byte) bool {
	switch keyID {
	case HTTPSigHMACKeyID:
		k, _ := base64.StdEncoding.DecodeString(HTTPSigHMACSecret)
		m := hmac.New(sha256.New, k)
		m.Write(base)
		return hmac.Equal(m.Sum(nil), sig)
	case HTTPSigEd25519KeyID:
		b, _ := pem.Decode([]byte(httpsigEd25519Public))
		pub, err := x509.ParsePKIXPublicKey(b.Bytes)
		if err != nil {
			return false
		}
		return ed25519.Verify(pub.(ed25519.PublicKey), base, sig)
	}
	return false
}

// memberSignature returns the bytes of label's member of a Signature field.
func memberSignature(field, label string) ([]byte, error) {
	for _, m := range splitTop(field) {
		l, v, _ := strings.Cut(m, "=")
		if l == label && len(v) > 2 && v[0] == ':' && v[len(v)-1] == ':' {
			return base64.StdEncoding.DecodeString(v[1 : len(v)-1])
		}
	}
	return nil, errors.New("no Signature member for every Signature-Input member")
}

// parseParams reads ;name=value parameters.
func parseParams(s string) map[string]string {
	out := map[string]string{}
	for _, p := range strings.Split(strings.TrimPrefix(s, ";"), ";") {
		k, v, _ := strings.Cut(p, "=")
		out[strings.TrimSpace(k)] = v
	}
	return out
}

// splitTop splits a structured field dictionary at its top-level commas
// (not those inside quotes or parentheses).
func splitTop(s string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == '(':
			depth++
		case !quoted && c == ')':
			depth--
		case !quoted && depth == 0 && c == ',':
			out = append(out, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}
