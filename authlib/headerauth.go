package authlib

import "fmt"

// HeaderAuth sends a token in a header of the API's choosing, such as
// "X-TokenAuth: <token>" or "X-API-Key: <key>". Name must be a valid header
// name other than the fields that HTTP itself manages; Value must pass
// [CheckHeaderValue].
type HeaderAuth struct {
	Name  string // the header, such as "X-API-Key"; a valid token
	Value string // sent as it is: ASCII, no line breaks
}

// Apply sets the header.
func (h HeaderAuth) Apply(req *Request) error {
	if !isToken(h.Name) {
		return credentialError("header", "the header name is not a valid token")
	}
	if reservedHeader(h.Name) {
		return credentialError("header", "the header "+CanonicalHeaderKey(h.Name)+" is managed by HTTP and cannot carry a token")
	}
	if h.Value == "" {
		return credentialError("header", "the value of "+CanonicalHeaderKey(h.Name)+" is empty")
	}
	if r := CheckHeaderValue(h.Value); r != "" {
		return credentialError("header", "the value of "+CanonicalHeaderKey(h.Name)+" "+r)
	}
	req.Header.Set(h.Name, h.Value)
	return nil
}

// Format masks the value.
func (h HeaderAuth) Format(f fmt.State, verb rune) {
	name := h.Name
	if !isToken(name) {
		name = "[invalid]"
	}
	redacted(f, "authlib.HeaderAuth", "Name", name, "Value", "[redacted]")
}

func reservedHeader(name string) bool {
	switch CanonicalHeaderKey(name) {
	case "Host", "Content-Length", "Transfer-Encoding", "Connection", "Upgrade",
		"Te", "Trailer", "Keep-Alive", "Expect", "Content-Type":
		return true
	}
	return false
}
