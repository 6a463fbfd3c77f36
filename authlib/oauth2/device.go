package oauth2

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/authlib-go/authlib/authlib"
)

// DeviceAuth is a device authorization response (RFC 8628 §3.2): show the
// user UserCode and VerificationURI, then call [Config.DeviceToken].
type DeviceAuth struct {
	DeviceCode              string
	UserCode                string
	VerificationURI         string
	VerificationURIComplete string
	ExpiresIn               time.Duration
	Interval                time.Duration // between polls; 5 s when the server does not say
	expiry                  time.Time
}

// Format masks the device code.
func (d DeviceAuth) Format(f fmt.State, verb rune) {
	io.WriteString(f, "oauth2.DeviceAuth{UserCode: "+d.UserCode+", VerificationURI: "+d.VerificationURI+", DeviceCode: [redacted]}")
}

// DeviceAuth starts the device flow (RFC 8628 §3.1).
func (c *Config) DeviceAuth(ctx context.Context) (*DeviceAuth, error) {
	endpoint, err := c.endpoint(ctx, c.DeviceURL, func(m *Metadata) string { return m.DeviceAuthorizationEndpoint })
	if err != nil {
		return nil, err
	}
	m, err := c.post(ctx, "oauth2 device", endpoint, c.withScope(), nil)
	if err != nil {
		return nil, err
	}
	where := redact(endpoint)
	d := &DeviceAuth{Interval: 5 * time.Second}
	d.DeviceCode, d.UserCode = m.str("device_code"), m.str("user_code")
	d.VerificationURI = m.str("verification_uri")
	if d.VerificationURI == "" {
		d.VerificationURI = m.str("verification_url") // Google's spelling
	}
	d.VerificationURIComplete = m.str("verification_uri_complete")
	exp, ok := number(m["expires_in"])
	if d.DeviceCode == "" || d.UserCode == "" || d.VerificationURI == "" || !ok || exp <= 0 ||
		!printable(d.DeviceCode+d.UserCode+d.VerificationURI+d.VerificationURIComplete) {
		return nil, &authlib.Error{Kind: ErrTokenResponse, Op: "oauth2 device", URL: where,
			Detail: "the device authorization response lacks device_code, user_code, verification_uri or expires_in, or one is not printable ASCII"}
	}
	d.ExpiresIn = time.Duration(exp) * time.Second
	d.expiry = c.now().Add(d.ExpiresIn)
	if iv, ok := number(m["interval"]); ok && iv > 0 {
		d.Interval = time.Duration(iv) * time.Second
	}
	return d, nil
}

// DeviceToken polls the token endpoint until the user has approved (RFC
// 8628 §3.4–3.5): authorization_pending polls on, slow_down adds 5 s to
// the interval, and expired_token, access_denied, any other error, the
// code's expiry or ctx end it.
func (c *Config) DeviceToken(ctx context.Context, d *DeviceAuth) (*Token, error) {
	interval := d.Interval
	for {
		if err := c.sleep(ctx, interval); err != nil {
			return nil, &authlib.Error{Kind: ctxKind(err), Op: "oauth2 device", Detail: "waiting for the user to approve", Err: err}
		}
		t, err := c.token(ctx, []string{"grant_type", "urn:ietf:params:oauth:grant-type:device_code", "device_code", d.DeviceCode}, []string{d.DeviceCode})
		var e *Error
		switch {
		case err == nil:
			return t, nil
		case !errors.As(err, &e):
			return nil, err
		case e.Code == "authorization_pending":
		case e.Code == "slow_down":
			interval += 5 * time.Second
		default:
			return nil, err
		}
		if !d.expiry.IsZero() && !c.now().Before(d.expiry) {
			return nil, &Error{Code: "expired_token", Description: "the user code expired before it was approved", Endpoint: redact(c.TokenURL)}
		}
	}
}
